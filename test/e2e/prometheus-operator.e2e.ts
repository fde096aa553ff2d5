/**
 * What a real Prometheus would load: the Prometheus Operator (v0.93.1, kube-prometheus-stack
 * 88.5.3's appVersion, built from its Go module) runs against the API server and generates
 * Prometheus's configuration from the objects the platform created. In both monitoring modes the
 * generated configuration must hold a scrape job for every IRIS, Longhorn and cert-manager
 * monitor and the rule files our groups, and `promtool check config` must accept it.
 *
 * `install`: the chart's own Prometheus CR with the platform's values (from the test-only
 * stand-in chart copy when the mirror lacks the chart's subcharts, chart-standin.ts).
 * `existing`: a Prometheus CR configured as a stock kube-prometheus-stack release renders it
 * (selectors on `release: <release name>`, templates/prometheus/prometheus.yaml at 88.5.3),
 * which only sees our objects through `monitoring.existing.labels`.
 *
 * Not proven here: Prometheus scraping (no pod runs) and alerts firing (test/e2e/alert-rules).
 */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { irisRuleGroupName } from "../../components/monitoring/iris-rules";
import { useInstallableCharts } from "./chart-standin";
import { engineError, timed, provisionDurableIrisVolume } from "./helpers";
import { until } from "./processes";
import {
    generatedConfig,
    installOperatorCrds,
    startPrometheusOperator,
    writeForPromtool,
} from "./prometheus-operator";
import { get, useRealCluster, type Obj, type RealCluster } from "./real-cluster";
import { toolchain } from "./toolchain";

const chartsDir = process.env.IRIS_E2E_CHARTS_DIR;
const needed = ["longhorn", "cert-manager", "nginx-ingress", "kube-prometheus-stack"];
const skip = () => {
    const missing = chartsDir
        ? needed.filter((d) => !fs.existsSync(path.join(chartsDir, d, "Chart.yaml")))
        : needed;
    return missing.length === 0
        ? undefined
        : `${chartsDir ? `${chartsDir} lacks ${missing.join(", ")}` : "IRIS_E2E_CHARTS_DIR is not set"} (docs/testing.md)`;
};

/**
 * One standalone instance with Longhorn, the ingress controller and cert-manager from the charts
 * in `directory` (IRIS_E2E_CHARTS_DIR, or the install suite's stand-in copy of it).
 */
function stackConfig(
    monitoring: Record<string, unknown>,
    directory = path.resolve(chartsDir ?? ""),
): Record<string, unknown> {
    return {
        "pulumi:disable-default-providers": ["*"],
        "iris-platform:cluster": { provider: "existing", name: "iris-operator-e2e" },
        "iris-platform:charts": { directory },
        "iris-platform:longhorn": { enabled: true, backup: { enabled: false } },
        "iris-platform:ingress": { enabled: true, serviceType: "NodePort" },
        "iris-platform:certManager": { enabled: true, issuer: "letsencrypt-staging" },
        "iris-platform:monitoring": { enabled: true, ...monitoring },
        "iris-platform:iris": { instances: [{ name: "iris", namespace: "iris" }] },
    };
}

/** Jobs and groups this stack must at least produce: IRIS, Longhorn, cert-manager; our groups. */
const platformJobs = [
    "serviceMonitor/iris/iris-iris/0",
    "serviceMonitor/longhorn-system/longhorn-manager/0",
    "serviceMonitor/cert-manager/cert-manager/0",
];
const platformGroups = [irisRuleGroupName("iris", "iris"), "iris-platform"];

/**
 * The job every endpoint of every ServiceMonitor and PodMonitor the platform created must get
 * (all outside the chart's `monitoring` namespace), named as the operator names them
 * (`serviceMonitor|podMonitor/<namespace>/<name>/<index>`, prometheus-operator v0.93.1
 * pkg/prometheus/promcfg.go generatePodMonitorConfig/generateServiceMonitorConfig), and every group of the platform's PrometheusRule.
 */
