/**
 * Monitoring under mocks and pure: which stacks get the stack, monitors, rules and dashboard;
 * that every IRIS instance is scraped; that no credential is plain; that every rule and panel
 * parses as PromQL (Prometheus's own Lezer grammar); values keys against upstream's.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { parser } from "@prometheus-io/lezer-promql";
import { parseConfig } from "../config";
import { Platform } from "../components/platform";
import { dashboardExpressions, irisDashboard } from "../components/monitoring/dashboard";
import { renderRuleGroups } from "../components/monitoring/rules";
import { stackRulesInput as rulesInput, publishedPodLabels } from "./rules-input";
import { acmeIngressAnnotations } from "../components/addons/cert-manager-issuers";
import { alertmanagerConfig, kubePrometheusStackValues } from "../components/monitoring/values";
import { charts } from "../versions";
import { buildStack } from "./build-stack";
import { userValues } from "./stack-files";
import { allIrisSecrets, rejects } from "./config-helpers";
import { isSecretValue, one, runProgram, type Recording } from "./mocks";
import { chartValues, unknownValuesKeys } from "./values-keys";
import { computeWeeklyConfig, stackConfig } from "./rule-tests/stacks";

/** The rules prod and a compute/weekly-backup config render (every alert the program has). */
const ruleGroups = [stackConfig("prod"), computeWeeklyConfig()].flatMap((c) =>
    renderRuleGroups(rulesInput(c)),
);

const M = {
    release: "kubernetes:helm.sh/v3:Release",
    monitor: "kubernetes:monitoring.coreos.com/v1:ServiceMonitor",
    rule: "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
    configMap: "kubernetes:core/v1:ConfigMap",
    secret: "kubernetes:core/v1:Secret",
    service: "kubernetes:core/v1:Service",
};

/** PromQL syntax errors in `expr` (empty when it parses). */
function promqlErrors(expr: string): string[] {
    const errors: string[] = [];
    parser.parse(expr).iterate({
        enter: (n) => {
            if (n.type.isError) errors.push(`at ${n.from}: ${expr.slice(n.from, n.from + 20)}`);
        },
    });
    return errors;
}

const byName = (r: Recording, type: string, name: string) =>
    r.ofType(type).find((x) => (x.inputs.metadata as { name: string }).name === name);

