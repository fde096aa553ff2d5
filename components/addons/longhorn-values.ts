/**
 * Pure renderers for the Longhorn layer: chart values, the IRIS StorageClass
 * parameters, RecurringJob specs, backup-target URLs and cloud-side names.
 * Every Helm key used here exists in
 * upstream longhorn-1.12.1/values.yaml (the chart we pin).
 */

export const longhornNamespace = "longhorn-system";
/** CSI driver / provisioner name of Longhorn. */
export const longhornDriver = "driver.longhorn.io";
/** Secret (in longhorn-system) holding the backup-store credentials. */
export const backupCredentialSecretName = "longhorn-backup-credentials";
/** RecurringJob group the IRIS StorageClass puts its volumes in. */
export const irisRecurringJobGroup = "iris";
/** VolumeSnapshotClass name for Longhorn backups. */
export const volumeSnapshotClassName = "longhorn-backup";
/**
 * Minutes a failed replica is kept before cleanup. Long enough (48 h) that a
 * node coming back after maintenance reuses its replica instead of rebuilding.
 */
export const staleReplicaTimeoutMinutes = 2880;

export type NodeDownPodDeletionPolicy =
    | "do-nothing"
    | "delete-statefulset-pod"
    | "delete-deployment-pod"
    | "delete-both-statefulset-and-deployment-pod";
export type DataLocality = "disabled" | "best-effort";
export type ClusterKind = "gke" | "aks" | "aws" | "existing";

/** The Longhorn settings a stack ends up with once cloud-driven defaults are applied. */
export interface LonghornOptions {
    readonly replicaCount: number;
    readonly defaultClass: boolean;
    readonly nodeDownPodDeletionPolicy: NodeDownPodDeletionPolicy;
    readonly dataLocality: DataLocality;
    /** A cluster autoscaler removes nodes (GKE/AKS managed autoscalers, cluster-autoscaler on kubeadm/AWS). */
    readonly clusterAutoscaler: boolean;
    /** Whether to create the VolumeSnapshotClass (the snapshot CRDs must exist). */
    readonly volumeSnapshotClass: boolean;
}

/** Config keys `resolveLonghornOptions` reads (a subset of `config.longhorn`). */
export interface LonghornConfigInput {
    readonly replicaCount: number;
    readonly defaultClass: boolean;
    readonly nodeDownPodDeletionPolicy: NodeDownPodDeletionPolicy;
    readonly dataLocality: DataLocality;
    readonly clusterAutoscaler?: boolean;
    readonly volumeSnapshotClass?: boolean;
    readonly backup: { readonly enabled: boolean };
}

/**
 * Applies the cloud-driven defaults:
 * - autoscaler: all three cloud clusters scale their worker pool (GKE and AKS run
 *   a managed Cluster Autoscaler, AWS runs cluster-autoscaler on the ASG); an
 *   existing cluster is assumed not to, unless the stack says so.
 * - VolumeSnapshotClass: GKE and AKS install the snapshot.storage.k8s.io CRDs and
 *   controller; kubeadm (AWS) and unknown clusters do not, so the class would be
 *   rejected there. The class takes Longhorn backups, so it needs backups on.
 */
export function resolveLonghornOptions(
    l: LonghornConfigInput,
    cluster: ClusterKind,
): LonghornOptions {
    const shipsSnapshotCrds = cluster === "gke" || cluster === "aks";
    return {
        replicaCount: l.replicaCount,
        defaultClass: l.defaultClass,
        nodeDownPodDeletionPolicy: l.nodeDownPodDeletionPolicy,
        dataLocality: l.dataLocality,
        clusterAutoscaler: l.clusterAutoscaler ?? cluster !== "existing",
        volumeSnapshotClass: l.backup.enabled && (l.volumeSnapshotClass ?? shipsSnapshotCrds),
    };
}

/** Longhorn's data-engine-specific setting format (1.10+), as in the chart's values.yaml. */
function perEngine(value: string): string {
    return JSON.stringify({ v1: value, v2: value });
}

