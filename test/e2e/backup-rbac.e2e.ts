/**
 * The backup-set script as the CronJob deploys it (its ConfigMap and env, read back from a real
 * API server), run with the Job's own ServiceAccount token (a TokenRequest for `iris-backup`),
 * not the admin kubeconfig: every kubectl call goes through RBAC and Longhorn's real CRD schemas
 * (chart from IRIS_E2E_CHARTS_DIR), so a verb missing from the Roles fails the test.
 *
 * STAND-IN: no Longhorn manager and no IRIS run here. The test marks each Snapshot readyToUse
 * (a second after `kubectl wait` has listed it, so the wait must watch) and each Backup Completed
 * (status subresources, as admin). `kubectl exec` goes to the real API server as the account
 * (which authorizes it, then reaches kwok's kubelet, which runs nothing: "Debug endpoints are
 * disabled"); a shim then answers freeze/thaw with exit status 5 and the queries with a journal
 * file and "suspended". The IRIS calls themselves are checked in the unit
 * tier (test/backup-set.test.ts, test/fakes/iris-methods.ts).
 */
import * as assert from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import {
    engineError,
    timed,
    provisionDurableIrisVolume,
    serviceAccountKubeconfig,
} from "./helpers";
import {
    backupStoreSecrets,
    longhornApi,
    longhornBackupStack,
    longhornChartMissing,
} from "./longhorn-stack";
import { get, useRealCluster, type Obj } from "./real-cluster";
import { toolchain } from "./toolchain";

const lh = longhornApi;

function config(): Record<string, unknown> {
    return longhornBackupStack("iris-backup-rbac", {
        "iris-platform:iris": { instances: [{ name: "iris", namespace: "iris" }] },
    });
}

/** `kubectl exec` as the IRIS stand-in, after the real exec got past RBAC; else kubectl. */
const shim = (kubectl: string) => `#!/usr/bin/env bash
set -euo pipefail
# Records each wait, so the stand-in Longhorn readies a snapshot only once kubectl waits on it.
[ "$1" != wait ] || echo "wait $*" >>"$CALLS"
if [ "$1" != exec ]; then exec ${kubectl} "$@"; fi
# The real exec as this account: the API server authorizes it before it reaches the kubelet
# (kwok's, which runs nothing), so a refusal says forbidden and anything else is past RBAC.
real=$(timeout 15 ${kubectl} "$@" </dev/null 2>&1) || true
echo "real exec: $real" >>"$CALLS"
case "$real" in *orbidden*) echo "$real" >&2; exit 1 ;; esac
echo "exec $*" >>"$CALLS"
case "$*" in *ExternalFreeze*|*ExternalThaw*) exit 5 ;; esac
input=$(cat)
case "$input" in
*GetCurrentFileName*) printf '%%SYS>JOURNAL=/irissys/journal1/20261130.002\\r\\n' ;;
*IsWDSuspended*) printf '%%SYS>WDSUSPENDED=1\\r\\n' ;;
esac
`;

