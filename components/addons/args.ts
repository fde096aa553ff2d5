/** Stack config → the add-on layer's args (the layer's one reader of the config). */
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../../config";
import type { ChartSources } from "../chart-sources";
import { credentialKeys, longhornNamespace, resolveLonghornOptions } from "./longhorn-values";
import type { AddonsLayerArgs, BackupDestination } from "./index";

/** An internal error: config validation guarantees what is missing. */
function internal(what: string): Error {
    return new Error(`internal: ${what} (config validation should have refused this stack)`);
}

/** Longhorn, the ingress controller and cert-manager as the stack enables them. */
export function addonsLayerArgs(config: PlatformConfig, charts: ChartSources): AddonsLayerArgs {
    const l = config.longhorn;
    const g = config.ingress;
    const c = config.certManager;
    return {
        charts,
        longhorn: l.enabled
            ? {
                  options: resolveLonghornOptions(l, config.cluster.provider),
                  storageClassName: l.storageClassName,
                  backupSets: l.backup.enabled
                      ? {
                            longhornNamespace,
                            replicas: l.replicaCount,
                            schedule: l.backup.schedule,
                            retain: l.backup.retain,
                        }
                      : undefined,
                  snapshotCleanupSchedule: l.backup.snapshotCleanupSchedule,
                  destination: backupDestination(config),
              }
            : undefined,
        ingress: g.enabled
            ? {
                  controller: g.controller,
                  replicas: g.replicas,
                  defaultClass: g.defaultClass,
                  serviceType: g.serviceType,
                  exposeSuperserver: g.exposeSuperserver,
              }
            : undefined,
        certManager: c.enabled ? { email: c.email, issuer: c.issuer } : undefined,
    };
}

/**
 * Where Longhorn's backups go: the stack's own target with the
 * `backupAccessKeyId`/`backupSecretAccessKey` secrets, a store the program creates on the
 * cluster's cloud, or nowhere (backups off).
 */
export function backupDestination(config: PlatformConfig): BackupDestination {
    const b = config.longhorn.backup;
    if (!b.enabled) return undefined;
    if (!b.target) return { kind: "cloud", retainStore: b.retainStore };
    const keys = credentialKeys(b.target);
    const { backupAccessKeyId: id, backupSecretAccessKey: secret } = config.secrets;
    if (!id || !secret) throw internal("longhorn.backup.target without its secrets");
    return {
        kind: "stack",
        store: {
            target: pulumi.output(b.target),
            credentials: {
                [keys.id]: pulumi.secret(id),
                [keys.secret]: pulumi.secret(secret),
                ...(b.endpoint ? { AWS_ENDPOINTS: b.endpoint } : {}),
            },
        },
    };
}
