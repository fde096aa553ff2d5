/**
 * The add-on layer: Longhorn with its backup store, and the ingress controller with
 * cert-manager. Each waits only for the cluster being ready; the backup store waits for
 * nothing of it. The layer publishes what the layers above use (`AddonsResult`).
 */
import * as pulumi from "@pulumi/pulumi";
import type { Cluster } from "../cluster/types";
import { Ingress, type IngressArgs, type SuperserverTarget } from "./ingress";
import { CertManager, type CertManagerArgs } from "./cert-manager";
import { acmeIngressAnnotations } from "./cert-manager-issuers";
import { Longhorn, type LonghornArgs } from "./longhorn";
import { longhornNamespace } from "./longhorn-values";
import { BackupStore, type BackupTarget } from "./backup-store";
import type { ChartSources } from "../chart-sources";
import { dependsOnOf } from "../providers";
import type { BackupSetDefaults } from "./types";

export type { BackupSetDefaults } from "./types";

/**
 * Where Longhorn's backups go: the stack's own target (with its credentials), a store the
 * program creates on the cluster's cloud, or nowhere (backups off).
 */
export type BackupDestination =
    | { readonly kind: "stack"; readonly store: BackupTarget }
    | { readonly kind: "cloud"; readonly retainStore: boolean }
    | undefined;

/** The add-on layer's args (`addonsLayerArgs` builds them from the stack config). */
export interface AddonsLayerArgs {
    /** Where each chart comes from. */
    readonly charts: ChartSources;
    /** Longhorn and its backups; absent: Longhorn off. */
    readonly longhorn?: Pick<LonghornArgs, "options" | "storageClassName"> & {
        /** The IRIS backup sets' defaults; absent: backups off. */
        readonly backupSets?: BackupSetDefaults;
        /** When Longhorn trims snapshots that backups no longer need (cron). */
        readonly snapshotCleanupSchedule: string;
        /** Where backups go; absent: no backups. */
        readonly destination: BackupDestination;
    };
    /** The ingress controller; absent: none. */
    readonly ingress?: Omit<IngressArgs, "charts" | "endpoint" | "superserverTarget">;
    /** cert-manager and its ClusterIssuers; absent: none. */
    readonly certManager?: Omit<CertManagerArgs, "charts" | "ingressClassName">;
}

/** What the add-on layer hands to the layers above. */
export interface AddonsResult {
    /** Longhorn's Retain StorageClass for IRIS volumes; absent: Longhorn off. */
    readonly storageClassName?: string;
    /** Whether the ingress controller reports an address on Ingresses (false for a NodePort Service). */
    readonly ingressReportsStatus: boolean;
    /** The IRIS backup sets' defaults; absent: no backups. */
    readonly backupSets?: BackupSetDefaults;
    /** cert-manager being installed; absent: cert-manager off. */
    readonly certManager?: pulumi.Resource;
    /** ClusterIssuer the IRIS ingresses use, when cert-manager is on. */
    readonly clusterIssuer?: string;
    /** Annotations an Ingress carries to get its certificate from `clusterIssuer` over HTTP-01. */
    readonly certificateAnnotations?: Readonly<Record<string, string>>;
    /** IngressClass of the controller, when ingress is on. */
    readonly ingressClassName?: string;
    /** The StorageClass IRIS volumes use being ready (Longhorn), or the cluster when Longhorn is off. */
    readonly storageReady: pulumi.Resource[];
    /** The ingress controller and the ClusterIssuers (only portal Ingresses need them). */
    readonly routingReady: pulumi.Resource[];
    /** The ingress controller, when on (the superserver route needs it). */
    readonly ingress?: Ingress;
    /** Where backups go, whether destroy keeps it, and its cloud's names; absent without backups. */
    readonly backupStore?: pulumi.Output<BackupStoreOutput>;
    /** Longhorn's namespace (monitored there); absent without Longhorn. */
    readonly longhornNamespace?: string;
    /** Every component of the layer (the destroy guard depends on them). */
    readonly parts: pulumi.Resource[];
}

/** The `backupStore` stack output: the target, whether destroy keeps it, and its cloud's names. */
export type BackupStoreOutput = Record<string, string | boolean>;

