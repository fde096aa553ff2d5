/**
 * Restore drill: restores a backup set of an IRIS instance into a throwaway namespace, starts
 * IRIS on it, runs an integrity check, reports RPO and RTO, and deletes everything it made.
 *
 *   npm run restore-drill -- --instance iris/iris [--set latest] [--json drill.json]
 *
 * Talks to the cluster in KUBECONFIG with kubectl (and jq, bash) on PATH. Exit status 0 only
 * when the drill passed. docs/backup.md shows how to read its output.
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { longhornNamespace } from "../components/addons/longhorn-values";
import {
    durableClaimName,
    renderRestoreScript,
    restoredLabels,
    restoredVolumeName,
} from "../components/iris/restore-script";
import {
    drillNetworkPolicy,
    isolationSummary,
    mirrorProbePod,
    probePodName,
    withoutMirrors,
} from "./drill-isolation";
import {
    drillClaim,
    drillInstance,
    drillIrisCluster,
    drillNamespace,
    drillPassed,
    drillPod,
    drillReport,
    integrityResult,
    integrityScript,
    mirrorMember,
    mirrorMemberScript,
    irisClusterRefs,
    parseRestoreSummary,
    type DrillResult,
    type RestoreSummary,
} from "./drill-lib";
import { runCli } from "./cli";
import { drillUsage, parseDrillArgs, type DrillArgs } from "./restore-drill-args";

function kubectl(args: string[], input?: string): string {
    return execFileSync("kubectl", args, {
        input,
        encoding: "utf8",
        stdio: ["pipe", "pipe", "inherit"],
    });
}
const json = (args: string[]) =>
    JSON.parse(kubectl([...args, "-o", "json"])) as Record<string, unknown>;
const apply = (obj: unknown) => kubectl(["apply", "-f", "-"], JSON.stringify(obj));

/** A namespaced object of the source, re-created under the same name in the drill namespace. */
function copy(
    kind: string,
    name: string,
    from: string,
    to: string,
    edit: (data: Record<string, string>) => Record<string, string> = (d) => d,
): void {
    const o = json(["get", kind, "-n", from, name]);
    const { data, type } = o as { data?: Record<string, string>; type?: unknown };
    apply({
        apiVersion: "v1",
        kind: o.kind,
        type,
        data: edit(data ?? {}),
        metadata: { name, namespace: to },
    });
}

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

/** Mirror names in the restored IKO data volume (the probe pod's log). */
function mirrorNames(
    ns: string,
    image: string,
    pullSecrets: string[],
    readyTimeoutSeconds: number,
): string[] {
    const claim = `iris-data-${drillInstance}-data-0`;
    apply(mirrorProbePod({ namespace: ns, image, claim, pullSecrets }));
    kubectl([
        "wait",
        "-n",
        ns,
        `pod/${probePodName}`,
        "--for=jsonpath={.status.phase}=Succeeded",
        `--timeout=${readyTimeoutSeconds}s`,
    ]);
    const names = kubectl(["logs", "-n", ns, probePodName]).split("\n").filter(Boolean);
    // The claim is ReadWriteOnce: IRIS mounts it only once the probe is gone.
    kubectl(["delete", "pod", "-n", ns, probePodName, "--wait=true"]);
    return names;
}

