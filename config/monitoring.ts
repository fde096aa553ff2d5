/** `iris-platform:monitoring`: metrics, alerts and dashboards for IRIS and the platform. */
import { z } from "zod";
import { dnsLabel, hostname, quantity } from "./primitives";

const email = z.email("must be an e-mail address");

// Kubernetes label syntax (kubernetes.io/docs/concepts/overview/working-with-objects/labels,
// "Syntax and character set"): an optional DNS-subdomain prefix and `/`, then a name of at most
// 63 alphanumerics, `-`, `_`, `.`, starting and ending alphanumeric; a value is such a name or empty.
const labelName = "[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?";
const labelKeyRe = new RegExp(`^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?${labelName}$`);
const labelValue = z
    .string()
    .regex(
        new RegExp(`^(${labelName})?$`),
        "must be a Kubernetes label value (at most 63 characters: letters, digits, -, _, .)",
    );

/**
 * IRIS's predefined accounts that the username pattern admits (docs.intersystems.com
 * GSA_config_user_accounts_predefined; `_SYSTEM`, `_PUBLIC`, `_Ensemble` start with `_`).
 * Compared in lower case, since IRIS usernames are not case-sensitive.
 */
const predefinedIrisUsers = ["admin", "cspsystem", "iam", "superuser", "unknownuser"];

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
    /** What a Prometheus Operator the cluster already runs (`prometheus: existing`) needs to select our objects. */
    existing: z
        .strictObject({
            /**
             * Labels put on every ServiceMonitor, PrometheusRule and the dashboard ConfigMap; a stock
             * kube-prometheus-stack selects only `release: <its release name>`.
             */
            labels: z
                .record(z.string(), labelValue)
                .superRefine((labels, ctx) => {
                    for (const k of Object.keys(labels))
                        if (!labelKeyRe.test(k))
                            ctx.addIssue({
                                code: "custom",
                                path: [k],
                                input: k,
                                message:
                                    "must be a Kubernetes label key such as release or example.com/team",
                            });
                })
                .default({}),
        })
        .prefault({}),
    /** `/api/monitor/metrics` login, when the IRIS web application requires one (it allows unauthenticated access by default). */
    iris: z
        .strictObject({
            /** IRIS user Prometheus authenticates as; its password is the `irisMetricsPassword` secret. */
            // It lands in CPF merge actions (`Name=<user>,…`): no separators, quotes or spaces.
            username: z
                .string()
                .regex(
                    /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/,
                    "must be letters, digits, _ . @ - (at most 64, starting with a letter or digit)",
                )
                // The merge's ModifyUser would give a predefined account Prometheus's password
                // (SuperUser's login, or CSPSystem's and so break the web gateway).
                .refine(
                    (u) => !predefinedIrisUsers.includes(u.toLowerCase()),
                    `must not be a predefined IRIS account (${predefinedIrisUsers.join(", ")})`,
                )
                .optional(),
        })
        .prefault({}),
});
