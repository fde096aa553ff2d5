/**
 * What decides who gets paged, pure and under mocks: the rendered Alertmanager config keeps the
 * chart's inhibit rules and null routes; the chart's control-plane scrapes and rules are off where
 * nothing can answer them; Prometheus's volume cannot fill; CRDs follow a chart bump; and with
 * `prometheus: existing` the operator's selector labels reach every object it must select.
 * (amtool proves the config and its routes in test/e2e/alertmanager-config.e2e.ts.)
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as yaml from "js-yaml";
import { parseConfig } from "../config";
import { Platform } from "../components/platform";
import { upstreamCharts } from "../components/chart-sources";
import { monitoringArgs } from "../components/monitoring/args";
import { irisPublished } from "../components/iris";
import { alertmanagerConfig, chartInhibitRules } from "../components/monitoring/alertmanager";
import { controlPlaneValues, type ClusterProvider } from "../components/monitoring/values";
import { images } from "../versions";
import { buildStack } from "./build-stack";
import { rejects } from "./config-helpers";
import { runProgram, type Recording } from "./mocks";

/**
 * kube-prometheus-stack 88.5.3 values.yaml, `alertmanager.config.inhibit_rules` (the chart's
 * default Alertmanager config, which ours replaces whole), copied from upstream.
 */
const upstreamInhibitRules = [
    {
        source_matchers: ["severity = critical"],
        target_matchers: ["severity =~ warning|info"],
        equal: ["namespace", "alertname"],
    },
    {
        source_matchers: ["severity = warning"],
        target_matchers: ["severity = info"],
        equal: ["namespace", "alertname"],
    },
    {
        source_matchers: ["alertname = InfoInhibitor"],
        target_matchers: ["severity = info"],
        equal: ["namespace"],
    },
    { target_matchers: ["alertname = InfoInhibitor"] },
];

/** The chart's control-plane components (values.yaml top-level keys) and their rule switches. */
const controlPlane = ["kubeEtcd", "kubeControllerManager", "kubeScheduler", "kubeProxy"];
const controlPlaneRules = [
    "etcd",
    "kubeControllerManager",
    "kubeSchedulerAlerting",
    "kubeSchedulerRecording",
    "kubeProxy",
];

type AmConfig = {
    route: { receiver: string; routes: { matchers: string[]; receiver: string }[] };
    inhibit_rules: unknown[];
    receivers: { name: string }[];
};

const releaseValues = (r: Recording) =>
    r.ofType("kubernetes:helm.sh/v3:Release").find((x) => x.inputs.name === "kube-prometheus-stack")
        ?.inputs.values as Record<string, Record<string, unknown>>;

describe("alerting: Alertmanager config (pure)", function () {
    it("keeps kube-prometheus-stack's inhibit rules, which its replaced default config had", function () {
        const am = yaml.load(alertmanagerConfig({})) as AmConfig;
        assert.deepStrictEqual(am.inhibit_rules, upstreamInhibitRules);
        assert.deepStrictEqual(chartInhibitRules, upstreamInhibitRules);
    });

    it("sends Watchdog and InfoInhibitor to the null receiver, everything else to ours", function () {
        const am = yaml.load(
            alertmanagerConfig({ slack: { channel: "#iris", webhookUrl: "https://hooks/x" } }),
        ) as AmConfig;
        assert.strictEqual(am.route.receiver, "iris-platform");
        assert.deepStrictEqual(
            am.route.routes.map((r) => [r.matchers, r.receiver]),
            [
                [['alertname="Watchdog"'], "null"],
                [['alertname="InfoInhibitor"'], "null"],
            ],
        );
        assert.deepStrictEqual(
            am.receivers.map((r) => r.name),
            ["iris-platform", "null"],
        );
    });
});

