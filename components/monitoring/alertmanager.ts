/**
 * alertmanager.yaml (pure). kube-prometheus-stack renders its own `alertmanager.config` only when
 * no `configSecret` is given; ours replaces it whole, so the chart's inhibit rules and its
 * InfoInhibitor null route are carried over here. Receiver fields follow Alertmanager v0.35.0
 * docs/configuration.md (`<email_config>`, `<slack_config>`, `<msteamsv2_config>`).
 */
import * as yaml from "js-yaml";

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

/**
 * kube-prometheus-stack 88.5.3 values.yaml `alertmanager.config.inhibit_rules`, verbatim: a
 * critical alert mutes the warning/info alerts of the same name and namespace, a warning mutes
 * info, and `InfoInhibitor` (the chart's general.rules: severity `none`, firing while a namespace
 * has info alerts and no warning or critical one) mutes the info alerts of its namespace; the last
 * rule mutes InfoInhibitor itself while any other alert fires.
 */
export const chartInhibitRules: readonly Record<string, readonly string[]>[] = [
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

/** The receiver that pages nobody (the chart's `null`). */
export const nullReceiver = "null";
/** The receiver with every configured integration. */
export const platformReceiver = "iris-platform";

function platform(routes: AlertRoutes): Record<string, unknown> {
    const receiver: Record<string, unknown> = { name: platformReceiver };
    const e = routes.email;
    // <email_config>: to, from, smarthost, auth_username, auth_password, send_resolved.
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
    // <slack_config>: an incoming webhook in api_url, and the channel.
    if (routes.slack)
        receiver.slack_configs = [
            {
                api_url: routes.slack.webhookUrl,
                channel: routes.slack.channel,
                send_resolved: true,
            },
        ];
    // <msteamsv2_config>: the Workflows webhook in webhook_url.
    if (routes.teamsWebhookUrl)
        receiver.msteamsv2_configs = [{ webhook_url: routes.teamsWebhookUrl, send_resolved: true }];
    return receiver;
}

/** alertmanager.yaml: every alert to every configured receiver, grouped per alert and namespace. */
export function alertmanagerConfig(routes: AlertRoutes): string {
    return yaml.dump({
        route: {
            receiver: platformReceiver,
            group_by: ["alertname", "namespace"],
            group_wait: "30s",
            group_interval: "5m",
            repeat_interval: "4h",
            // Pages nobody: the always-firing Watchdog (the chart's own null route) and
            // InfoInhibitor, which exists only to mute info alerts. The chart's root receiver is `null`, so there InfoInhibitor reaches
            // nobody anyway; ours pages, and the last inhibit rule mutes InfoInhibitor only while
            // another alert fires, so it needs its own null route here.
            routes: [
                { matchers: ['alertname="Watchdog"'], receiver: nullReceiver },
                { matchers: ['alertname="InfoInhibitor"'], receiver: nullReceiver },
            ],
        },
        inhibit_rules: chartInhibitRules,
        receivers: [platform(routes), { name: nullReceiver }],
    });
}
