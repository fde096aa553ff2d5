/**
 * Longhorn: replicated block storage so an IRIS pod can move to another node
 * (or zone) with its data, a Retain StorageClass for IRIS, and optional backups
 * (default backup target, credentials Secret, daily RecurringJobs).
 *
 * Options: `provider` (the cluster's Kubernetes provider), `dependsOn` (the cluster
 * being ready). The backup store on the cluster's cloud is a separate component
 * next to (not under) Longhorn, so it never waits for the cluster.
 */
import * as pulumi from "@pulumi/pulumi";
import { Release } from "@pulumi/kubernetes/helm/v3";
import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as storagev1 from "@pulumi/kubernetes/storage/v1";
import { CustomResource } from "@pulumi/kubernetes/apiextensions";
import { upstreamCharts, type ChartSources } from "../chart-sources";
import { formerName } from "../aliases";
import { childOptions } from "../providers";
import type { BackupTarget } from "./backup-store";
import {
    backupCredentialSecretName,
    irisStorageClassParameters,
    longhornDriver,
    longhornNamespace,
    longhornValues,
    recurringJobSpecs,
    volumeSnapshotClassName,
    type LonghornOptions,
} from "./longhorn-values";

export interface LonghornBackupArgs {
    /** Cron of the snapshot-cleanup job. */
    readonly snapshotCleanupSchedule: string;
    /** Where backups go: a `BackupStore` on the cluster's cloud, or a target the stack brings. */
    readonly store: BackupTarget;
}

export interface LonghornArgs {
    /** Where each chart comes from (the stack's `charts` mirror); default: the pinned upstream repositories. */
    readonly charts?: ChartSources;
    /** Replica count, drain/node-down policies, autoscaler and snapshot-class choices. */
    readonly options: LonghornOptions;
    /** Name of the IRIS StorageClass (reclaimPolicy Retain). */
    readonly storageClassName: string;
    /** Backups; absent = no backup target, no RecurringJobs. */
    readonly backup?: LonghornBackupArgs;
}

export class Longhorn extends pulumi.ComponentResource {
    public readonly release: Release;
    /** The IRIS StorageClass (waits for the chart). */
    public readonly storageClass: storagev1.StorageClass;
    public readonly storageClassName: pulumi.Output<string>;
    /** Backup target URL, when backups are on. */
    public readonly backupTarget?: pulumi.Output<string>;

    constructor(name: string, args: LonghornArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iris-platform:addons:Longhorn", name, {}, opts);
        const k8s = childOptions(this, opts, { provider: "kubernetes" });
        const o = args.options;

        const namespace = new corev1.Namespace(
            `${name}-namespace`,
            {
                // Longhorn's manager and CSI plugin are privileged host-mount DaemonSets.
                metadata: {
                    name: longhornNamespace,
                    labels: { "pod-security.kubernetes.io/enforce": "privileged" },
                },
            },
            {
                ...k8s,
                aliases: [formerName(`${name}-namespace`, "-namespace", "-ns")],
            },
        );

        const target = args.backup?.store;
        this.backupTarget = target?.target;
        // Created before the chart so the default backup target works on first start.
        const credentials = target
            ? new corev1.Secret(
                  `${name}-backup-credentials`,
                  {
                      metadata: { name: backupCredentialSecretName, namespace: longhornNamespace },
                      type: "Opaque",
                      stringData: target.credentials,
                  },
                  { ...k8s, dependsOn: [...k8s.dependsOn, namespace] },
              )
            : undefined;

        this.release = new Release(
            `${name}-release`,
            {
                name: "longhorn",
                ...(args.charts ?? upstreamCharts).longhorn,
                namespace: longhornNamespace,
                createNamespace: false,
                values: target
                    ? target.target.apply((t) => longhornValues(o, { target: t }))
                    : longhornValues(o),
                // Longhorn's DaemonSets pull several images per node; give the first install time.
                timeout: 900,
            },
            {
                ...k8s,
                dependsOn: [...k8s.dependsOn, namespace, ...(credentials ? [credentials] : [])],
                aliases: [formerName(`${name}-release`, "-release", "-chart")],
            },
        );
        const afterChart = { ...k8s, dependsOn: [...k8s.dependsOn, this.release] };

        this.storageClass = new storagev1.StorageClass(
            `${name}-iris-class`,
            {
                metadata: {
                    name: args.storageClassName,
                    labels: { "app.kubernetes.io/part-of": "iris-platform" },
                },
                provisioner: longhornDriver,
                reclaimPolicy: "Retain",
                allowVolumeExpansion: true,
                volumeBindingMode: "Immediate",
                parameters: irisStorageClassParameters(o),
            },
            afterChart,
        );
        this.storageClassName = this.storageClass.metadata.name;

        if (args.backup) {
            for (const job of recurringJobSpecs(args.backup)) {
                new CustomResource(
                    `${name}-job-${job.name}`,
                    {
                        apiVersion: "longhorn.io/v1beta2",
                        kind: "RecurringJob",
                        metadata: { name: job.name, namespace: longhornNamespace },
                        spec: job,
                    },
                    afterChart,
                );
            }
        }
        if (args.backup && o.volumeSnapshotClass) {
            // `type: bak` makes a VolumeSnapshot a Longhorn backup in the target.
            new CustomResource(
                `${name}-snapshot-class`,
                {
                    apiVersion: "snapshot.storage.k8s.io/v1",
                    kind: "VolumeSnapshotClass",
                    metadata: { name: volumeSnapshotClassName },
                    driver: longhornDriver,
                    deletionPolicy: "Delete",
                    parameters: { type: "bak" },
                },
                afterChart,
            );
        }
        this.registerOutputs({
            storageClassName: this.storageClassName,
            backupTarget: this.backupTarget,
        });
    }
}