describe("the backup set under its own ServiceAccount on a real API server with Longhorn's CRDs", function () {
    const c = useRealCluster("backup-rbac", config, longhornChartMissing, backupStoreSecrets);

    /** Runs the deployed script as the Job would, playing Longhorn meanwhile. */
    async function runAsJob(setId: string): Promise<{ code: number; out: string; calls: string }> {
        const cron = await c.read("/apis/batch/v1/namespaces/iris/cronjobs/iris-backup");
        const pod = get(cron, "spec", "jobTemplate", "spec", "template", "spec") as Obj;
        const container = (get(pod, "containers") as Obj[])[0];
        const env = Object.fromEntries(
            (get(container, "env") as { name: string; value: string }[]).map((e) => [
                e.name,
                e.value,
            ]),
        );
        const cmName = String(get(pod, "volumes", 0, "configMap", "name"));
        const cm = await c.read(`/api/v1/namespaces/iris/configmaps/${cmName}`);
        const dir = fs.mkdtempSync(path.join(c.cp.dir, "backup-job-"));
        fs.writeFileSync(path.join(dir, "backup.sh"), String(get(cm, "data", "backup.sh")));

        // The Job's credentials: a token for its ServiceAccount, nothing else.
        const kubeconfig = await serviceAccountKubeconfig(
            c.cp,
            "iris",
            String(get(pod, "serviceAccountName")),
        );
        fs.mkdirSync(path.join(dir, "bin"));
        fs.writeFileSync(
            path.join(dir, "bin", "kubectl"),
            shim(path.join(toolchain.binDir(), "kubectl")),
            { mode: 0o755 },
        );
        const calls = path.join(dir, "calls");
        fs.writeFileSync(calls, "");

        const child = spawn("bash", [path.join(dir, "backup.sh")], {
            env: {
                PATH: `${path.join(dir, "bin")}:${toolchain.binDir()}:${process.env.PATH ?? ""}`,
                ...env,
                HOME: dir,
                KUBECONFIG: kubeconfig,
                CALLS: calls,
                SET_ID: setId,
                BACKUP_TIMEOUT: "120",
            },
        });
        let out = "";
        child.stdout.on("data", (d: Buffer) => (out += d.toString()));
        child.stderr.on("data", (d: Buffer) => (out += d.toString()));
        let finished = false;
        const done = new Promise<number>((resolve) =>
            child.on("exit", (code) => {
                finished = true;
                resolve(code ?? -1);
            }),
        );
        // Stand-in for Longhorn's snapshot and backup controllers. A snapshot becomes ready a
        // second after kubectl starts waiting on it: kubectl has listed it (not ready) and must
        // watch (kubectl kubernetes-1.35.0 pkg/cmd/wait/condition.go getObjAndCheckCondition:
        // ListWatch → watchtools.UntilWithSync), so the Role's `watch` is really exercised.
        const waitSeen = new Map<string, number>();
        while (!finished) {
            for (const [kind, status] of [
                ["snapshots", { readyToUse: true }],
                ["backups", { state: "Completed" }],
            ] as const) {
                const list = await c.read(`${lh}/${kind}`);
                for (const o of (get(list, "items") as Obj[] | undefined) ?? []) {
                    if (get(o, "status", Object.keys(status)[0])) continue;
                    const name = String(get(o, "metadata", "name"));
                    if (kind === "snapshots") {
                        const waiting = fs.readFileSync(calls, "utf8").includes(` ${name} `);
                        if (waiting && !waitSeen.has(name)) waitSeen.set(name, Date.now());
                        if (Date.now() - (waitSeen.get(name) ?? Date.now()) < 1000) continue;
                    }
                    await c.cp.api("PATCH", `${lh}/${kind}/${name}/status`, { status });
                }
            }
            await new Promise((r) => setTimeout(r, 300));
        }
        return { code: await done, out, calls: fs.readFileSync(calls, "utf8") };
    }

    it("up deploys the CronJob, its RBAC and the IRIS instance", async function () {
        await provisionDurableIrisVolume(c.cp);
        const result = await timed("backup-rbac: up", () =>
            c.e.stack.up({ onOutput: () => undefined }).catch(engineError),
        );
        assert.strictEqual(result.summary.result, "succeeded");
    });

    it("takes a set with the Job's own token: every call allowed, every object accepted", async function () {
        const r = await timed("backup-rbac: set", () => runAsJob("20261129T010000Z"));
        assert.strictEqual(r.code, 0, r.out);
        // A verb the Role lacks on a watch is not fatal to kubectl wait (client-go's reflector
        // logs it and relists), so its log line is the proof.
        assert.doesNotMatch(r.out, /forbidden/i);
        assert.match(r.calls, /^wait /m, "the set waited on its snapshots");
        assert.match(r.calls, /ExternalFreeze/);
        assert.match(r.calls, /^real exec: /m, "kubectl exec went to the API server");
        const backups = await c.read(`${lh}/backups`);
        const items = (get(backups, "items") as Obj[]) ?? [];
        assert.deepStrictEqual(
            items.map((b) => get(b, "metadata", "labels", "iris-platform.io/journal")),
            ["20261130.002"],
        );
        const events = await c.read("/api/v1/namespaces/iris/events");
        assert.ok(
            ((get(events, "items") as Obj[]) ?? []).some(
                (e) => get(e, "reason") === "BackupSetCompleted",
            ),
            "the set posts its Event",
        );
    });

    it("a second set keeps its own snapshot and deletes the older one (list, watch, delete allowed)", async function () {
        const r = await timed("backup-rbac: second set", () => runAsJob("20261130T010000Z"));
        assert.strictEqual(r.code, 0, r.out);
        assert.doesNotMatch(r.out, /forbidden/i);
        const snaps = await c.read(`${lh}/snapshots`);
        const names = ((get(snaps, "items") as Obj[]) ?? [])
            .filter((s) => !get(s, "metadata", "deletionTimestamp"))
            .map((s) => get(s, "metadata", "name"));
        assert.deepStrictEqual(names, ["pvc-e2e-20261130t010000z"]);
    });
});