describe("monitoring (pure)", function () {
    it("every alert rule and dashboard panel is valid PromQL, and the parser does catch errors", function () {
        const exprs = [
            ...ruleGroups.flatMap((g) => g.rules.map((r) => r.expr)),
            ...dashboardExpressions(publishedPodLabels),
        ];
        for (const e of exprs) assert.deepStrictEqual(promqlErrors(e), [], e);
        assert.notDeepStrictEqual(promqlErrors("sum(rate(x[5m]) by"), []);
    });

    it("pages for what an IRIS operator needs, each alert with a summary and a runbook", function () {
        const alerts = ruleGroups.flatMap((g) => g.rules);
        for (const a of [
            "IRISMetricsAbsent",
            "IRISInstanceDown",
            "IRISInstanceHung",
            "IRISSystemStateAlert",
            "IRISMirrorBackupLost",
            "IRISMirrorNoPrimary",
            "IRISJournalSpaceLow",
            "IRISWIJSpaceLow",
            "IRISDatabaseNearMaxSize",
            "IRISLicenseNearlyUsed",
            "IRISWriteDaemonSlow",
            "IRISECPServerConnectionsLow",
            "LonghornVolumeDegraded",
            "LonghornVolumeFaulted",
            "LonghornBackupFailed",
            "IRISBackupSetFailed",
            "IRISBackupSetMissing",
            "CertificateExpiresSoon",
            "CertificateNotReady",
        ])
            assert.ok(
                alerts.some((r) => r.alert === a),
                a,
            );
        for (const r of alerts) {
            assert.ok(r.annotations.summary && r.annotations.description.length > 60, r.alert);
            assert.match(r.for, /^\d+[mh]$/);
        }
    });

    it("sets only keys kube-prometheus-stack 88.5.3 has", function () {
        const values = kubePrometheusStackValues({
            retention: "15d",
            storageSize: "50Gi",
            retentionSize: "43520MiB",
            clusterProvider: "aws",
            storageClassName: "iris-retain",
            grafana: true,
            grafanaIngress: {
                host: "g.example.com",
                ingressClassName: "nginx",
                certificateAnnotations: acmeIngressAnnotations("le"),
            },
            podLabels: publishedPodLabels,
        });
        // values.yaml documents these two only as commented examples (`# configSecret:` under
        // alertmanagerSpec; `storageSpec: {}` with a commented volumeClaimTemplate).
        const documentedAsComments = [
            "alertmanager.alertmanagerSpec.configSecret",
            "prometheus.prometheusSpec.storageSpec.volumeClaimTemplate",
        ];
        const unknown = unknownValuesKeys(values, chartValues("kube-prometheus-stack-88.5.3"), [
            "grafana.*",
            "kube-state-metrics.*",
        ]);
        assert.deepStrictEqual(
            unknown.filter((k) => !documentedAsComments.includes(k)),
            [],
        );
        assert.strictEqual(charts.kubePrometheusStack.version, "88.5.3");
    });

    it("routes alerts to every configured receiver and silences the Watchdog", function () {
        const text = alertmanagerConfig({
            email: { to: "a@x", from: "b@x", smarthost: "smtp:587", username: "u", password: "p" },
            slack: { channel: "#iris", webhookUrl: "https://hooks/x" },
        });
        assert.match(text, /email_configs:[\s\S]*auth_password: p/);
        assert.match(text, /slack_configs:[\s\S]*api_url: https:\/\/hooks\/x/);
        assert.match(text, /alertname="Watchdog"/);
        assert.strictEqual(
            (irisDashboard(publishedPodLabels).panels as unknown[]).length,
            dashboardExpressions(publishedPodLabels).length,
        );
    });
});