async function main(a: DrillArgs): Promise<number> {
    const { namespace: srcNs, name: srcName, set, storageClass } = a;
    const started = new Date();
    const ns = drillNamespace(started);
    let restore: RestoreSummary | undefined;
    let readySeconds: number | undefined;
    let integrity: DrillResult["integrity"] = "not run";
    let error: string | undefined;
    let isolation: string | undefined;
    try {
        const cluster = JSON.parse(
            kubectl([
                "get",
                "irisclusters.intersystems.com",
                "-n",
                srcNs,
                "--ignore-not-found",
                srcName,
                "-o",
                "json",
            ]) || "null",
        ) as { spec: Record<string, unknown> } | null;
        const kind = cluster ? "iko" : "standalone";
        apply({
            apiVersion: "v1",
            kind: "Namespace",
            metadata: { name: ns, labels: { "iris-platform.io/drill": "true" } },
        });
        // Cut off before anything runs in it: a restored mirror member must not reach production.
        apply(drillNetworkPolicy(ns));
        isolation = isolationSummary;

        // 1. The set's volumes, restored by the same script the restore Job runs.
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "iris-drill-"));
        fs.writeFileSync(path.join(dir, "restore.sh"), renderRestoreScript());
        const r = spawnSync("bash", [path.join(dir, "restore.sh")], {
            encoding: "utf8",
            stdio: ["ignore", "pipe", "inherit"],
            env: {
                ...process.env,
                SOURCE: `${srcNs}.${srcName}`,
                SET: set,
                TARGET_NAMESPACE: ns,
                TARGET_INSTANCE: drillInstance,
                TARGET_KIND: kind,
                STORAGE_CLASS: storageClass,
                REPLICAS: String(a.replicas),
                LONGHORN_NAMESPACE: longhornNamespace,
                RESOLVE_TIMEOUT: "60",
                RESTORE_TIMEOUT: String(a.restoreTimeoutSeconds),
                // The drill pod / IrisCluster removes a mirror member's configuration first.
                MIRROR_SETS: "demirror",
            },
        });
        if (r.status !== 0) throw new Error("the restore failed (its log is above)");
        restore = parseRestoreSummary(r.stdout);

        // 2. IRIS on the restored volumes: it recovers from the WIJ and journals as after a crash.
        const t0 = Date.now();
        let pod: string;
        if (cluster) {
            const refs = irisClusterRefs(cluster.spec);
            for (const s of refs.secrets) copy("secret", s, srcNs, ns);
            const image = String(
                (cluster.spec.topology as { data?: { image?: string } } | undefined)?.data?.image,
            );
            const pulls = ((cluster.spec.imagePullSecrets as { name?: string }[] | undefined) ?? [])
                .map((p) => p.name)
                .filter((n): n is string => Boolean(n));
            const mirrors = mirrorNames(ns, image, pulls, a.readyTimeoutSeconds);
            for (const c of refs.configMaps)
                copy("configmap", c, srcNs, ns, (d) => withoutMirrors(d, mirrors));
            apply(drillIrisCluster(ns, cluster.spec));
            pod = `${drillInstance}-data-0`;
        } else {
            const image = kubectl([
                "get",
                "deployment",
                "-n",
                srcNs,
                srcName,
                "-o",
                "jsonpath={.spec.template.spec.containers[0].image}",
            ]);
            // The pull secret the source pod uses (Pulumi-named, so read from its template).
            const pulls = kubectl([
                "get",
                "deployment",
                "-n",
                srcNs,
                srcName,
                "-o",
                "jsonpath={.spec.template.spec.imagePullSecrets[*].name}",
            ])
                .split(/\s+/)
                .filter(Boolean);
            for (const p of pulls) copy("secret", p, srcNs, ns);
            const pv = restoredVolumeName(ns, durableClaimName(drillInstance));
            const size = kubectl(["get", "pv", pv, "-o", "jsonpath={.spec.capacity.storage}"]);
            apply(drillClaim(ns, storageClass, size));
            apply(
                drillPod({
                    namespace: ns,
                    image,
                    // The platform gives a pod at most one pull secret.
                    pullSecret: pulls[0],
                }),
            );
            pod = drillInstance;
        }
        const deadline = Date.now() + a.readyTimeoutSeconds * 1000;
        while (
            kubectl(["get", "pod", "-n", ns, "--ignore-not-found", pod, "-o", "name"]).trim() === ""
        ) {
            if (Date.now() > deadline) throw new Error(`pod ${pod} never appeared`);
            await sleep(5000);
        }
        const left = Math.max(1, Math.round((deadline - Date.now()) / 1000));
        kubectl(["wait", "-n", ns, `pod/${pod}`, "--for=condition=Ready", `--timeout=${left}s`]);
        readySeconds = Math.round((Date.now() - t0) / 1000);

        // 3. Structural integrity of every database.
        const out = spawnSync(
            "kubectl",
            ["exec", "-i", "-n", ns, pod, "--", "iris", "session", "IRIS", "-U%SYS"],
            {
                input: integrityScript,
                encoding: "utf8",
            },
        );
        integrity = integrityResult(out.stdout);
        if (integrity === "failed") error = `integrity check: ${out.stdout.slice(-2000)}`;

        // 4. Not a mirror member any more (the demirror step worked, or there was no mirror).
        const member = spawnSync(
            "kubectl",
            ["exec", "-i", "-n", ns, pod, "--", "iris", "session", "IRIS", "-U%SYS"],
            { input: mirrorMemberScript, encoding: "utf8" },
        );
        const isMember = mirrorMember(member.stdout);
        if (isMember !== 0)
            error ??= `the restored instance is ${isMember === undefined ? "of unknown mirror state" : "still a mirror member"}: ${member.stdout.slice(-500)}`;
    } catch (e) {
        error = e instanceof Error ? e.message : String(e);
    } finally {
        // Everything the drill made goes, whatever happened: the namespace, then the Retain PVs
        // and the Longhorn volumes behind them.
        spawnSync("kubectl", ["delete", "namespace", ns, "--wait=true", "--timeout=10m"], {
            stdio: "inherit",
        });
        // Both carry the drill namespace in a label (restore-script.ts restoredLabels).
        const selector = `${restoredLabels.namespace}=${ns}`;
        spawnSync("kubectl", ["delete", "pv", "-l", selector, "--wait=false"], {
            stdio: "inherit",
        });
        spawnSync(
            "kubectl",
            [
                "delete",
                "volumes.longhorn.io",
                "-n",
                longhornNamespace,
                "-l",
                selector,
                "--wait=false",
            ],
            { stdio: "inherit" },
        );
    }
    const result: DrillResult = {
        source: `${srcNs}/${srcName}`,
        namespace: ns,
        restore,
        readySeconds,
        integrity,
        isolation,
        error,
    };
    console.log(drillReport(result));
    const out = a.json;
    if (out)
        fs.writeFileSync(
            out,
            `${JSON.stringify({ ...result, passed: drillPassed(result) }, null, 2)}\n`,
        );
    return drillPassed(result) ? 0 : 1;
}

runCli("restore-drill", drillUsage, parseDrillArgs, main);
