/** Rules between `monitoring` and the rest; each problem names the key to change. */
import { isCommunityImage } from "../domain/iris";
import type { CheckContext } from "./check-context";
import { quantityMiB } from "./primitives";

const secretHint = (k: string) => `needs the \`${k}\` secret (pulumi config set --secret ${k})`;

/** Labels the monitoring layer sets on its objects (components/monitoring/index.ts). */
const ownLabels = ["app.kubernetes.io/part-of", "grafana_dashboard"];

export function monitoringChecks({ c, has, issue }: CheckContext): void {
    const m = c.monitoring;
    if (!m.enabled) return;
    const installs = m.prometheus === "install";
    if (installs && m.grafana.enabled && !has("grafanaAdminPassword"))
        issue(["monitoring", "grafana", "enabled"], true, secretHint("grafanaAdminPassword"));
    if (m.grafana.host) {
        if (!installs)
            issue(
                ["monitoring", "grafana", "host"],
                m.grafana.host,
                "needs monitoring.prometheus install: an existing Grafana is not ours to expose",
            );
        if (!c.ingress.enabled || !c.certManager.enabled)
            issue(
                ["monitoring", "grafana", "host"],
                m.grafana.host,
                "needs ingress.enabled and certManager.enabled (Grafana is served over TLS)",
            );
    }
    // Prometheus keeps 85 % of it (retentionSize): too small a volume leaves no room to keep.
    const storageMiB = quantityMiB(m.storageSize);
    if (installs && (storageMiB === undefined || storageMiB < 1024))
        issue(["monitoring", "storageSize"], m.storageSize, "must be at least 1Gi");
    if (installs && !c.longhorn.enabled && !c.iris.storageClassName)
        issue(
            ["monitoring", "storageSize"],
            m.storageSize,
            "needs a StorageClass for Prometheus: longhorn.enabled or iris.storageClassName",
        );
    const extra = Object.keys(m.existing.labels);
    if (installs && extra.length > 0)
        issue(
            ["monitoring", "existing", "labels"],
            extra.join(","),
            "is for prometheus existing: the Prometheus this program installs selects every monitor and rule",
        );
    // Our own labels: the dashboard sidecar's and the part-of marker must keep their values.
    for (const k of extra.filter((k) => ownLabels.includes(k)))
        issue(
            ["monitoring", "existing", "labels", k],
            m.existing.labels[k],
            `is set by the program itself; choose another key than ${ownLabels.join(", ")}`,
        );
    const a = m.alerts;
    if (!installs && (a.email || a.slack || a.teams))
        issue(
            ["monitoring", "alerts"],
            Object.keys(a).join(","),
            "configures the Alertmanager this program installs; with prometheus existing, route alerts in your own Alertmanager",
        );
    if (a.slack && !has("alertSlackWebhookUrl"))
        issue(
            ["monitoring", "alerts", "slack"],
            a.slack.channel,
            secretHint("alertSlackWebhookUrl"),
        );
    if (a.teams && !has("alertTeamsWebhookUrl"))
        issue(["monitoring", "alerts", "teams"], true, secretHint("alertTeamsWebhookUrl"));
    if (a.email?.username && !has("alertSmtpPassword"))
        issue(
            ["monitoring", "alerts", "email", "username"],
            a.email.username,
            secretHint("alertSmtpPassword"),
        );
    c.iris.instances.forEach((inst, i) => {
        const at = ["iris", "instances", i, "webgateway", "applicationPaths"];
        const gateway = inst.mode === "iko" && inst.webgateway.replicas > 0;
        if (
            gateway &&
            !inst.webgateway.applicationPaths.some((p) => p === "/api" || p.startsWith("/api/"))
        )
            issue(
                at,
                inst.webgateway.applicationPaths.join(","),
                "needs /api for monitoring.enabled: Prometheus scrapes /api/monitor/metrics through the web gateway",
            );
        if (!gateway && !isCommunityImage(inst.image))
            issue(
                ["iris", "instances", i, "image"],
                inst.image,
                "has no private web server (IRIS 2023.2 and later) for monitoring to scrape: use mode iko with web-gateway nodes",
            );
    });
    if (m.iris.username && !has("irisMetricsPassword"))
        issue(
            ["monitoring", "iris", "username"],
            m.iris.username,
            secretHint("irisMetricsPassword"),
        );
}