async function platformObjects(c: RealCluster): Promise<{ jobs: string[]; groups: string[] }> {
    const jobs: string[] = [];
    for (const [plural, prefix, key] of [
        ["servicemonitors", "serviceMonitor", "endpoints"],
        ["podmonitors", "podMonitor", "podMetricsEndpoints"],
    ] as const) {
        const list = await c.read(`/apis/monitoring.coreos.com/v1/${plural}`);
        for (const m of (get(list, "items") as Obj[] | undefined) ?? []) {
            const ns = get(m, "metadata", "namespace") as string;
            if (ns === "monitoring") continue;
            const name = get(m, "metadata", "name") as string;
            const endpoints = (get(m, "spec", key) as unknown[] | undefined) ?? [];
            endpoints.forEach((_, i) => jobs.push(`${prefix}/${ns}/${name}/${i}`));
        }
    }
    const rule = await c.read(
        "/apis/monitoring.coreos.com/v1/namespaces/monitoring/prometheusrules/iris-platform",
    );
    const groups = ((get(rule, "spec", "groups") as Obj[] | undefined) ?? []).map(
        (g) => get(g, "name") as string,
    );
    for (const j of platformJobs)
        assert.ok(jobs.includes(j), `the platform created ${j}'s monitor`);
    for (const g of platformGroups)
        assert.ok(groups.includes(g), `the platform rendered group ${g}`);
    return { jobs, groups };
}

async function checkGenerated(c: RealCluster, namespace: string, prometheus: string) {
    const want = await platformObjects(c);
    const operator = await startPrometheusOperator(c.cp);
    try {
        const g = await timed("operator: generated config", () =>
            generatedConfig(c.cp, namespace, prometheus, {
                jobs: want.jobs,
                ruleGroups: want.groups,
            }),
        );
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "iris-e2e-promcfg-"));
        try {
            const file = writeForPromtool(g, dir);
            const { promtool } = toolchain.requireBinaries(["promtool"]);
            // Throws with promtool's own message when it refuses the configuration or a rule file.
            execFileSync(promtool, ["check", "config", file], { stdio: "pipe" });
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    } finally {
        operator.stop();
    }
}

describe("the Prometheus Operator loads the platform's monitors and rules (monitoring: install)", function () {
    // The mirror as it is when it vendors the chart's subcharts; otherwise the test-only stand-in
    // without them (chart-standin.ts): the chart's Prometheus CR, which this suite is about, is
    // the parent chart's own template either way.
    const charts = useInstallableCharts(() => chartsDir);
    const c = useRealCluster(
        "operator-install",
        () => stackConfig({ prometheus: "install", grafana: { enabled: false } }, charts.directory),
        skip,
    );

    it("the chart's Prometheus gets a job per monitor and our rule groups; promtool accepts the config", async function () {
        await provisionDurableIrisVolume(c.cp);
        const result = await timed("operator-install: up", () =>
            c.e.stack
                .up({ onOutput: (o) => process.env.IRIS_E2E_VERBOSE && process.stdout.write(o) })
                .catch(engineError),
        );
        assert.strictEqual(result.summary.result, "succeeded");
        // kube-prometheus-stack names its Prometheus `<fullname>-prometheus` (templates/prometheus/prometheus.yaml).
        await checkGenerated(c, "monitoring", "kube-prometheus-stack-prometheus");
    });
});

describe("the Prometheus Operator loads the platform's monitors and rules (monitoring: existing)", function () {
    const release = "kube-prometheus-stack";
    const c = useRealCluster(
        "operator-existing",
        () =>
            stackConfig({
                prometheus: "existing",
                existing: { labels: { release } },
            }),
        skip,
    );

    it("a stock release's Prometheus selects our objects by its release label; promtool accepts the config", async function () {
        // The cluster's own operator: its CRDs (from the chart) and a Prometheus CR with the
        // selectors a stock release renders (…SelectorNilUsesHelmValues: true, the default).
        await installOperatorCrds(c, chartsDir ?? "");
        const selector = { matchLabels: { release } };
        const prometheus = {
            apiVersion: "monitoring.coreos.com/v1",
            kind: "Prometheus",
            metadata: { name: `${release}-prometheus`, namespace: "monitoring" },
            spec: {
                serviceMonitorSelector: selector,
                serviceMonitorNamespaceSelector: {},
                podMonitorSelector: selector,
                podMonitorNamespaceSelector: {},
                ruleSelector: selector,
                ruleNamespaceSelector: {},
            },
        };
        // The CRD answers once it is established.
        await until("the Prometheus CR", 30_000, async () => {
            const r = await c.cp.api(
                "POST",
                "/apis/monitoring.coreos.com/v1/namespaces/monitoring/prometheuses",
                prometheus,
            );
            return r.status < 300 ? true : undefined;
        });

        await provisionDurableIrisVolume(c.cp);
        const result = await timed("operator-existing: up", () =>
            c.e.stack
                .up({ onOutput: (o) => process.env.IRIS_E2E_VERBOSE && process.stdout.write(o) })
                .catch(engineError),
        );
        assert.strictEqual(result.summary.result, "succeeded");
        await checkGenerated(c, "monitoring", `${release}-prometheus`);
    });
});
