/**
 * kube-prometheus-stack values and the Alertmanager configuration (pure). Values keys come from
 * upstream kube-prometheus-stack 88.5.3 values.yaml; the tests check them against its skeleton.
 */
import * as yaml from "js-yaml";

export const monitoringNamespace = "monitoring";
/** The Secret holding Grafana's admin login. */
export const grafanaAdminSecret = "grafana-admin";
/** The Secret holding alertmanager.yaml (Alertmanager's `configSecret`). */
export const alertmanagerConfigSecret = "alertmanager-iris-platform";

export interface StackValuesInput {
    readonly retention: string;
    readonly storageSize: string;
    readonly storageClassName: string;
    readonly grafana: boolean;
    /** Grafana behind the TLS ingress, when a host is set. */
    readonly grafanaIngress?: {
        readonly host: string;
        readonly ingressClassName: string;
        readonly clusterIssuer: string;
    };
}

export function kubePrometheusStackValues(v: StackValuesInput): Record<string, unknown> {
    const volume = {
        spec: {
            storageClassName: v.storageClassName,
            accessModes: ["ReadWriteOnce"],
            resources: { requests: { storage: v.storageSize } },
        },
    };
    return {
        prometheus: {
            prometheusSpec: {
                retention: v.retention,
                storageSpec: { volumeClaimTemplate: volume },
                // Select every ServiceMonitor, PodMonitor and rule, not only this release's.
                serviceMonitorSelectorNilUsesHelmValues: false,
                podMonitorSelectorNilUsesHelmValues: false,
                ruleSelectorNilUsesHelmValues: false,
            },
        },
        alertmanager: { alertmanagerSpec: { configSecret: alertmanagerConfigSecret } },
        // The mirror-role alerts read IKO's pod labels.
        "kube-state-metrics": {
            metricLabelsAllowlist: ["pods=[intersystems.com/mirrorRole,intersystems.com/name]"],
        },
        grafana: {
            enabled: v.grafana,
            admin: {
                existingSecret: grafanaAdminSecret,
                userKey: "admin-user",
                passwordKey: "admin-password",
            },
            sidecar: {
                dashboards: {
                    enabled: true,
                    label: "grafana_dashboard",
                    labelValue: "1",
                    searchNamespace: "ALL",
                },
            },
            ingress: v.grafanaIngress
                ? {
                      enabled: true,
                      ingressClassName: v.grafanaIngress.ingressClassName,
                      annotations: {
                          "cert-manager.io/cluster-issuer": v.grafanaIngress.clusterIssuer,
                      },
                      hosts: [v.grafanaIngress.host],
                      tls: [{ secretName: "grafana-tls", hosts: [v.grafanaIngress.host] }],
                  }
                : { enabled: false },
        },
    };
}

/** Where alerts go; the secrets arrive already unwrapped inside an `apply`. */
export interface AlertRoutes {
    readonly email?: {
        to: string;
        from: string;
        smarthost: string;
        username?: string;
        password?: string;
    };
    readonly slack?: { channel: string; webhookUrl: string };
    readonly teamsWebhookUrl?: string;
}

/** alertmanager.yaml: every alert to every configured receiver, grouped per alert and namespace. */
export function alertmanagerConfig(routes: AlertRoutes): string {
    const receiver: Record<string, unknown> = { name: "iris-platform" };
    const e = routes.email;
    if (e)
        receiver.email_configs = [
            {
                to: e.to,
                from: e.from,
                smarthost: e.smarthost,
                ...(e.username
                    ? { auth_username: e.username, auth_password: e.password ?? "" }
                    : {}),
                send_resolved: true,
            },
        ];
    if (routes.slack)
        receiver.slack_configs = [
            {
                api_url: routes.slack.webhookUrl,
                channel: routes.slack.channel,
                send_resolved: true,
            },
        ];
    if (routes.teamsWebhookUrl)
        receiver.msteamsv2_configs = [{ webhook_url: routes.teamsWebhookUrl, send_resolved: true }];
    return yaml.dump({
        route: {
            receiver: "iris-platform",
            group_by: ["alertname", "namespace"],
            group_wait: "30s",
            group_interval: "5m",
            repeat_interval: "4h",
            // The stack's always-firing Watchdog proves the pipeline; it pages nobody.
            routes: [{ matchers: ['alertname="Watchdog"'], receiver: "null" }],
        },
        receivers: [receiver, { name: "null" }],
    });
}
