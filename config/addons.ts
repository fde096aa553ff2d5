/** `iris-platform:longhorn`, `ingress`, `certManager` and `dns`. */
import { z } from "zod";
import { count, cron, dnsLabel, hostname, ipv4 } from "./primitives";
/** Longhorn backup target: `s3://bucket@region/[path]` or `azblob://container@core.windows.net/[path]`. */
const backupTargetRe =
    /^(s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]@[a-z0-9-]+\/|azblob:\/\/[a-z0-9][a-z0-9-]{1,61}[a-z0-9]@[a-z0-9.]+\/)(\S*)$/;

export const longhorn = z.strictObject({
    enabled: z.boolean().default(true),
    /** Replicas per volume (IRIS class and Longhorn's own default class). */
    replicaCount: count(1, 5).default(2),
    /** StorageClass (reclaimPolicy Retain) that IRIS volumes use. */
    storageClassName: dnsLabel.default("iris-retain"),
    /** Keep Longhorn's own `longhorn` class as the cluster default. */
    defaultClass: z.boolean().default(false),
    nodeDownPodDeletionPolicy: z
        .enum([
            "do-nothing",
            "delete-statefulset-pod",
            "delete-deployment-pod",
            "delete-both-statefulset-and-deployment-pod",
        ])
        .default("delete-both-statefulset-and-deployment-pod"),
    /** `best-effort` keeps one replica on the node running IRIS (local reads); `disabled` never moves replicas for locality. */
    dataLocality: z.enum(["disabled", "best-effort"]).default("best-effort"),
    /** Tell Longhorn a cluster autoscaler runs; defaults to true on gke/aks/aws, false on existing clusters. */
    clusterAutoscaler: z.boolean().optional(),
    /** Create the `longhorn-backup` VolumeSnapshotClass; defaults to true on gke/aks (which ship the snapshot CRDs) when backups are on. */
    volumeSnapshotClass: z.boolean().optional(),
    backup: z
        .strictObject({
            enabled: z.boolean().default(false),
            /** Bring-your-own target (required on `existing` clusters); without it cloud stacks create a store on their cloud. */
            target: z
                .string()
                .regex(
                    backupTargetRe,
                    "must look like s3://bucket@region/ or azblob://container@core.windows.net/ (with the trailing slash)",
                )
                .optional(),
            /** S3-compatible endpoint (MinIO, Ceph) for an `s3://` target. */
            endpoint: z.url().optional(),
            /** When each IRIS instance's consistent backup set runs (default of iris.instances[].backup.schedule). */
            schedule: cron.default("0 3 * * *"),
            /** Complete backup sets kept per IRIS instance (default of iris.instances[].backup.retain). */
            retain: count(1, 100).default(7),
            snapshotCleanupSchedule: cron.default("0 4 * * *"),
            /** Keep the created bucket/storage account (and the backups in it) on `pulumi destroy`. */
            retainStore: z.boolean().default(true),
        })
        .prefault({}),
});

export const ingress = z.strictObject({
    enabled: z.boolean().default(true),
    /** `nginx-ingress` (F5, maintained) or `ingress-nginx` (community, retired March 2026). */
    controller: z.enum(["nginx-ingress", "ingress-nginx"]).default("nginx-ingress"),
    replicas: count(1, 10).default(1),
    /** Also expose the IRIS superserver port 1972 through the controller. */
    exposeSuperserver: z.boolean().default(false),
    /** Make IngressClass `nginx` the cluster default (turn off where the cluster already has a default class). */
    defaultClass: z.boolean().default(true),
    /** Controller Service type; NodePort for clusters without a load balancer (kind, bare metal without MetalLB). */
    serviceType: z.enum(["LoadBalancer", "NodePort"]).default("LoadBalancer"),
});

export const certManager = z.strictObject({
    enabled: z.boolean().default(true),
    /** ACME account email; required for the production issuer. */
    email: z.email().optional(),
    issuer: z.enum(["letsencrypt-staging", "letsencrypt-prod"]).default("letsencrypt-staging"),
});

export const dns = z.strictObject({
    enabled: z.boolean().default(false),
    /** DNS cloud; defaults to the cluster's cloud; required for `existing` clusters. */
    provider: z.enum(["gcp", "azure", "aws"]).optional(),
    /** Cloud DNS managed-zone name, Azure DNS zone name, or Route53 hosted-zone id. */
    zone: z.string().min(1).optional(),
    /** The zone's domain (example.com); defaults to `zone` for Azure DNS. Hostnames must lie inside it. */
    domain: hostname.optional(),
    /** Azure: resource group of the zone. */
    resourceGroupName: z.string().min(1).optional(),
    /** GCP project of the zone (defaults to the cluster's project). */
    project: z.string().min(1).optional(),
    /** Azure subscription of the zone (defaults to the cluster's). */
    subscriptionId: z.uuid().optional(),
    /** AWS region for the Route53 provider (defaults to the cluster's, else us-east-1). */
    region: z.string().optional(),
    /** Extra hostnames pointing at the ingress, besides every IRIS host. */
    hostnames: z.array(hostname).default([]),
    /** `existing` clusters: the ingress address the records point at. */
    address: ipv4.optional(),
    ttl: count(30, 86400).default(300),
});
