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
}

/** What monitoring takes from the add-on layer. */
export interface MonitoringAddons {
    readonly storageClassName: string;
    /** Annotations that get an Ingress its certificate; absent: no issuer. */
    readonly certificateAnnotations?: Readonly<Record<string, string>>;
    readonly ingressClassName?: string;
    /** cert-manager being installed (its monitor waits for it); absent: cert-manager off. */
    readonly certManagerReady?: pulumi.Input<pulumi.Resource>[];
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
    const login =
        m.iris.username && s.irisMetricsPassword
            ? { username: m.iris.username, password: s.irisMetricsPassword }
            : undefined;
    return {
        namespace: m.namespace,
        charts,
        install,
        targets: iris.metricsTargets.map((t) => ({
            ...t,
            namespaceReady: iris.namespaceReady?.[t.namespace] ?? [],
        })),
        rules: rulesInput(config, iris),
        irisLogin: login,
        longhorn: config.longhorn.enabled,
        certManager: config.certManager.enabled ? (addons.certManagerReady ?? []) : undefined,
        selectorLabels: m.existing.labels,
    };
}

/** What the alert rules' thresholds depend on: the IRIS facts and the add-ons that are on. */
export function rulesInput(
    config: PlatformConfig,
    iris: Pick<MonitoredIris, "instances" | "podLabels">,
): RulesInput {
    return {
        instances: iris.instances,
        podLabels: iris.podLabels,
        longhorn: config.longhorn.enabled,
        certManager: config.certManager.enabled,
    };
}
