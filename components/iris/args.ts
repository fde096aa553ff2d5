/** Stack config → the IRIS layer's args (the layer's one reader of the config). */
import type { PlatformConfig } from "../../config";
import type { ReleaseSource } from "../../versions";
import { chartLogin, ikoMirrorSource, sourceFrom, type ChartMirror } from "../chart-sources";
import type { BackupSetDefaults } from "../addons/types";
import type { Cluster } from "../cluster/types";
import type { BackupPlan, IrisBackups } from "./backup";
import type { IrisSecrets } from "./settings";
import { setLabels } from "./backup-script";
import type { DestroyGuardArgs } from "./destroy-guard";
import type { IrisLayerArgs } from "./index";

/** The IKO chart: `iko.chart` (download path or repository) first, else the stack's chart mirror. */
export function ikoChartSource(
    config: PlatformConfig,
    mirror: ChartMirror,
): ReleaseSource | undefined {
    const c = config.iko.chart;
    const login = chartLogin(c.username, config.secrets.chartRegistryPassword);
    if (c.path || c.repo) return sourceFrom(c, c.name, c.version, login);
    return ikoMirrorSource(mirror);
}

/** The IRIS layer's args, given the IKO chart and what the add-on and monitoring layers hand it. */
export function irisLayerArgs(
    config: PlatformConfig,
    ikoChart: ReleaseSource | undefined,
    from: Pick<
        IrisLayerArgs,
        | "storageClassName"
        | "certificateAnnotations"
        | "ingressClassName"
        | "ingressReportsStatus"
        | "storageReady"
        | "routingReady"
        | "metricsLogin"
    > & {
        /** The add-on layer's backup-set defaults; absent: no backups. */
        readonly backupSets?: BackupSetDefaults;
    },
): IrisLayerArgs {
    const s = config.secrets;
    const secrets: IrisSecrets = {
        registryToken: s.registryToken,
        irisPassword: s.irisPassword,
        irisPasswordHash: s.irisPasswordHash,
        irisLicenseKey: s.irisLicenseKey,
        webgatewayPassword: s.webgatewayPassword,
    };
    return {
        iko: config.iko,
        iris: config.iris,
        secrets,
        ikoChart,
        backups: irisBackups(config, from.backupSets),
        // Only what the layer takes: `from` may be a whole layer's result.
        storageClassName: from.storageClassName,
        certificateAnnotations: from.certificateAnnotations,
        ingressClassName: from.ingressClassName,
        ingressReportsStatus: from.ingressReportsStatus,
        storageReady: from.storageReady,
        routingReady: from.routingReady,
        metricsLogin: from.metricsLogin,
    };
}

/**
 * Consistent backup sets per instance: on by default whenever Longhorn has a backup target,
 * with the stack's schedule and retention (the add-on layer's defaults) unless the instance
 * sets its own.
 */
export function irisBackups(
    config: PlatformConfig,
    defaults: BackupSetDefaults | undefined,
): IrisBackups | undefined {
    if (!defaults) return undefined;
    const plans: Record<string, BackupPlan> = {};
    for (const i of config.iris.instances) {
        const b = i.backup;
        if (b.enabled === false) continue;
        plans[`${i.namespace}/${i.name}`] = {
            schedule: b.schedule ?? defaults.schedule,
            retain: b.retain ?? defaults.retain,
            freezeTimeoutSeconds: b.freezeTimeoutSeconds,
        };
    }
    return { longhornNamespace: defaults.longhornNamespace, replicas: defaults.replicas, plans };
}

/** The destroy guard's args (`iris.destroyGuard.enabled` with instances and backups), else none. */
export function destroyGuardArgs(
    config: PlatformConfig,
    backups: IrisBackups | undefined,
    cluster: Pick<Cluster, "kubeconfig" | "context">,
): DestroyGuardArgs | undefined {
    const g = config.iris.destroyGuard;
    if (!g.enabled || !backups || config.iris.instances.length === 0) return undefined;
    return {
        kubeconfig: cluster.kubeconfig,
        context: cluster.context,
        longhornNamespace: backups.longhornNamespace,
        instances: config.iris.instances.map((i) => `${i.namespace}/${i.name}`),
        maxBackupAgeHours: g.maxBackupAgeHours,
        allowWithoutBackup: g.allowWithoutBackup,
        labels: {
            set: setLabels.set,
            instance: setLabels.instance,
            size: setLabels.size,
            state: setLabels.state,
        },
    };
}
