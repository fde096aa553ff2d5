/**
 * The real Prometheus Operator (built from its Go module by toolchain/build.sh) run as a process
 * against the integration tier's API server, and readers for what it generates: the Prometheus
 * configuration Secret and the rule-file ConfigMaps a real Prometheus would load.
 *
 * Names as prometheus-operator v0.93.1 writes them: the config Secret is `prometheus-<name>`
 * with key `prometheus.yaml.gz` (pkg/prometheus/common.go: ConfigSecretName, ConfigFilename);
 * rule ConfigMaps are `prometheus-<name>-rulefiles-<i>` (pkg/operator/rules.go: configMapNameAt)
 * with one key `<namespace>-<rule name>-<uid>.yaml` per PrometheusRule (rules.go, selectRules);
 * a ServiceMonitor endpoint becomes the job `serviceMonitor/<namespace>/<name>/<index>`
 * (pkg/prometheus/promcfg.go, generateServiceMonitorConfig).
 */
import * as assert from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import * as yaml from "js-yaml";
import type { ControlPlane } from "./control-plane";
import { freePort, running, until } from "./processes";
import { get, type Obj, type RealCluster } from "./real-cluster";
import { toolchain } from "./toolchain";

export interface GeneratedConfig {
    /** The Prometheus configuration, parsed. */
    readonly config: Obj;
    /** Its text, as the operator wrote it. */
    readonly text: string;
    /** Rule files: key → parsed rule file, from every `…-rulefiles-<i>` ConfigMap. */
    readonly ruleFiles: Record<string, Obj>;
}

/** Starts the operator as cluster admin (the control plane's admin certificate); stops with the suite. */
export async function startPrometheusOperator(cp: ControlPlane): Promise<{ stop(): void }> {
    const bin = toolchain.requireBinaries(["prometheus-operator"])["prometheus-operator"];
    const pki = (f: string) => path.join(cp.dir, "pki", f);
    const log = fs.openSync(path.join(cp.dir, "prometheus-operator.log"), "a");
    const child = spawn(
        bin,
        [
            `--apiserver=${cp.server}`,
            `--ca-file=${pki("ca.crt")}`,
            `--cert-file=${pki("admin.crt")}`,
            `--key-file=${pki("admin.key")}`,
            `--web.listen-address=127.0.0.1:${await freePort()}`,
            "--log-level=debug",
        ],
        { stdio: ["ignore", log, log] },
    );
    fs.closeSync(log);
    running.add(child);
    child.once("exit", () => running.delete(child));
    return {
        stop() {
            child.kill("SIGTERM");
        },
    };
}

/**
 * Waits until the operator has written the configuration of Prometheus `namespace/name` with
 * every job `want` names (it reconciles again when monitors appear), then reads it and its rules.
 */
export async function generatedConfig(
    cp: ControlPlane,
    namespace: string,
    name: string,
    want: { jobs: readonly string[]; ruleGroups: readonly string[] },
): Promise<GeneratedConfig> {
    const secretPath = `/api/v1/namespaces/${namespace}/secrets/prometheus-${name}`;
    const logs = path.join(cp.dir, "prometheus-operator.log");
    let last: GeneratedConfig | undefined;
    try {
        return await until(
            `the operator's configuration of ${namespace}/${name} with ${want.jobs.join(", ")} and groups ${want.ruleGroups.join(", ")}`,
            180_000,
            async () => {
                const secret = await cp.api("GET", secretPath);
                const gz = get(secret.body, "data", "prometheus.yaml.gz") as string | undefined;
                if (secret.status !== 200 || !gz) return undefined;
                const text = zlib.gunzipSync(Buffer.from(gz, "base64")).toString("utf8");
                const config = yaml.load(text) as Obj;
                const ruleFiles: Record<string, Obj> = {};
                const cms = await cp.api("GET", `/api/v1/namespaces/${namespace}/configmaps`);
                for (const cm of (get(cms.body, "items") as Obj[] | undefined) ?? []) {
                    const cmName = get(cm, "metadata", "name") as string;
                    if (!cmName.startsWith(`prometheus-${name}-rulefiles-`)) continue;
                    const data = (get(cm, "data") as Record<string, string> | undefined) ?? {};
                    for (const [key, file] of Object.entries(data))
                        ruleFiles[key] = yaml.load(file) as Obj;
                }
                last = { config, text, ruleFiles };
                const jobs = jobNames(last);
                const groups = ruleGroupNames(last);
                return want.jobs.every((j) => jobs.includes(j)) &&
                    want.ruleGroups.every((g) => groups.includes(g))
                    ? last
                    : undefined;
            },
            logs,
        );
    } catch (err) {
        const seen = last
            ? `; jobs seen: ${jobNames(last).join(", ") || "none"}; groups seen: ${ruleGroupNames(last).join(", ") || "none"}`
            : "; no configuration Secret was written";
        throw new Error(`${err instanceof Error ? err.message : String(err)}${seen}`, {
            cause: err,
        });
    }
}

