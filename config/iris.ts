/** `iris-platform:iko` and `iris`. */
import { z } from "zod";
import { images, iko as ikoPins } from "../versions";
import { backupSetIdPattern } from "../domain/backup";
import { count, cron, dnsLabel, hostname, quantity } from "./primitives";

export const ikoSchema = z.strictObject({
    enabled: z.boolean().default(false),
    namespace: dnsLabel.default("iko"),
    chart: z
        .strictObject({
            /** Local path to the chart unpacked from the InterSystems download (`iris_operator-x/chart/iris-operator`). */
            path: z.string().min(1).optional(),
            /** Helm repository URL or `oci://` reference. */
            repo: z.string().min(1).optional(),
            /** User for a private repository or OCI registry; the password is the `chartRegistryPassword` secret. */
            username: z.string().min(1).optional(),
            name: z.string().min(1).default("iris-operator"),
            version: z.string().min(1).default(ikoPins.chartVersion),
        })
        .prefault({}),
    operator: z
        .strictObject({
            registry: z.string().min(1).default(ikoPins.operatorImage.registry),
            repository: z.string().min(1).default(ikoPins.operatorImage.repository),
            tag: z.string().min(1).default(ikoPins.operatorImage.tag),
        })
        .prefault({}),
    /** Registry login for the pull secret; the token is the `registryToken` secret. */
    registry: z
        .strictObject({
            server: z.string().min(1).default("containers.intersystems.com"),
            username: z.string().min(1).optional(),
        })
        .prefault({}),
});

const resources = z
    .strictObject({
        requests: z
            .strictObject({ cpu: quantity.default("500m"), memory: quantity.default("2Gi") })
            .prefault({}),
        limits: z
            .strictObject({ cpu: quantity.optional(), memory: quantity.default("4Gi") })
            .prefault({}),
    })
    .prefault({});

const instance = z.strictObject({
    name: dnsLabel,
    namespace: dnsLabel.default("iris"),
    /** `iko`: an IrisCluster managed by the operator; `standalone`: a durable one-pod Deployment. */
    mode: z.enum(["iko", "standalone"]).default("standalone"),
    image: z.string().min(1).default(images.irisCommunity),
    /** IRIS version of the image (e.g. 2025.1.0); derived from the image tag when absent. */
    compatibilityVersion: z
        .string()
        .regex(/^\d{4}\.\d+(\.\d+)*$/, "must look like 2025.1.0")
        .optional(),
    /** Public hostname of the management portal / web gateway (TLS ingress). */
    host: hostname.optional(),
    data: z
        .strictObject({
            topology: z.enum(["standalone", "mirrored", "sharded"]).default("standalone"),
            shards: count(1, 16).default(2),
            arbiter: z.boolean().default(true),
        })
        .prefault({}),
    compute: z.strictObject({ replicas: count(0, 16).default(0) }).prefault({}),
    webgateway: z
        .strictObject({
            replicas: count(0, 10).default(1),
            type: z.enum(["apache", "nginx"]).default("apache"),
            image: z.string().min(1).default(images.webgateway),
            applicationPaths: z
                .array(z.string().startsWith("/"))
                .default(["/csp/sys", "/csp/user", "/api"]),
        })
        .prefault({}),
    storage: z
        .strictObject({
            data: quantity.default("10Gi"),
            wij: quantity.default("5Gi"),
            journal1: quantity.default("5Gi"),
            journal2: quantity.default("5Gi"),
        })
        .prefault({}),
    resources,
    preferredZones: z.array(z.string()).default([]),
    /** Consistent backup sets (IRIS frozen, every volume snapshotted together); needs longhorn.backup. */
    backup: z
        .strictObject({
            /** Default: on whenever longhorn.backup.enabled is; must be false when sharded. */
            enabled: z.boolean().optional(),
            /** Default: longhorn.backup.schedule. */
            schedule: cron.optional(),
            /** Complete sets kept; default: longhorn.backup.retain. */
            retain: count(1, 100).optional(),
            /**
             * Seconds IRIS may stay frozen while its volumes are snapshotted; also ExternalFreeze's
             * WDSuspendLimit (IRIS resumes writes by itself). Below ExternalFreezeTimeOut (600 s).
             */
            freezeTimeoutSeconds: count(10, 300).default(60),
        })
        .prefault({}),
    upgrade: z
        .strictObject({
            /**
             * Raise by one to take a new pre-upgrade set after a failed one: part of the set's key,
             * so the retry is a new Job built from the current settings (docs/upgrades.md).
             */
            attempt: count(0, 1000).default(0),
        })
        .prefault({}),
    /** Rebuild this instance's volumes from a backup set before IRIS first starts. */
    restoreFrom: z
        .strictObject({
            /** `latest` (the newest complete set) or a set id such as 20261130T030000Z. */
            set: z.union([
                z.literal("latest"),
                z
                    .string()
                    .regex(
                        backupSetIdPattern,
                        "must be latest or a set id such as 20261130T030000Z",
                    ),
            ]),
            /** `namespace/name` of the instance whose sets to use; default: this instance. */
            instance: z
                .string()
                .regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, "must be namespace/name")
                .optional(),
        })
        .optional(),
    cpf: z
        .strictObject({
            globalBuffersMB: count(16, 1048576).default(256),
            gmheapMB: count(16, 65536).default(64),
        })
        .prefault({}),
});

export const iris = z.strictObject({
    /** `protect` IRIS workloads and their volumes (production). */
    protect: z.boolean().default(false),
    /**
     * Refuse `pulumi destroy` (and removing an instance) while an instance has no complete backup
     * set newer than `maxBackupAgeHours` (components/iris/destroy-guard.ts). Production.
     */
    destroyGuard: z
        .strictObject({
            enabled: z.boolean().default(false),
            /** Age in hours of the newest complete set that still lets the data be deleted. */
            maxBackupAgeHours: count(1, 8760).default(24),
            /** The deliberate override: destroy without a fresh set (applied by `pulumi up` first). */
            allowWithoutBackup: z.boolean().default(false),
        })
        .prefault({}),
    /** StorageClass for IRIS volumes when Longhorn is off (e.g. `standard` on kind). */
    storageClassName: dnsLabel.optional(),
    instances: z.array(instance).default([]),
});
