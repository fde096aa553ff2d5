/** The IRIS dashboard (pure): written for this project, provisioned through Grafana's sidecar. */
import { ksmPodLabel, type IrisPodLabels } from "./rule";

interface Panel {
    readonly title: string;
    readonly expr: string;
    readonly unit: string;
    readonly legend: string;
}

// Sources: IRIS metrics — InterSystems "Monitoring InterSystems IRIS Using REST API"
// (https://docs.intersystems.com/irislatest/csp/docbook/DocBook.UI.Page.cls?KEY=GCM_rest);
// `kube_pod_labels` (pod label names in snake case) and `kube_cronjob_status_last_successful_time`
// — kube-state-metrics v2.20.0 internal/store/pod.go, utils.go, cronjob.go; `up`: Prometheus's
// per-target series, `iris_instance`: our ServiceMonitor's relabeling (index.ts). IRIS series are
// aggregated by `iris_instance`: every web-gateway replica scrapes the same data server.
function panels(labels: IrisPodLabels): readonly Panel[] {
    const [name, role] = [ksmPodLabel(labels.instance), ksmPodLabel(labels.mirrorRole)];
    return [
        {
            title: "Scrape up (targets answering)",
            expr: 'sum by (iris_instance) (up{iris_instance!=""})',
            unit: "short",
            legend: "{{iris_instance}}",
        },
        {
            title: "System state (-1 hung, 0 ok, 1 warning, 2 alert)",
            expr: "max by (iris_instance) (iris_system_state)",
            unit: "short",
            legend: "{{iris_instance}}",
        },
        {
            title: "Licence used",
            expr: "max by (iris_instance) (iris_license_percent_used)",
            unit: "percent",
            legend: "{{iris_instance}}",
        },
        {
            title: "Cache efficiency",
            expr: "max by (iris_instance) (iris_cache_efficiency)",
            unit: "short",
            legend: "{{iris_instance}}",
        },
        {
            title: "Database size",
            expr: "max by (iris_instance, id) (iris_db_size_mb)",
            unit: "decmbytes",
            legend: "{{iris_instance}} {{id}}",
        },
        {
            title: "Journal and WIJ free space",
            expr: "min by (iris_instance, id) (iris_jrn_free_space)",
            unit: "decmbytes",
            legend: "{{iris_instance}} {{id}}",
        },
        {
            title: "Write-daemon cycle",
            expr: "max by (iris_instance) (iris_wd_cycle_time)",
            unit: "ms",
            legend: "{{iris_instance}}",
        },
        {
            title: "Processes",
            expr: "max by (iris_instance) (iris_process_count)",
            unit: "short",
            legend: "{{iris_instance}}",
        },
        {
            // iris_ecps_conn: the data server's ECP clients; iris_ecp_conn: an application server's.
            title: "ECP connections (data server)",
            expr: "max by (iris_instance) (iris_ecps_conn)",
            unit: "short",
            legend: "{{iris_instance}}",
        },
        {
            title: "Mirror members by role",
            expr: `count by (namespace, ${name}, ${role}) (kube_pod_labels{${role}!=""})`,
            unit: "short",
            legend: `{{namespace}}/{{${name}}} {{${role}}}`,
        },
        {
            title: "Age of the last good backup set",
            expr: 'time() - max by (namespace, cronjob) (kube_cronjob_status_last_successful_time{cronjob=~".+-backup"})',
            unit: "s",
            legend: "{{namespace}}/{{cronjob}}",
        },
    ];
}

/** Grafana dashboard JSON: a 2-column grid of time series, one per panel above. */
export function irisDashboard(labels: IrisPodLabels): Record<string, unknown> {
    return {
        uid: "iris-platform-iris",
        title: "IRIS (iris-platform)",
        tags: ["iris", "iris-platform"],
        timezone: "utc",
        schemaVersion: 39,
        time: { from: "now-6h", to: "now" },
        refresh: "1m",
        panels: panels(labels).map((p, i) => ({
            id: i + 1,
            type: "timeseries",
            title: p.title,
            gridPos: { x: (i % 2) * 12, y: Math.floor(i / 2) * 8, w: 12, h: 8 },
            fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
            targets: [{ refId: "A", expr: p.expr, legendFormat: p.legend }],
        })),
    };
}

/** Every PromQL expression the dashboard runs (checked by the tests' PromQL parser). */
export function dashboardExpressions(labels: IrisPodLabels): readonly string[] {
    return panels(labels).map((p) => p.expr);
}
