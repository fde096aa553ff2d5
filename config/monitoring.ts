/** `iris-platform:monitoring`: metrics, alerts and dashboards for IRIS and the platform. */
import { z } from "zod";
import { dnsLabel, hostname, quantity } from "./primitives";

const email = z.email("must be an e-mail address");

export const monitoring = z.strictObject({
    /** One switch: scrape every IRIS instance, load the alert rules, provision the dashboards. */
    enabled: z.boolean().default(false),
    /** `install` kube-prometheus-stack, or use a Prometheus Operator the cluster `existing`ly runs. */
    prometheus: z.enum(["install", "existing"]).default("install"),
    /** Namespace of Prometheus (created with `install`), the alert rules and the dashboard. */
    namespace: dnsLabel.default("monitoring"),
    /** How long Prometheus keeps samples (`15d`, `12h`, …). */
    retention: z
        .string()
        .regex(/^\d+(ms|s|m|h|d|w|y)$/, "must be a Prometheus duration such as 15d")
        .default("15d"),
    /** Prometheus's volume, on the platform's StorageClass. */
    storageSize: quantity.default("50Gi"),
    grafana: z
        .strictObject({
            enabled: z.boolean().default(true),
            /** Serve Grafana behind the TLS ingress on this host (needs ingress and cert-manager). */
            host: hostname.optional(),
        })
        .prefault({}),
    /** Where Alertmanager sends alerts; the webhook URLs and SMTP password are secrets. */
    alerts: z
        .strictObject({
            email: z
                .strictObject({
                    to: email,
                    from: email,
                    /** `host:port` of the SMTP relay. */
                    smarthost: z.string().regex(/^[^\s:]+:\d+$/, "must be host:port"),
                    /** SMTP user; its password is the `alertSmtpPassword` secret. */
                    username: z.string().min(1).optional(),
                })
                .optional(),
            /** Slack channel; the incoming-webhook URL is the `alertSlackWebhookUrl` secret. */
            slack: z.strictObject({ channel: z.string().min(1) }).optional(),
            /** Microsoft Teams (webhook URL in the `alertTeamsWebhookUrl` secret). */
            teams: z.boolean().default(false),
        })
        .prefault({}),
    /** `/api/monitor/metrics` login, when the IRIS web application requires one (it allows unauthenticated access by default). */
    iris: z
        .strictObject({
            /** IRIS user Prometheus authenticates as; its password is the `irisMetricsPassword` secret. */
            username: z.string().min(1).optional(),
        })
        .prefault({}),
});
