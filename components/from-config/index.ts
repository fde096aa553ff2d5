/**
 * Stack config → component args: the one place below `program.ts` that reads
 * `PlatformConfig`. Components receive only what they need; every rule about
 * config was already checked once, by the schema, so nothing here re-validates
 * (a missing value the schema guarantees is an internal error).
 */
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../../config";
import { ociLogins } from "../../domain/chart-registry";
import { dnsCloud } from "../../domain/dns";
import type { ReleaseSource } from "../../versions";
import { ikoMirrorSource, sourceFrom, type ChartMirror, type ChartSources } from "../chart-sources";
import { writeHelmRegistryConfig } from "../chart-login";
import type { CloudProviders } from "../cloud";
import type { Cluster, IngressEndpoint } from "../cluster/types";
import type { ExistingClusterArgs } from "../cluster/existing";
import type { IngressArgs } from "../addons/ingress";
import type { CertManagerArgs } from "../addons/cert-manager";
import type { LonghornArgs } from "../addons/longhorn";
import {
    credentialKeys,
    longhornNamespace,
    resolveLonghornOptions,
} from "../addons/longhorn-values";
import type { BackupTarget } from "../addons/backup-store";
import type { DnsRecordsArgs, DnsZone } from "../dns";
import type { IrisBackups, IrisLayerArgs } from "../iris";
import type { BackupPlan } from "../iris/backup";
import { setLabels } from "../iris/backup-script";
import type { DestroyGuardArgs } from "../iris/destroy-guard";

/** An internal error: config validation guarantees what is missing. */
function internal(what: string): Error {
    return new Error(`internal: ${what} (config validation should have refused this stack)`);
}

/** The stack's chart mirror: `charts`, with the registry password when a user is set. */
export function chartMirror(config: PlatformConfig): ChartMirror {
    const c = config.charts;
    return {
        directory: c.directory,
        mirror: c.mirror,
        overrides: c.overrides,
        login: chartLogin(config, c.username),
    };
}

/** A chart registry login: `username` with the `chartRegistryPassword` secret, when both are set. */
function chartLogin(config: PlatformConfig, username: string | undefined): ChartMirror["login"] {
    const password = config.secrets.chartRegistryPassword;
    return username && password ? { username, password } : undefined;
}

/**
 * Helm's registry credentials file for the stack's private `oci://` chart sources, written from
 * the `chartRegistryPassword` secret; absent when no OCI source has a login.
 */
export function helmRegistryConfigPath(config: PlatformConfig): pulumi.Output<string> | undefined {
    const logins = ociLogins(config);
    if (logins.length === 0) return undefined;
    const password = config.secrets.chartRegistryPassword;
    if (!password) throw internal(`${logins[0].key} login without chartRegistryPassword`);
    return writeHelmRegistryConfig(logins, password);
}

/** The IKO chart: `iko.chart` (download path or repository) first, else the stack's chart mirror. */
export function ikoChartSource(
    config: PlatformConfig,
    mirror: ChartMirror,
): ReleaseSource | undefined {
    const c = config.iko.chart;
    if (c.path || c.repo) return sourceFrom(c, c.name, c.version, chartLogin(config, c.username));
    return ikoMirrorSource(mirror);
}

/** `cluster.provider: existing`. */
export function existingClusterArgs(config: PlatformConfig): ExistingClusterArgs {
    const c = config.cluster;
    if (c.provider !== "existing") throw internal("not an existing cluster");
    return {
        clusterName: c.name,
        kubernetesVersion: c.kubernetesVersion,
        kubeconfig: config.secrets.kubeconfig,
        kubeconfigPath: c.existing.kubeconfigPath,
        context: c.existing.context,
        ingressAddress: c.existing.ingressAddress,
    };
}

/**
 * Where Longhorn's backups go: the stack's own target with the
 * `backupAccessKeyId`/`backupSecretAccessKey` secrets, a store the program creates on the
 * cluster's cloud, or nowhere (backups off).
 */
export type BackupDestination =
    | { readonly kind: "stack"; readonly store: BackupTarget }
    | { readonly kind: "cloud"; readonly retainStore: boolean }
    | undefined;

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

/** Longhorn's args, given where its backups go (absent: none). */
export function longhornArgs(
    config: PlatformConfig,
    charts: ChartSources,
    store: BackupTarget | undefined,
): LonghornArgs {
    const l = config.longhorn;
    const b = l.backup;
    return {
        charts,
        options: resolveLonghornOptions(l, config.cluster.provider),
        storageClassName: l.storageClassName,
        backup: store ? { snapshotCleanupSchedule: b.snapshotCleanupSchedule, store } : undefined,
    };
}

