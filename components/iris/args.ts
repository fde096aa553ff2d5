/** Stack config → the IRIS layer's args (the layer's one reader of the config). */
import type { PlatformConfig } from "../../config";
import type { ReleaseSource } from "../../versions";
import { ikoMirrorSource, sourceFrom, type ChartMirror } from "../chart-sources";
import type { Cluster } from "../cluster/types";
import type { BackupPlan, IrisBackups } from "./backup";
import { setLabels } from "./backup-script";
import type { DestroyGuardArgs } from "./destroy-guard";
import type { IrisLayerArgs } from "./index";

/** The IKO chart: `iko.chart` (download path or repository) first, else the stack's chart mirror. */
export function ikoChartSource(
    config: PlatformConfig,
    mirror: ChartMirror,
): ReleaseSource | undefined {
    const c = config.iko.chart;
    const password = config.secrets.chartRegistryPassword;
    const login = c.username && password ? { username: c.username, password } : undefined;
    if (c.path || c.repo) return sourceFrom(c, c.name, c.version, login);
    return ikoMirrorSource(mirror);
}

/** The IRIS layer's args, given the IKO chart and what the add-on layer produced. */
export function irisLayerArgs(
    config: PlatformConfig,
    ikoChart: ReleaseSource | undefined,
    /** Where backup sets live: Longhorn's namespace (the add-on layer's), absent without Longhorn. */
    longhornNamespace: string | undefined,
    addons: Pick<
        IrisLayerArgs,
        | "storageClassName"
        | "certificateAnnotations"
        | "ingressClassName"
        | "storageReady"
        | "routingReady"
    >,
): IrisLayerArgs {
    return {
        iko: config.iko,
        iris: config.iris,
        secrets: config.secrets,
        ingressReportsStatus: config.ingress.serviceType !== "NodePort",
        ikoChart,
        backups: irisBackups(config, longhornNamespace),
        // With monitoring on, IRIS itself requires the metrics login on /api/monitor.
        metricsUsername: config.monitoring.enabled ? config.monitoring.iris.username : undefined,
        ...addons,
    };
}

/**
 * Consistent backup sets per instance: on by default whenever Longhorn has a backup target,
 * with `longhorn.backup.schedule`/`retain` unless the instance sets its own.
 */
export function irisBackups(
    config: PlatformConfig,
    longhornNamespace: string | undefined,
): IrisBackups | undefined {
    const l = config.longhorn;
    if (!l.enabled || !l.backup.enabled) return undefined;
    if (!longhornNamespace) throw new Error("internal: backups without Longhorn's namespace");
    const plans: Record<string, BackupPlan> = {};
    for (const i of config.iris.instances) {
        const b = i.backup;
        if (b.enabled === false) continue;
        plans[`${i.namespace}/${i.name}`] = {
            schedule: b.schedule ?? l.backup.schedule,
            retain: b.retain ?? l.backup.retain,
            freezeTimeoutSeconds: b.freezeTimeoutSeconds,
        };
    }
    return { longhornNamespace, replicas: l.replicaCount, plans };
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
