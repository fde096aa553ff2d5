/** Stack config → the monitoring layer's args (part of the config → args module). */
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../../config";
import type { ChartSources } from "../chart-sources";
import { irisLabels } from "../iris/common";
import { quantityMiB } from "../../config/primitives";
import { backupCronJobName, backupJobLimits } from "../iris/backup";
import type { IrisTarget, MonitoringArgs } from "../monitoring";
import type { RuleInstance, RulesInput } from "../monitoring/rules";
import { alertmanagerConfig, prometheusRetentionSize } from "../monitoring/values";
import { irisBackups } from "./index";

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
        rules: rulesInput(config),
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

/** What the alert rules' thresholds depend on, per instance (see monitoring/rules.ts). */
export function rulesInput(config: PlatformConfig): RulesInput {
    const plans = irisBackups(config)?.plans ?? {};
    const instances = config.iris.instances.map((i): RuleInstance => {
        const mib = (q: string) => {
            const v = quantityMiB(q);
            if (v === undefined)
                throw new Error(`iris.instances ${i.name}: size ${q} is not bytes`);
            return v;
        };
        // IKO mounts journal1/journal2/WIJ volumes; a standalone instance keeps them all on
        // its one durable volume (iris/durable-instance.ts).
        const iko = i.mode === "iko";
        const plan = plans[`${i.namespace}/${i.name}`];
        return {
            namespace: i.namespace,
            name: i.name,
            mirrored: iko && i.data.topology === "mirrored",
            computeReplicas: iko ? i.compute.replicas : 0,
            journalVolumesMiB: {
                primary: mib(iko ? i.storage.journal1 : i.storage.data),
                secondary: mib(iko ? i.storage.journal2 : i.storage.data),
                WIJ: mib(iko ? i.storage.wij : i.storage.data),
            },
            backup: plan && {
                cronJob: backupCronJobName(i.name),
                schedule: plan.schedule,
                maxRunSeconds:
                    backupJobLimits(plan.freezeTimeoutSeconds).startingDeadlineSeconds +
                    backupJobLimits(plan.freezeTimeoutSeconds).activeDeadlineSeconds,
            },
        };
    });
    return {
        instances,
        longhorn: config.longhorn.enabled,
        certManager: config.certManager.enabled,
    };
}
