/** Stack config → the monitoring layer's args (part of the config → args module). */
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../../config";
import type { ChartSources } from "../chart-sources";
import { irisLabels } from "../iris/common";
import type { IrisTarget, MonitoringArgs } from "../monitoring";
import { quantityMiB } from "../../config/primitives";
import { alertmanagerConfig, prometheusRetentionSize } from "../monitoring/values";

/** The monitoring layer's args, given the platform's StorageClass, issuer and the IRIS layer. */
export function monitoringArgs(
    config: PlatformConfig,
    charts: ChartSources,
    addons: { storageClassName: string; clusterIssuer?: string; ingressClassName?: string },
    irisReady: pulumi.Input<pulumi.Resource>[],
    certManagerReady: pulumi.Input<pulumi.Resource>[],
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
                          host && addons.clusterIssuer && addons.ingressClassName
                              ? {
                                    host,
                                    clusterIssuer: addons.clusterIssuer,
                                    ingressClassName: addons.ingressClassName,
                                }
                              : undefined,
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
        targets: config.iris.instances.map(irisTarget),
        irisLogin: login,
        irisReady,
        longhorn: config.longhorn.enabled,
        certManager: config.certManager.enabled ? certManagerReady : undefined,
        selectorLabels: m.existing.labels,
    };
}

/**
 * Where an instance serves `/api/monitor/metrics`: IKO's web gateway (port 80, `/api` among its
 * paths), else the data pod's private web server, which only community images still ship.
 */
function irisTarget(i: PlatformConfig["iris"]["instances"][number]): IrisTarget {
    if (i.mode === "standalone")
        return { namespace: i.namespace, name: i.name, selector: irisLabels(i.name), port: 52773 };
    const gateway = i.webgateway.replicas > 0;
    return {
        namespace: i.namespace,
        name: i.name,
        selector: {
            "intersystems.com/name": i.name,
            "intersystems.com/component": gateway ? "webgateway" : "data",
        },
        port: gateway ? 80 : 52773,
    };
}