/** Where the layer's components go: the platform's name (children `<name>-<role>`), the cluster. */
export interface AddonsContext {
    readonly name: string;
    readonly cluster: Cluster;
    /** The cluster (and its system add-ons) being ready. */
    readonly clusterReady: pulumi.Resource[];
    /** Options for the components (their parent). */
    readonly opts: pulumi.ComponentResourceOptions;
}

/**
 * Every add-on the stack enables. `superserverTarget` is the IRIS Service the controller's
 * TCP 1972 forwards to (published by the IRIS layer).
 */
export function createAddons(
    ctx: AddonsContext,
    args: AddonsLayerArgs,
    superserverTarget: SuperserverTarget | undefined,
): AddonsResult {
    const storage = createStorage(ctx, args);
    const networking = createNetworking(ctx, args, superserverTarget);
    return {
        storageClassName: args.longhorn?.storageClassName,
        // Only a NodePort controller leaves Ingresses without an address (IrisLayerArgs.ingressReportsStatus).
        ingressReportsStatus: args.ingress?.serviceType !== "NodePort",
        backupSets: args.longhorn?.backupSets,
        ...networking,
        storageReady: storage.ready,
        routingReady: networking.ready,
        longhornNamespace: args.longhorn ? longhornNamespace : undefined,
        ...(storage.backupStore ? { backupStore: storage.backupStore } : {}),
        parts: [...storage.parts, ...networking.parts],
    };
}

/** Longhorn, its IRIS StorageClass and backups (store on the cluster's cloud, not waiting for the cluster). */
export function createStorage(
    ctx: AddonsContext,
    args: AddonsLayerArgs,
): {
    readonly ready: pulumi.Resource[];
    /** Where backups go (absent: backups off). */
    readonly backupStore?: pulumi.Output<BackupStoreOutput>;
    /** Longhorn and the backup store it made, whole. */
    readonly parts: pulumi.Resource[];
} {
    const { name, cluster, clusterReady, opts } = ctx;
    const l = args.longhorn;
    if (!l) return { ready: clusterReady, parts: [] };
    const destination = l.destination;
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
    const longhorn = new Longhorn(
        `${name}-longhorn`,
        {
            charts: args.charts,
            options: l.options,
            storageClassName: l.storageClassName,
            backup: store
                ? { snapshotCleanupSchedule: l.snapshotCleanupSchedule, store }
                : undefined,
        },
        {
            ...opts,
            provider: cluster.k8sProvider,
            dependsOn: [...dependsOnOf(opts), ...clusterReady],
        },
    );
    return {
        ready: [longhorn.storageClass],
        parts: [...parts, longhorn],
        ...(backupStore ? { backupStore } : {}),
    };
}

/** Ingress controller and cert-manager with its ClusterIssuers. */
export function createNetworking(
    ctx: AddonsContext,
    args: AddonsLayerArgs,
    superserverTarget: SuperserverTarget | undefined,
): Pick<
    AddonsResult,
    "ingressClassName" | "clusterIssuer" | "certificateAnnotations" | "ingress" | "certManager"
> & {
    readonly ready: pulumi.Resource[];
    readonly parts: pulumi.Resource[];
} {
    const { name, cluster, clusterReady, opts } = ctx;
    const after = {
        ...opts,
        provider: cluster.k8sProvider,
        dependsOn: [...dependsOnOf(opts), ...clusterReady],
    };
    const parts: pulumi.Resource[] = [];
    let ingress: Ingress | undefined;
    let certManager: CertManager | undefined;
    if (args.ingress) {
        ingress = new Ingress(
            `${name}-ingress`,
            {
                ...args.ingress,
                charts: args.charts,
                endpoint: cluster.ingress,
                superserverTarget,
            },
            after,
        );
        parts.push(ingress);
    }
    const ingressClassName = ingress?.ingressClassName;
    if (args.certManager) {
        certManager = new CertManager(
            `${name}-cert-manager`,
            {
                ...args.certManager,
                charts: args.charts,
                ingressClassName: ingressClassName ?? "nginx",
            },
            after,
        );
        parts.push(certManager);
    }
    const clusterIssuer = certManager?.clusterIssuer;
    return {
        ingressClassName,
        clusterIssuer,
        certificateAnnotations: clusterIssuer ? acmeIngressAnnotations(clusterIssuer) : undefined,
        ingress,
        certManager,
        ready: [...clusterReady, ...parts],
        parts,
    };
}
