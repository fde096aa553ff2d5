/** The IRIS dashboard (pure): written for this project, provisioned through Grafana's sidecar. */

interface Panel {
    readonly title: string;
    readonly expr: string;
    readonly unit: string;
    readonly legend: string;
}

const panels: readonly Panel[] = [
    {
        title: "Scrape up",
        expr: 'up{iris_instance!=""}',
        unit: "short",
        legend: "{{iris_instance}}",
    },
    {
        title: "System state (0 ok, 1 warning, 2 severe, 3 fatal)",
        expr: "iris_system_state",
        unit: "short",
        legend: "{{iris_instance}}",
    },
    {
        title: "Licence used",
        expr: "iris_license_percent_used",
        unit: "percent",
        legend: "{{iris_instance}}",
    },
    {
        title: "Cache efficiency",
        expr: "iris_cache_efficiency",
        unit: "short",
        legend: "{{iris_instance}}",
    },
    {
        title: "Database size",
        expr: "iris_db_size_mb",
        unit: "decmbytes",
        legend: "{{iris_instance}} {{id}}",
    },
    {
        title: "Journal and WIJ free space",
        expr: "iris_jrn_free_space",
        unit: "decmbytes",
        legend: "{{iris_instance}} {{id}}",
    },
    {
        title: "Write-daemon cycle",
        expr: "iris_wd_cycle_time",
        unit: "ms",
        legend: "{{iris_instance}}",
    },
    { title: "Processes", expr: "iris_process_count", unit: "short", legend: "{{iris_instance}}" },
    { title: "ECP connections", expr: "iris_ecp_conn", unit: "short", legend: "{{iris_instance}}" },
    {
        title: "Mirror members by role",
        expr: 'count by (namespace, label_intersystems_com_name, label_intersystems_com_mirrorrole) (kube_pod_labels{label_intersystems_com_mirrorrole!=""})',
        unit: "short",
        legend: "{{label_intersystems_com_name}} {{label_intersystems_com_mirrorrole}}",
    },
    {
        title: "Age of the last good backup set",
        expr: 'time() - kube_cronjob_status_last_successful_time{cronjob=~".+-backup"}',
        unit: "s",
        legend: "{{namespace}}/{{cronjob}}",
    },
];

/** Grafana dashboard JSON: a 2-column grid of time series, one per panel above. */
export function irisDashboard(): Record<string, unknown> {
    return {
        uid: "iris-platform-iris",
        title: "IRIS (iris-platform)",
        tags: ["iris", "iris-platform"],
        timezone: "utc",
        schemaVersion: 39,
        time: { from: "now-6h", to: "now" },
        refresh: "1m",
        panels: panels.map((p, i) => ({
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
export const dashboardExpressions: readonly string[] = panels.map((p) => p.expr);