export const jobNames = (g: GeneratedConfig): string[] =>
    ((get(g.config, "scrape_configs") as Obj[] | undefined) ?? []).map(
        (s) => get(s, "job_name") as string,
    );

export const ruleGroupNames = (g: GeneratedConfig): string[] =>
    Object.values(g.ruleFiles).flatMap((f) =>
        ((get(f, "groups") as Obj[] | undefined) ?? []).map((x) => get(x, "name") as string),
    );

/**
 * Files only a running Prometheus pod has: its ServiceAccount token and CA (the chart's kubelet
 * and API server monitors use `bearer_token_file`/`ca_file` there) and what the operator mounts
 * under /etc/prometheus (secrets, configmaps, certs).
 */
const podMounts = ["/var/run/secrets/kubernetes.io/serviceaccount/", "/etc/prometheus/"];

/**
 * `v` with every `…_file` setting that names a pod mount rewritten to an empty file under
 * `root`: promtool (v0.316.0 cmd/promtool/main.go checkConfig/checkTLSConfig) only checks that
 * credentials and client-certificate files exist. Any other path is left for promtool to refuse.
 */
function withPodMounts(v: unknown, root: string, key = ""): unknown {
    if (Array.isArray(v)) return v.map((x) => withPodMounts(x, root));
    if (typeof v === "object" && v !== null)
        return Object.fromEntries(
            Object.entries(v).map(([k, x]) => [k, withPodMounts(x, root, k)]),
        );
    if (typeof v !== "string" || !key.endsWith("_file") || !podMounts.some((m) => v.startsWith(m)))
        return v;
    const local = path.join(root, v);
    fs.mkdirSync(path.dirname(local), { recursive: true });
    fs.writeFileSync(local, "");
    return local;
}

/**
 * Writes the configuration and its rule files where `promtool check config` can read them: the
 * operator points `rule_files` at the Prometheus pod's mount, which is rewritten to `dir`, and
 * the pod's credential files become empty placeholders under `dir/pod` (`withPodMounts`).
 */
export function writeForPromtool(g: GeneratedConfig, dir: string): string {
    const rules = path.join(dir, "rules");
    fs.mkdirSync(rules, { recursive: true });
    for (const [key, file] of Object.entries(g.ruleFiles))
        fs.writeFileSync(path.join(rules, key), yaml.dump(file));
    const config = {
        ...(withPodMounts(g.config, path.join(dir, "pod")) as Obj),
        rule_files: [path.join(rules, "*.yaml")],
    };
    const file = path.join(dir, "prometheus.yaml");
    fs.writeFileSync(file, yaml.dump(config));
    return file;
}

/**
 * What a cluster that already runs the Prometheus Operator has: its CRDs (from the
 * kube-prometheus-stack chart's `charts/crds/crds` in `chartsDir`, established before this
 * returns) and the `monitoring` namespace.
 */
export async function installOperatorCrds(c: RealCluster, chartsDir: string): Promise<void> {
    const crdDir = path.join(chartsDir, "kube-prometheus-stack", "charts", "crds", "crds");
    for (const file of fs.readdirSync(crdDir).sort()) {
        const crd = yaml.load(fs.readFileSync(path.join(crdDir, file), "utf8"));
        const r = await c.cp.api(
            "POST",
            "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
            crd,
        );
        assert.ok(r.status < 300, `${file}: HTTP ${r.status}`);
    }
    await c.cp.api("POST", "/api/v1/namespaces", { metadata: { name: "monitoring" } });
    await until("the Prometheus Operator's CRDs established", 30_000, async () => {
        const crd = await c.read(
            "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/servicemonitors.monitoring.coreos.com",
        );
        const conditions =
            (get(crd, "status", "conditions") as { type: string; status: string }[] | undefined) ??
            [];
        return conditions.some((x) => x.type === "Established" && x.status === "True")
            ? true
            : undefined;
    });
}