/** Helm values for the pinned Longhorn chart. */
export function longhornValues(
    o: LonghornOptions,
    backup?: { readonly target: string },
): Record<string, unknown> {
    return {
        persistence: {
            // Longhorn's own `longhorn` class: kept as the cluster default only if the stack asks.
            defaultClass: o.defaultClass,
            defaultClassReplicaCount: o.replicaCount,
            defaultDataLocality: o.dataLocality,
        },
        defaultSettings: {
            // Volumes created from the UI get the same redundancy as the StorageClasses.
            defaultReplicaCount: perEngine(String(o.replicaCount)),
            defaultDataLocality: o.dataLocality,
            // When a node dies its kubelet never confirms pod termination: the pod stays
            // Terminating and its RWO volume stays attached there, so neither the IRIS
            // StatefulSet (IKO) nor the one-replica Deployment (standalone, Recreate) can
            // start elsewhere. With delete-both-… Longhorn force-deletes such pods, detaches
            // the volume and lets it attach on the node where the replacement is scheduled.
            nodeDownPodDeletionPolicy: o.nodeDownPodDeletionPolicy,
            // Drains (kubeadm/managed upgrades) never hang on a node holding a volume's last
            // healthy replica: Longhorn first rebuilds that replica elsewhere, then lets the
            // instance manager go. The autoscaler does not cordon, so for it the instance
            // manager's PDB simply keeps such a node; other nodes are removable (below).
            nodeDrainPolicy: "block-for-eviction-if-contains-last-replica",
            // Keep only the PDBs that protect a last replica and mark Longhorn pods
            // safe-to-evict, so the autoscaler can scale down the other nodes.
            kubernetesClusterAutoscalerEnabled: o.clusterAutoscaler,
            // Prefer a different zone per replica (so a zone loss leaves a copy) but
            // still place replicas when there are fewer zones than replicas.
            replicaZoneSoftAntiAffinity: true,
            // The program owns Longhorn's lifecycle: without the flag the chart's
            // pre-delete job fails and `pulumi destroy` is stuck. IRIS volumes are
            // protected separately (Retain class, `iris.protect`, backups).
            deletingConfirmationFlag: true,
        },
        ...(backup
            ? {
                  defaultBackupStore: {
                      backupTarget: backup.target,
                      backupTargetCredentialSecret: backupCredentialSecretName,
                  },
              }
            : {}),
    };
}

/** Parameters of the IRIS StorageClass (provisioner driver.longhorn.io). */
export function irisStorageClassParameters(o: LonghornOptions): Record<string, string> {
    return {
        numberOfReplicas: String(o.replicaCount),
        staleReplicaTimeout: String(staleReplicaTimeoutMinutes),
        dataLocality: o.dataLocality,
        fsType: "ext4",
        // Every volume of this class joins the `iris` RecurringJob group, so the
        // backup jobs select exactly the IRIS volumes (not every Longhorn volume).
        recurringJobSelector: JSON.stringify([{ name: irisRecurringJobGroup, isGroup: true }]),
    };
}

export interface RecurringJobSpec {
    readonly name: string;
    readonly task: "snapshot-cleanup";
    readonly cron: string;
    readonly retain: number;
    readonly concurrency: number;
    readonly groups: string[];
    readonly labels: Record<string, string>;
}

/**
 * The snapshot cleanup on the `iris` group. IRIS volumes get no per-volume backup job: volumes
 * backed up one at a time without an IRIS freeze do not restore to a consistent instance, so each
 * instance takes consistent backup sets instead (components/iris/backup.ts).
 */
export function recurringJobSpecs(b: { snapshotCleanupSchedule: string }): RecurringJobSpec[] {
    const common = {
        concurrency: 1,
        groups: [irisRecurringJobGroup],
        labels: { "app.kubernetes.io/part-of": "iris-platform" },
    };
    return [
        // Removes system snapshots no backup needs any more; retain is unused by this task.
        {
            name: "iris-snapshot-cleanup",
            task: "snapshot-cleanup",
            cron: b.snapshotCleanupSchedule,
            retain: 0,
            ...common,
        },
    ];
}

/** `s3://bucket@region/`: Longhorn's S3 (and S3-interop) target format. */
export function s3Target(bucket: string, region: string): string {
    return `s3://${bucket}@${region}/`;
}

/** `azblob://container@core.windows.net/`: Longhorn's Azure Blob target format. */
export function azblobTarget(container: string): string {
    return `azblob://${container}@core.windows.net/`;
}

/** Secret keys Longhorn expects for a target, from the two user-given credentials. */
export function credentialKeys(target: string): { id: string; secret: string } {
    return target.startsWith("azblob://")
        ? { id: "AZBLOB_ACCOUNT_NAME", secret: "AZBLOB_ACCOUNT_KEY" }
        : { id: "AWS_ACCESS_KEY_ID", secret: "AWS_SECRET_ACCESS_KEY" };
}

/**
 * Azure storage account names are global, 3–24 lowercase letters/digits: a
 * readable prefix from the cluster name plus a random suffix kept in state, so
 * a new stack never collides with an account kept from a destroyed one.
 */
export function azureStorageAccountName(clusterName: string, suffix: string): string {
    if (!/^[a-z0-9]{8}$/.test(suffix))
        throw new Error(
            `storage account suffix must be 8 lowercase letters/digits, got ${JSON.stringify(suffix)}`,
        );
    const readable = clusterName.replace(/[^a-z0-9]/g, "").slice(0, 12);
    return `lhbk${readable}${suffix}`;
}

/** GCP service account id (6–30 chars, `[a-z][-a-z0-9]*[a-z0-9]`). */
export function gcpBackupAccountId(clusterName: string): string {
    return `lh-backup-${clusterName}`.slice(0, 30).replace(/-+$/, "");
}