describe("monitoring in the stacks (mocks)", function () {
    it("prod installs kube-prometheus-stack with storage on the IRIS class and Grafana behind TLS", async function () {
        const { recording: r } = await buildStack("prod");
        const release = r.ofType(M.release).find((x) => x.name.endsWith("monitoring-release"));
        assert.ok(release);
        assert.strictEqual(release.inputs.version, "88.5.3");
        assert.strictEqual(release.inputs.namespace, "monitoring");
        const v = release.inputs.values as {
            prometheus: { prometheusSpec: Record<string, unknown> };
            grafana: { ingress: { hosts: string[]; annotations: Record<string, string> } };
        };
        assert.strictEqual(v.prometheus.prometheusSpec.retention, "30d");
        assert.strictEqual(
            v.prometheus.prometheusSpec.serviceMonitorSelectorNilUsesHelmValues,
            false,
        );
        assert.deepStrictEqual(v.grafana.ingress.hosts, [`grafana.${userValues.domain}`]);
        assert.strictEqual(
            v.grafana.ingress.annotations["cert-manager.io/cluster-issuer"],
            "letsencrypt-prod",
        );
        // HTTP-01 on F5's nginx-ingress needs the solver path inside the host's own Ingress: the
        // Grafana Ingress carries the same cert-manager annotations as the IRIS portal Ingress.
        const iris = r.ofType("kubernetes:networking.k8s.io/v1:Ingress");
        assert.ok(iris.length > 0, "prod has an IRIS portal Ingress");
        const certManager = (a: Record<string, string>) =>
            Object.fromEntries(Object.entries(a).filter(([k]) => /cert-manager\.io\//.test(k)));
        for (const ing of iris) {
            const annotations = (ing.inputs.metadata as { annotations: Record<string, string> })
                .annotations;
            assert.deepStrictEqual(
                certManager(v.grafana.ingress.annotations),
                certManager(annotations),
            );
        }
        assert.strictEqual(
            v.grafana.ingress.annotations["acme.cert-manager.io/http01-edit-in-place"],
            "true",
        );
    });

    it("prod scrapes its IRIS instance through the web gateway, and Longhorn and cert-manager", async function () {
        const { recording: r } = await buildStack("prod");
        const svc = byName(r, M.service, "iris-metrics");
        assert.deepStrictEqual((svc?.inputs.spec as { selector: unknown }).selector, {
            "intersystems.com/name": "iris",
            "intersystems.com/component": "webgateway",
        });
        const irisMonitor = byName(r, M.monitor, "iris-iris");
        const ep = (irisMonitor?.inputs.spec as { endpoints: Record<string, unknown>[] })
            .endpoints[0];
        assert.strictEqual(ep.path, "/api/monitor/metrics");
        assert.deepStrictEqual(ep.relabelings, [
            { targetLabel: "iris_instance", replacement: "iris/iris" },
        ]);
        assert.ok(byName(r, M.monitor, "longhorn-manager"));
        assert.ok(byName(r, M.monitor, "cert-manager"));
        const rules = one(r, M.rule);
        assert.ok(
            r.dependsOn(
                rules,
                r.ofType(M.release).find((x) => x.name.endsWith("monitoring-release"))!,
            ),
        );
        const dashboard = byName(r, M.configMap, "iris-dashboard");
        assert.strictEqual(
            (dashboard?.inputs.metadata as { labels: Record<string, string> }).labels
                .grafana_dashboard,
            "1",
        );
    });

    it("prod: Prometheus waits for Longhorn's StorageClass only; cert-manager's monitor for cert-manager", async function () {
        const { recording: r } = await buildStack("prod");
        const release = (name: string) => r.ofType(M.release).find((x) => x.inputs.name === name)!;
        const prom = release("kube-prometheus-stack");
        assert.ok(r.dependsOn(prom, one(r, "kubernetes:storage.k8s.io/v1:StorageClass")));
        for (const other of ["cert-manager", "nginx-ingress", "iko"])
            assert.ok(!r.dependsOn(prom, release(other)), `Prometheus does not wait for ${other}`);
        assert.ok(r.dependsOn(byName(r, M.monitor, "cert-manager")!, release("cert-manager")));
    });

    it("prod: the IRIS metrics Service waits for the IRIS namespace only; its monitor for the instance's workload too", async function () {
        const { recording: r } = await buildStack("prod");
        const namespace = r.get("kubernetes:core/v1:Namespace", "iris-iris-namespace-iris");
        const cluster = one(r, "kubernetes:intersystems.com/v1alpha1:IrisCluster");
        const iko = r.ofType(M.release).find((x) => x.inputs.name === "iko")!;
        const service = byName(r, M.service, "iris-metrics")!;
        const monitor = byName(r, M.monitor, "iris-iris")!;
        assert.ok(r.dependsOn(service, namespace), "the Service waits for its namespace");
        for (const not of [cluster, iko])
            assert.ok(!r.dependsOn(service, not), `the Service does not wait for ${not.name}`);
        // Scraping starts once the workload is accepted, not while its pods first start.
        assert.ok(r.dependsOn(monitor, cluster), "the monitor waits for the IrisCluster");
        // Created before its pods exist, the Service must not wait for one (the provider's
        // 10-minute Service await would fail a first start or a restore).
        const annotations = (
            byName(r, M.service, "iris-metrics")!.inputs.metadata as {
                annotations?: Record<string, string>;
            }
        ).annotations;
        assert.strictEqual(annotations?.["pulumi.com/skipAwait"], "true");
    });

    it("prod keeps Grafana's password and the Alertmanager config (SMTP password) secret", async function () {
        const { recording: r } = await buildStack("prod");
        for (const name of ["grafana-admin", "alertmanager-iris-platform"]) {
            const s = byName(r, M.secret, name);
            assert.ok(s, name);
            const data = s.rawInputs.stringData as Record<string, unknown>;
            assert.ok(isSecretValue(data) || Object.values(data).some(isSecretValue), name);
        }
    });

    it("dev has no monitoring", async function () {
        const { recording: r } = await buildStack("dev");
        assert.deepStrictEqual(r.ofType(M.monitor), []);
        assert.deepStrictEqual(r.ofType(M.rule), []);
    });

    it("with prometheus existing: monitors, rules and dashboard only, and a metrics login as a Secret", async function () {
        const config = parseConfig(
            {
                cluster: { provider: "existing" },
                monitoring: {
                    enabled: true,
                    prometheus: "existing",
                    iris: { username: "metrics" },
                },
                iris: { instances: [{ name: "iris" }] },
            },
            {
                kubeconfig: pulumi.secret("k"),
                irisPassword: pulumi.secret("p"),
                irisMetricsPassword: pulumi.secret("m"),
            },
        );
        const { recording: r } = await runProgram(() => new Platform("p", { config }));
        assert.ok(!r.ofType(M.release).some((x) => x.name.includes("monitoring")));
        assert.ok(
            !r.ofType("kubernetes:core/v1:Namespace").some((x) => x.name.includes("monitoring")),
        );
        const login = byName(r, M.secret, "iris-metrics-login");
        const data = login?.rawInputs.stringData as Record<string, unknown>;
        assert.ok(isSecretValue(data) || isSecretValue(data.password), "the password stays secret");
        const ep = (
            byName(r, M.monitor, "iris-iris")?.inputs.spec as {
                endpoints: { basicAuth: unknown }[];
            }
        ).endpoints[0];
        assert.deepStrictEqual(ep.basicAuth, {
            username: { name: "iris-metrics-login", key: "username" },
            password: { name: "iris-metrics-login", key: "password" },
        });
        // The operator rejects a monitor whose basic-auth Secret is missing: the Secret first.
        assert.ok(r.dependsOn(byName(r, M.monitor, "iris-iris")!, login!));
        // A standalone instance is scraped once its Deployment is ready (Pulumi's await), so a
        // slow first start pages nobody; its metrics Service does not wait for the pod.
        const deployment = one(r, "kubernetes:apps/v1:Deployment");
        assert.ok(r.dependsOn(byName(r, M.monitor, "iris-iris")!, deployment));
        assert.ok(!r.dependsOn(byName(r, M.service, "iris-metrics")!, deployment));
        assert.strictEqual(
            (byName(r, M.service, "iris-metrics")?.inputs.spec as { ports: { port: number }[] })
                .ports[0].port,
            52773,
        );
    });
});

describe("config: monitoring", function () {
    const gke = { provider: "gke", gke: { project: "p", region: "europe-west1" } };
    it("refuses Grafana without its password, and a Grafana host without ingress and cert-manager", function () {
        rejects(
            { cluster: gke, monitoring: { enabled: true } },
            {},
            /^iris-platform:monitoring\.grafana\.enabled: needs the `grafanaAdminPassword` secret/,
        );
        rejects(
            {
                cluster: gke,
                ingress: { enabled: false },
                monitoring: { enabled: true, grafana: { host: "g.example.com" } },
            },
            { grafanaAdminPassword: pulumi.secret("g") },
            /monitoring\.grafana\.host: needs ingress\.enabled and certManager\.enabled/,
        );
    });

    it("refuses an instance monitoring cannot scrape, and alert routes for a Prometheus it does not own", function () {
        rejects(
            {
                cluster: gke,
                monitoring: { enabled: true, prometheus: "existing" },
                iris: {
                    instances: [
                        {
                            name: "iris",
                            image: "containers.intersystems.com/intersystems/iris:2025.1",
                        },
                    ],
                },
            },
            allIrisSecrets,
            /iris\.instances\[0\]\.image: has no private web server/,
        );
        rejects(
            {
                cluster: gke,
                monitoring: { enabled: true, prometheus: "existing", alerts: { teams: true } },
            },
            { alertTeamsWebhookUrl: pulumi.secret("t") },
            /monitoring\.alerts: configures the Alertmanager this program installs/,
        );
        rejects(
            { cluster: gke, monitoring: { enabled: true, retention: "a month" } },
            { grafanaAdminPassword: pulumi.secret("g") },
            /monitoring\.retention: must be a Prometheus duration such as 15d/,
        );
    });
});
