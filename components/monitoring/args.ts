/**
 * Stack config → the monitoring layer's args (the layer's one reader of the config). What the
 * layer knows of IRIS (metrics endpoints, pod labels, volumes, backup schedules) arrives as the
 * IRIS layer's published facts, never re-derived here.
 */
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../../config";
import { quantityMiB } from "../../domain/quantity";
import type { ChartSources } from "../chart-sources";
import type { IrisPublished } from "../iris/types";
import type { MonitoringArgs } from "./index";
import type { RulesInput } from "./rule";
import { alertmanagerConfig, prometheusRetentionSize } from "./values";

/** What monitoring takes from the IRIS layer: its published facts and its namespaces. */
export interface MonitoredIris extends IrisPublished {
    /** Per IRIS namespace, its Namespace object (absent: no IRIS layer). */
    readonly namespaceReady?: Readonly<Record<string, pulumi.Resource[]>>;
    /** Per instance (`namespace/name`), its workload component (absent: no IRIS layer). */
    readonly workloadReady?: Readonly<Record<string, pulumi.Resource[]>>;
}

/** What monitoring takes from the add-on layer. */
export interface MonitoringAddons {
    /** StorageClass of Prometheus's volume (the platform's class for IRIS volumes). */
    readonly storageClassName: string;
    /** Annotations that get an Ingress its certificate; absent: no issuer. */
    readonly certificateAnnotations?: Readonly<Record<string, string>>;
    /** IngressClass of the platform's controller, for Grafana's Ingress; absent: no controller. */
    readonly ingressClassName?: string;
    /** Longhorn is installed (its manager is monitored). */
    readonly longhorn: boolean;
    /** cert-manager being installed (its monitor waits for it); absent: cert-manager off. */
    readonly certManagerReady?: pulumi.Input<pulumi.Resource>[];
}

/**
 * The login the IRIS metrics endpoint requires and Prometheus scrapes with
 * (`monitoring.iris.username` with the `irisMetricsPassword` secret), when monitoring is on and
 * both are set. The platform hands it to the IRIS layer too.
 */
export function irisMetricsLogin(
    config: PlatformConfig,
): { readonly username: string; readonly password: pulumi.Output<string> } | undefined {
    const m = config.monitoring;
    const password = config.secrets.irisMetricsPassword;
    return m.enabled && m.iris.username && password
        ? { username: m.iris.username, password }
        : undefined;
}

/** The monitoring layer's args, given the add-on layer and the IRIS layer's facts. */
export function monitoringArgs(
    config: PlatformConfig,
    charts: ChartSources,
    addons: MonitoringAddons,
    iris: MonitoredIris,
): MonitoringArgs | undefined {
    const m = config.monitoring;
    if (!m.enabled) return undefined;
    const s = config.secrets;
    const a = m.alerts;
    const host = m.grafana.host;
    const install: MonitoringArgs["install"] =
        m.prometheus === "install"
            ? {
                  values: {
                      retention: m.retention,
                      storageSize: m.storageSize,
                      retentionSize: prometheusRetentionSize(quantityMiB(m.storageSize) ?? 0),
                      clusterProvider: config.cluster.provider,
                      storageClassName: addons.storageClassName,
                      grafana: m.grafana.enabled,
                      grafanaIngress:
                          host && addons.certificateAnnotations && addons.ingressClassName
                              ? {
                                    host,
                                    certificateAnnotations: addons.certificateAnnotations,
                                    ingressClassName: addons.ingressClassName,
                                }
                              : undefined,
                      podLabels: iris.podLabels,
                  },
                  grafanaAdminPassword: m.grafana.enabled ? s.grafanaAdminPassword : undefined,
                  alertmanagerYaml: pulumi.secret(
                      pulumi
                          .all([
                              s.alertSmtpPassword,
                              s.alertSlackWebhookUrl,
                              s.alertTeamsWebhookUrl,
                          ])
                          .apply(([smtp, slack, teams]) =>
                              alertmanagerConfig({
                                  email: a.email && { ...a.email, password: smtp },
                                  slack:
                                      a.slack && slack
                                          ? { ...a.slack, webhookUrl: slack }
                                          : undefined,
                                  teamsWebhookUrl: a.teams ? teams : undefined,
                              }),
                          ),
                  ),
              }
            : undefined;
    const login = irisMetricsLogin(config);
    return {
        namespace: m.namespace,
        charts,
        install,
        targets: iris.metricsTargets.map((t) => ({
            ...t,
            namespaceReady: iris.namespaceReady?.[t.namespace] ?? [],
            workloadReady: iris.workloadReady?.[`${t.namespace}/${t.name}`] ?? [],
        })),
        rules: rulesInput(iris, addons),
        irisLogin: login,
        longhorn: addons.longhorn,
        certManager: addons.certManagerReady,
        selectorLabels: m.existing.labels,
    };
}

/** What the alert rules' thresholds depend on: the IRIS facts and the add-ons that are on. */
export function rulesInput(
    iris: Pick<MonitoredIris, "instances" | "podLabels">,
    addons: Pick<MonitoringAddons, "longhorn" | "certManagerReady">,
): RulesInput {
    return {
        instances: iris.instances,
        podLabels: iris.podLabels,
        longhorn: addons.longhorn,
        certManager: addons.certManagerReady !== undefined,
    };
}
