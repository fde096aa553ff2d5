/**
 * The add-on layer the platform composes: the AWS cluster's system add-ons, Longhorn
 * with its backup store, and the ingress controller with cert-manager. Each waits
 * only for the cluster being ready; the backup store waits for nothing of it.
 */
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../config";
import { AwsSystemAddons } from "./cluster/aws/system-addons";
import type { Cluster } from "./cluster/types";
import { Ingress } from "./addons/ingress";
import { CertManager } from "./addons/cert-manager";
import { Longhorn } from "./addons/longhorn";
import { BackupStore, type BackupTarget } from "./addons/backup-store";
import type { ChartSources } from "./chart-sources";
import { backupDestination, certManagerArgs, ingressArgs, longhornArgs } from "./from-config";

/** What the add-on layer hands to the IRIS layer. */
export interface AddonsResult {
    /** StorageClass IRIS volumes use (Longhorn's Retain class or the configured one). */
    readonly storageClassName: string;
    /** ClusterIssuer the IRIS ingresses use, when cert-manager is on. */
    readonly clusterIssuer?: string;
    /** IngressClass of the controller, when ingress is on. */
    readonly ingressClassName?: string;
    /** The cluster (and its system add-ons) being ready. */
    readonly clusterReady: pulumi.Resource[];
    /** The StorageClass IRIS volumes use being ready (Longhorn), or the cluster when Longhorn is off. */
    readonly storageReady: pulumi.Resource[];
    /** The ingress controller and the ClusterIssuers (only portal Ingresses need them). */
    readonly routingReady: pulumi.Resource[];
}

/** What every add-on builder gets from the platform. */
export interface AddonContext {
    /** The platform's name (children are `<name>-<role>`). */
    readonly name: string;
    readonly config: PlatformConfig;
    /** Where each chart comes from. */
    readonly charts: ChartSources;
    readonly cluster: Cluster;
    /** The cluster (and its system add-ons) being ready. */
    readonly clusterReady: pulumi.Resource[];
    /** Options for the components (their parent). */
    readonly opts: pulumi.ComponentResourceOptions;
}

/** AWS kubeadm clusters only: CNI, cloud controller, autoscaler, metrics-server. */
export function createSystemAddons(
    name: string,
    charts: ChartSources,
    cluster: Cluster,
    opts: pulumi.ComponentResourceOptions,
): AwsSystemAddons | undefined {
    // Only kubeadm clusters expose kubeadm facts; the clouds bring their own CNI, CCM and metrics.
    const kubeadm = cluster.kubeadm;
    if (!kubeadm) return undefined;
    return new AwsSystemAddons(
        `${name}-kubeadm-addons`,
        { cluster: { ...cluster, kubeadm }, charts },
        { ...opts, provider: cluster.k8sProvider, dependsOn: cluster.readiness },
    );
}

/** The `backupStore` stack output: the target, whether destroy keeps it, and its cloud's names. */
export type BackupStoreOutput = Record<string, string | boolean>;

/** Longhorn, its IRIS StorageClass and backups (store on the cluster's cloud, not waiting for the cluster). */
export function createStorage(ctx: AddonContext): {
    readonly storageClassName: string;
    readonly ready: pulumi.Resource[];
    /** Where backups go (absent: backups off). */
    readonly backupStore?: pulumi.Output<BackupStoreOutput>;
    /** Longhorn and the backup store it made, whole (the destroy guard depends on them). */
    readonly parts: pulumi.Resource[];
} {
    const { name, config, charts, cluster, clusterReady, opts } = ctx;
    if (!config.longhorn.enabled) {
        // Cross-checks require iris.storageClassName whenever IRIS instances exist.
        return {
            storageClassName: config.iris.storageClassName ?? "",
            ready: clusterReady,
            parts: [],
        };
    }
    const destination = backupDestination(config);
    let store: BackupTarget | undefined;
    let backupStore: pulumi.Output<BackupStoreOutput> | undefined;
    const parts: pulumi.Resource[] = [];
    if (destination?.kind === "stack") {
        store = destination.store;
        // The user's own target: the program never deletes it.
        backupStore = store.target.apply((target): BackupStoreOutput => ({
            target,
            keptOnDestroy: true,
        }));
    } else if (destination?.kind === "cloud") {
        // Config refuses backups without a target on an existing cluster (no cloud).
        const cloud = cluster.cloud;
        if (cloud.cloud === "none") throw new Error("internal: a backup store needs a cloud");
        const made = new BackupStore(
            `${name}-backup`,
            { cloud, clusterName: cluster.clusterName, retainStore: destination.retainStore },
            opts,
        );
        store = made;
        parts.push(made);
        backupStore = pulumi
            .all([made.target, made.location])
            .apply(([target, location]): BackupStoreOutput => ({
                target,
                keptOnDestroy: destination.retainStore,
                ...location,
            }));
    }
    const longhorn = new Longhorn(`${name}-longhorn`, longhornArgs(config, charts, store), {
        ...opts,
        provider: cluster.k8sProvider,
        dependsOn: clusterReady,
    });
    return {
        storageClassName: config.longhorn.storageClassName,
        ready: [longhorn.storageClass],
        parts: [...parts, longhorn],
        ...(backupStore ? { backupStore } : {}),
    };
}

/** Ingress controller and cert-manager with its ClusterIssuers. */
export function createNetworking(ctx: AddonContext): Pick<
    AddonsResult,
    "ingressClassName" | "clusterIssuer"
> & {
    readonly ready: pulumi.Resource[];
    readonly ingress?: Ingress;
} {
    const { name, config, charts, cluster, clusterReady, opts } = ctx;
    const after = { ...opts, provider: cluster.k8sProvider, dependsOn: clusterReady };
    const ready: pulumi.Resource[] = [...clusterReady];
    let ingress: Ingress | undefined;
    let certManager: CertManager | undefined;
    if (config.ingress.enabled) {
        ingress = new Ingress(
            `${name}-ingress`,
            ingressArgs(config, charts, cluster.ingress),
            after,
        );
        ready.push(ingress);
    }
    const ingressClassName = ingress?.ingressClassName;
    if (config.certManager.enabled) {
        const args = certManagerArgs(config, charts, ingressClassName);
        certManager = new CertManager(`${name}-cert-manager`, args, after);
        ready.push(certManager);
    }
    return { ingressClassName, clusterIssuer: certManager?.clusterIssuer, ready, ingress };
}