export function ingressArgs(
    config: PlatformConfig,
    charts: ChartSources,
    endpoint: IngressEndpoint | undefined,
): IngressArgs {
    const g = config.ingress;
    // The superserver port forwards to the first IRIS instance's Service (named after the instance).
    const first = config.iris.instances[0];
    return {
        charts,
        endpoint,
        controller: g.controller,
        replicas: g.replicas,
        defaultClass: g.defaultClass,
        serviceType: g.serviceType,
        exposeSuperserver: g.exposeSuperserver,
        superserverTarget: first ? { namespace: first.namespace, service: first.name } : undefined,
    };
}

export function certManagerArgs(
    config: PlatformConfig,
    charts: ChartSources,
    ingressClassName: string | undefined,
): CertManagerArgs {
    const c = config.certManager;
    return {
        charts,
        email: c.email,
        ingressClassName: ingressClassName ?? "nginx",
        issuer: c.issuer,
    };
}

/** The IRIS layer's args, given what the add-on layer produced. */
export function irisLayerArgs(
    config: PlatformConfig,
    ikoChart: ReleaseSource | undefined,
    addons: Pick<IrisLayerArgs, "storageClassName" | "clusterIssuer" | "ingressClassName"> &
        Pick<IrisLayerArgs, "storageReady" | "routingReady">,
): IrisLayerArgs {
    return {
        iko: config.iko,
        iris: config.iris,
        secrets: config.secrets,
        ingressReportsStatus: config.ingress.serviceType !== "NodePort",
        ikoChart,
        backups: irisBackups(config),
        // With monitoring on, IRIS itself requires the metrics login on /api/monitor.
        metricsUsername: config.monitoring.enabled ? config.monitoring.iris.username : undefined,
        ...addons,
    };
}

/**
 * Consistent backup sets per instance: on by default whenever Longhorn has a backup target,
 * with `longhorn.backup.schedule`/`retain` unless the instance sets its own.
 */
export function irisBackups(config: PlatformConfig): IrisBackups | undefined {
    const l = config.longhorn;
    if (!l.enabled || !l.backup.enabled) return undefined;
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
    cluster: Cluster,
): DestroyGuardArgs | undefined {
    const g = config.iris.destroyGuard;
    const backups = irisBackups(config);
    if (!g.enabled || !backups || config.iris.instances.length === 0) return undefined;
    const c = config.cluster;
    return {
        kubeconfig: cluster.kubeconfig,
        context: c.provider === "existing" ? c.existing.context : undefined,
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

/**
 * A records for every IRIS host plus `dns.hostnames`, with the provider of the zone's cloud;
 * absent without a zone. The address comes from `dns.address` or the cluster's reserved
 * ingress address, never from the cluster itself.
 */
export function dnsArgs(
    config: PlatformConfig,
    clouds: CloudProviders,
    cluster: Cluster,
    hostnames: readonly string[],
): { readonly args: DnsRecordsArgs; readonly provider: pulumi.ProviderResource } | undefined {
    const d = config.dns;
    if (!d.enabled || !d.zone) return undefined;
    const cloud = dnsCloud(d.provider, config.cluster.provider);
    let zone: DnsZone;
    let provider: pulumi.ProviderResource | undefined;
    switch (cloud) {
        case "gcp":
            zone = { cloud, managedZone: d.zone, project: d.project };
            provider = clouds.gcp;
            break;
        case "azure":
            if (!d.resourceGroupName) throw internal("Azure DNS without dns.resourceGroupName");
            zone = { cloud, zoneName: d.zone, resourceGroupName: d.resourceGroupName };
            provider = clouds.azure;
            break;
        case "aws":
            zone = { cloud, hostedZoneId: d.zone };
            provider = clouds.aws;
            break;
        default:
            return undefined;
    }
    if (!provider) throw internal(`no ${cloud} provider was built for the DNS zone ${d.zone}`);
    const addresses = d.address ? pulumi.output([d.address]) : cluster.ingress?.addresses;
    if (!addresses)
        throw internal(`${config.cluster.provider} cluster reserved no ingress address`);
    const all = [...hostnames, ...d.hostnames];
    return { args: { zone, hostnames: all, addresses, ttl: d.ttl }, provider };
}

export { monitoringArgs } from "./monitoring";