describe("alerting: kube-prometheus-stack values", function () {
    for (const provider of ["gke", "aks", "aws", "existing"] as ClusterProvider[])
        it(`${provider}: the chart neither scrapes nor alerts on etcd, controller-manager, scheduler, kube-proxy`, function () {
            const v = controlPlaneValues(provider) as Record<string, Record<string, unknown>>;
            for (const c of controlPlane) assert.strictEqual(v[c].enabled, false, c);
            const rules = (v.defaultRules as { rules: Record<string, boolean> }).rules;
            for (const r of controlPlaneRules) assert.strictEqual(rules[r], false, r);
            // GKE's cluster DNS is kube-dns, which does not serve CoreDNS's metrics port.
            assert.strictEqual((v.coreDns as { enabled: boolean }).enabled, provider !== "gke");
        });

    const cluster: Record<string, Record<string, unknown>> = {
        gke: { provider: "gke", gke: { project: "p", region: "europe-west1" } },
        aks: {
            provider: "aks",
            aks: { subscriptionId: "0b1c2d3e-4f50-4617-8283-94a5b6c7d8e9", location: "westeurope" },
        },
        existing: { provider: "existing" },
    };
    for (const [provider, c] of Object.entries(cluster))
        it(`${provider}: the stack's cluster provider reaches the chart values`, function () {
            const config = parseConfig(
                { cluster: c, monitoring: { enabled: true, grafana: { enabled: false } } },
                { kubeconfig: pulumi.secret("k"), irisPassword: pulumi.secret("p") },
            );
            const args = monitoringArgs(
                config,
                upstreamCharts,
                { storageClassName: "sc", longhorn: false },
                irisPublished([], undefined),
            );
            assert.strictEqual(args?.install?.values.clusterProvider, provider);
        });

    it("prod (kubeadm on AWS): control plane off, Prometheus keeps 85 % of its 100Gi volume", async function () {
        const { recording: r } = await buildStack("prod");
        const v = releaseValues(r);
        for (const c of controlPlane) assert.deepStrictEqual(v[c], { enabled: false }, c);
        const spec = (v.prometheus as { prometheusSpec: Record<string, unknown> }).prometheusSpec;
        assert.strictEqual(spec.retentionSize, `${Math.floor(100 * 1024 * 0.85)}MiB`);
        assert.match(String(spec.retentionSize), /^[0-9]+MiB$/, "the operator's ByteSize pattern");
    });

    it("prod upgrades the chart's CRDs on a chart bump, with pinned images", async function () {
        const { recording: r } = await buildStack("prod");
        const job = (v: Record<string, unknown>) =>
            (
                v as {
                    upgradeJob: { enabled: boolean; image: Record<string, Record<string, string>> };
                }
            ).upgradeJob;
        const upgrade = job(releaseValues(r).crds);
        assert.strictEqual(upgrade.enabled, true);
        const ref = (i: Record<string, string>) => `${i.registry}/${i.repository}:${i.tag}`;
        assert.strictEqual(ref(upgrade.image.busybox), images.crdUpgradeBusybox);
        assert.strictEqual(ref(upgrade.image.kubectl), images.crdUpgradeKubectl);
        for (const i of Object.values(upgrade.image)) assert.notStrictEqual(i.tag, "latest");
    });
});

describe("alerting: prometheus existing and its selector labels", function () {
    const base = {
        cluster: { provider: "existing" },
        iris: { instances: [{ name: "iris" }] },
    };
    const secrets = { kubeconfig: pulumi.secret("k"), irisPassword: pulumi.secret("p") };

    it("puts the labels on every ServiceMonitor, the PrometheusRule and the dashboard, nothing else", async function () {
        const config = parseConfig(
            {
                ...base,
                certManager: { enabled: true },
                monitoring: {
                    enabled: true,
                    prometheus: "existing",
                    existing: { labels: { release: "kube-prometheus-stack" } },
                },
            },
            secrets,
        );
        const { recording: r } = await runProgram(() => new Platform("p", { config }));
        const labelsOf = (type: string) =>
            r
                .ofType(type)
                .map(
                    (x) => (x.inputs.metadata as { labels?: Record<string, string> }).labels ?? {},
                );
        const monitors = labelsOf("kubernetes:monitoring.coreos.com/v1:ServiceMonitor");
        assert.ok(monitors.length >= 2, "IRIS and cert-manager monitors");
        for (const l of [
            ...monitors,
            ...labelsOf("kubernetes:monitoring.coreos.com/v1:PrometheusRule"),
        ])
            assert.strictEqual(l.release, "kube-prometheus-stack");
        const dashboard = r
            .ofType("kubernetes:core/v1:ConfigMap")
            .find((x) => (x.inputs.metadata as { name?: string }).name === "iris-dashboard");
        assert.deepStrictEqual((dashboard?.inputs.metadata as { labels: unknown }).labels, {
            release: "kube-prometheus-stack",
            "app.kubernetes.io/part-of": "iris-platform",
            grafana_dashboard: "1",
        });
        const svc = r
            .ofType("kubernetes:core/v1:Service")
            .find((x) => (x.inputs.metadata as { name?: string }).name === "iris-metrics");
        assert.strictEqual(
            (svc?.inputs.metadata as { labels: Record<string, string> }).labels.release,
            undefined,
        );
    });

    it("refuses labels that are not Kubernetes labels, that we own, or with install", function () {
        const m = (labels: Record<string, string>, prometheus = "existing") => ({
            ...base,
            monitoring: { enabled: true, prometheus, existing: { labels } },
        });
        rejects(
            m({ "bad key!": "x" }),
            secrets,
            /monitoring\.existing\.labels\.bad key!: must be a Kubernetes label key/,
        );
        rejects(
            m({ release: "not ok!" }),
            secrets,
            /monitoring\.existing\.labels\.release: must be a Kubernetes label value/,
        );
        rejects(
            m({ grafana_dashboard: "0" }),
            secrets,
            /monitoring\.existing\.labels\.grafana_dashboard: is set by the program itself/,
        );
        rejects(
            m({ release: "kps" }, "install"),
            { ...secrets, grafanaAdminPassword: pulumi.secret("g") },
            /monitoring\.existing\.labels: is for prometheus existing/,
        );
    });

    it("refuses a Prometheus volume too small to keep anything", function () {
        rejects(
            { ...base, monitoring: { enabled: true, storageSize: "500Mi" } },
            { ...secrets, grafanaAdminPassword: pulumi.secret("g") },
            /monitoring\.storageSize: must be at least 1Gi \(got "500Mi"\)/,
        );
    });
});
