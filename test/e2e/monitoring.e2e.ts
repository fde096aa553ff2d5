/**
 * Monitoring's custom resources on a real API server with the Prometheus Operator's real CRDs,
 * taken from the kube-prometheus-stack chart in IRIS_E2E_CHARTS_DIR (`charts/crds/crds`): with
 * `monitoring.prometheus: existing` the engine creates the IRIS metrics Service, its
 * ServiceMonitor (with a login Secret), the PrometheusRule and the dashboard ConfigMap, and the
 * API server validates each against the CRD schemas; a second preview plans nothing; destroy
 * removes them.
 *
 * A second suite installs the chart itself with `prometheus: install` and reads back the
 * Prometheus, Alertmanager and Deployments the platform's values produced. When the charts
 * directory lacks the chart's subcharts it installs the test-only stand-in copy without them
 * (chart-standin.ts): then Grafana and kube-state-metrics are not installed and the assertions
 * about their Deployments are left out (and say so). Not proven here: Prometheus actually scraping IRIS (no pod runs; the
 * operator never creates Prometheus's StatefulSet) and alerts firing; see docs/monitoring.md.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { irisRuleGroupName } from "../../components/monitoring/iris-rules";
import { assertNoSentinels, e2eSecrets, engineError, expectNoChanges, timed } from "./helpers";
import { useInstallableCharts } from "./chart-standin";
import { installOperatorCrds } from "./prometheus-operator";
import { get, useRealCluster, type Obj } from "./real-cluster";

const chartsDir = process.env.IRIS_E2E_CHARTS_DIR;
const crdDir = chartsDir && path.join(chartsDir, "kube-prometheus-stack", "charts", "crds", "crds");

describe("monitoring resources on a real API server with the Prometheus Operator's CRDs", function () {
    const c = useRealCluster(
        "monitoring",
        () => ({
            "pulumi:disable-default-providers": ["*"],
            "iris-platform:cluster": { provider: "existing", name: "iris-monitoring" },
            "iris-platform:longhorn": { enabled: false },
            "iris-platform:ingress": { enabled: false },
            "iris-platform:certManager": { enabled: false },
            "iris-platform:monitoring": {
                enabled: true,
                prometheus: "existing",
                iris: { username: "metrics" },
            },
            "iris-platform:iris": {
                storageClassName: "standard",
                instances: [{ name: "iris", namespace: "iris" }],
            },
        }),
        () =>
            crdDir && fs.existsSync(crdDir)
                ? undefined
                : "IRIS_E2E_CHARTS_DIR with an unpacked kube-prometheus-stack chart is not set (docs/testing.md)",
        { irisMetricsPassword: e2eSecrets.irisMetricsPassword },
    );

    it("up creates the monitors, rules and dashboard, which the real CRDs accept", async function () {
        // The cluster's own Prometheus Operator: its CRDs and its namespace.
        await installOperatorCrds(c, chartsDir ?? "");

        const result = await timed("monitoring: up", () =>
            c.e.stack.up({ onOutput: () => undefined }).catch(engineError),
        );
        assert.strictEqual(result.summary.result, "succeeded");
        const sm = await c.read(
            "/apis/monitoring.coreos.com/v1/namespaces/iris/servicemonitors/iris-iris",
        );
        assert.strictEqual(get(sm, "spec", "endpoints", 0, "path"), "/api/monitor/metrics");
        assert.strictEqual(
            get(sm, "spec", "endpoints", 0, "basicAuth", "password", "name"),
            "iris-metrics-login",
        );
        const rule = await c.read(
            "/apis/monitoring.coreos.com/v1/namespaces/monitoring/prometheusrules/iris-platform",
        );
        // The groups the program renders for this stack: the instance's only, since neither
        // Longhorn nor cert-manager runs here (each alert's behaviour: alert-rules.e2e.ts).
        const groups = (get(rule, "spec", "groups") as { name: string; rules: unknown[] }[]) ?? [];
        assert.deepStrictEqual(
            groups.map((g) => g.name),
            [irisRuleGroupName("iris", "iris")],
        );
        assert.ok(
            groups.every((g) => g.rules.length > 0),
            "every group was stored with its rules",
        );
        assert.ok(await c.read("/api/v1/namespaces/monitoring/configmaps/iris-dashboard"));
        const svc = await c.read("/api/v1/namespaces/iris/services/iris-metrics");
        assert.strictEqual(get(svc, "spec", "ports", 0, "port"), 52773);
    });

    it("a second preview shows no changes; destroy removes the monitoring objects", async function () {
        await expectNoChanges(c.e.stack);
        const result = await c.e.stack.destroy({ onOutput: () => undefined }).catch(engineError);
        assert.strictEqual(result.summary.result, "succeeded");
        assert.strictEqual(
            await c.read(
                "/apis/monitoring.coreos.com/v1/namespaces/monitoring/prometheusrules/iris-platform",
            ),
            undefined,
        );
    });
});

describe("kube-prometheus-stack installed from the charts directory with the platform's values", function () {
    const chart = chartsDir && path.join(chartsDir, "kube-prometheus-stack");
    // The mirror as it is, or the test-only stand-in without the subcharts it lacks.
    const charts = useInstallableCharts(() => chartsDir);
    const c = useRealCluster(
        "monitoring-install",
        () => ({
            "pulumi:disable-default-providers": ["*"],
            "iris-platform:cluster": { provider: "existing", name: "iris-monitoring" },
            "iris-platform:charts": { directory: charts.directory },
            "iris-platform:longhorn": { enabled: false },
            "iris-platform:ingress": { enabled: false },
            "iris-platform:certManager": { enabled: false },
            "iris-platform:monitoring": {
                enabled: true,
                retention: "30d",
                storageSize: "20Gi",
                alerts: { teams: true },
            },
            "iris-platform:iris": {
                storageClassName: "standard",
                instances: [{ name: "iris", namespace: "iris" }],
            },
        }),
        () =>
            chart && fs.existsSync(path.join(chart, "Chart.yaml"))
                ? undefined
                : "IRIS_E2E_CHARTS_DIR with an unpacked kube-prometheus-stack chart is not set (docs/testing.md)",
        {
            grafanaAdminPassword: e2eSecrets.grafanaAdminPassword,
            alertTeamsWebhookUrl: e2eSecrets.alertTeamsWebhookUrl,
        },
    );

    it("up installs the chart; Prometheus, Alertmanager (and Grafana, kube-state-metrics when vendored) carry the platform's settings", async function () {
        const result = await timed("monitoring: install up", () =>
            c.e.stack.up({ onOutput: () => undefined }).catch(engineError),
        );
        assert.strictEqual(result.summary.result, "succeeded");
        const mon = "/apis/monitoring.coreos.com/v1/namespaces/monitoring";
        const prom = (get(await c.read(`${mon}/prometheuses`), "items") as Obj[])[0];
        assert.strictEqual(get(prom, "spec", "retention"), "30d");
        assert.deepStrictEqual(get(prom, "spec", "serviceMonitorSelector"), {});
        assert.strictEqual(
            get(prom, "spec", "storage", "volumeClaimTemplate", "spec", "storageClassName"),
            "standard",
        );
        const am = (get(await c.read(`${mon}/alertmanagers`), "items") as Obj[])[0];
        assert.strictEqual(get(am, "spec", "configSecret"), "alertmanager-iris-platform");
        const deployments = (
            get(await c.read("/apis/apps/v1/namespaces/monitoring/deployments"), "items") as Obj[]
        ).map((d) => JSON.stringify(d));
        // Only when the subchart is installed: the stand-in chart leaves out those that are missing.
        if (charts.has("grafana"))
            assert.ok(
                deployments.some((d) => d.includes('"grafana-admin"')),
                "Grafana reads its admin Secret",
            );
        else
            console.log(
                "    not checked: Grafana's Deployment (grafana subchart not in the mirror)",
            );
        if (charts.has("kube-state-metrics"))
            assert.ok(
                deployments.some((d) => d.includes("intersystems.com/mirrorRole")),
                "kube-state-metrics exports IKO's mirror-role label",
            );
        else
            console.log(
                "    not checked: kube-state-metrics' Deployment (subchart not in the mirror)",
            );
        assertNoSentinels(await c.e.exportText(), "monitoring state");
    });

    it("a second preview shows no changes; destroy uninstalls the chart", async function () {
        await expectNoChanges(c.e.stack);
        const result = await c.e.stack.destroy({ onOutput: () => undefined }).catch(engineError);
        assert.strictEqual(result.summary.result, "succeeded");
    });
});
