/**
 * The one config module: a zod schema turns the stack's `iris-platform:*` keys
 * into one typed, frozen `PlatformConfig`, or throws a `ConfigError` listing every
 * problem as `<key>: <what is wrong> (got <value>)` before any resource exists.
 *
 * Plain keys are objects (`cluster`, `longhorn`, ...). Secrets are separate
 * top-level string keys set with `pulumi config set --secret` (see `secretKeys`);
 * the schema only sees whether each is present, never its value.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { defaultKubernetesMinor, images, iko as ikoPins, kubernetesMinors } from "./versions";
import { cidrsOverlap, isNetworkAddress, vpcPrefixRange } from "./components/cluster/aws/cidr";

/** Secret config keys; each is read with `Config.getSecret` and never logged. */
export const secretKeys = [
    "kubeconfig",
    "registryToken",
    "irisPassword",
    "irisPasswordHash",
    "irisLicenseKey",
    "webgatewayPassword",
    "backupAccessKeyId",
    "backupSecretAccessKey",
] as const;
export type SecretKey = (typeof secretKeys)[number];

// ---------------------------------------------------------------- primitives
const cidrRe = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(3[0-2]|[12]?\d)$/;
const ipv4Re = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const cidr = z.string().regex(cidrRe, "must be an IPv4 CIDR such as 10.0.0.0/16");
const ipv4 = z.string().regex(ipv4Re, "must be an IPv4 address such as 203.0.113.10");
/** RFC 1123 label: Kubernetes names, cluster names. */
const dnsLabel = z
    .string()
    .regex(/^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$/, "must be lowercase letters, digits and '-', start with a letter, at most 40 characters");
const hostname = z
    .string()
    .regex(/^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "must be a fully qualified lowercase DNS name such as iris.example.com");
const quantity = z.string().regex(/^\d+(\.\d+)?(Ki|Mi|Gi|Ti|m|k|M|G)?$/, "must be a Kubernetes quantity such as 10Gi or 500m");
const count = (min: number, max: number) => z.number().int(`must be a whole number`).min(min).max(max);
const ec2InstanceTypeRe = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const ec2InstanceType = z.string().regex(ec2InstanceTypeRe, "must be an EC2 instance type such as m6i.large");

// ------------------------------------------------------------------- cluster
const nodePool = z
    .strictObject({
        /** Worker machine type; defaults per cloud. */
        machineType: z.string().min(1).optional(),
        minNodes: count(0, 100).default(1),
        maxNodes: count(1, 100).default(3),
        /** AWS only: the ASG's initial desired size (it is then left to the autoscaler). */
        desiredNodes: count(0, 100).optional(),
        diskSizeGb: count(20, 4096).default(100),
    })
    .superRefine((p, ctx) => {
        if (p.minNodes > p.maxNodes) {
            ctx.addIssue({ code: "custom", path: ["minNodes"], input: p.minNodes, message: `must be <= maxNodes (${p.maxNodes})` });
        }
        if (p.desiredNodes !== undefined && (p.desiredNodes < p.minNodes || p.desiredNodes > p.maxNodes)) {
            ctx.addIssue({
                code: "custom",
                path: ["desiredNodes"],
                input: p.desiredNodes,
                message: `must be between minNodes (${p.minNodes}) and maxNodes (${p.maxNodes})`,
            });
        }
    });

const clusterCommon = {
    name: dnsLabel.default("iris"),
    /** Kubernetes minor, e.g. "1.35". */
    kubernetesVersion: z.enum(kubernetesMinors).default(defaultKubernetesMinor),
    nodePool: nodePool.prefault({}),
};

/** Zones must belong to the region (the only check we can do without a cloud call). */
function zonesInRegion(zones: readonly string[], region: string, ctx: z.RefinementCtx, key: string): void {
    zones.forEach((zone, i) => {
        if (!zone.startsWith(region)) {
            ctx.addIssue({ code: "custom", path: [key, i], input: zone, message: `is not a zone of region ${region}` });
        }
    });
}

const gke = z
    .strictObject({
        provider: z.literal("gke"),
        ...clusterCommon,
        gke: z
            .strictObject({
                project: z.string().min(1, "is required: the GCP project id"),
                region: z.string().regex(/^[a-z]+-[a-z]+\d+$/, "must be a GCP region such as europe-west1"),
                /** Node zones; empty means GKE's default zones for the region (three). */
                zones: z.array(z.string()).default([]),
                releaseChannel: z.enum(["RAPID", "REGULAR", "STABLE"]).default("REGULAR"),
                /** Use an existing VPC network and subnetwork instead of creating one. */
                network: z
                    .strictObject({
                        name: z.string().min(1),
                        subnetwork: z.string().min(1),
                        /** Existing secondary ranges for pods/services; when absent GKE creates them from podsCidr/servicesCidr. */
                        podsRangeName: z.string().min(1).optional(),
                        servicesRangeName: z.string().min(1).optional(),
                    })
                    .optional(),
                subnetCidr: cidr.default("10.10.0.0/20"),
                podsCidr: cidr.default("10.20.0.0/14"),
                servicesCidr: cidr.default("10.24.0.0/20"),
                privateNodes: z.boolean().default(false),
                masterIpv4CidrBlock: cidr.default("172.16.0.0/28"),
                masterAuthorizedNetworks: z.array(cidr).default([]),
                deletionProtection: z.boolean().default(false),
                diskType: z.enum(["pd-standard", "pd-balanced", "pd-ssd"]).default("pd-balanced"),
            })
            .superRefine((g, ctx) => {
                // Stricter than zonesInRegion: europe-west10-a must not pass for europe-west1.
                g.zones.forEach((zone, i) => {
                    if (!new RegExp(`^${g.region}-[a-z]$`).test(zone)) {
                        ctx.addIssue({ code: "custom", path: ["zones", i], input: zone, message: `is not a zone of region ${g.region} (zones look like ${g.region}-b)` });
                    }
                });
                if (new Set(g.zones).size !== g.zones.length) {
                    ctx.addIssue({ code: "custom", path: ["zones"], input: g.zones, message: "must not repeat a zone" });
                }
                if (g.privateNodes && !g.masterIpv4CidrBlock.endsWith("/28")) {
                    ctx.addIssue({ code: "custom", path: ["masterIpv4CidrBlock"], input: g.masterIpv4CidrBlock, message: "must be a /28 for private nodes" });
                }
                const n = g.network;
                if (n && !n.podsRangeName !== !n.servicesRangeName) {
                    const missing = n.podsRangeName ? "servicesRangeName" : "podsRangeName";
                    ctx.addIssue({ code: "custom", path: ["network", missing], input: undefined, message: "is required when the other secondary range name is set" });
                }
            }),
    });

const aks = z.strictObject({
    provider: z.literal("aks"),
    ...clusterCommon,
    aks: z.strictObject({
        subscriptionId: z.uuid("must be the Azure subscription id (a UUID)"),
        location: z.string().regex(/^[a-z]+[a-z0-9]*$/, "must be an Azure location such as westeurope"),
        /** Resource group to create; defaults to `<cluster name>-rg`. */
        resourceGroupName: z.string().min(1).optional(),
        /** Availability zones ("1", "2", "3"); empty for regions without zones. */
        zones: z.array(z.enum(["1", "2", "3"])).default([]),
        networkPlugin: z.enum(["azure-overlay", "kubenet"]).default("azure-overlay"),
        apiServerAuthorizedIpRanges: z.array(cidr).default([]),
        systemPool: z.strictObject({ vmSize: z.string().default("Standard_D2s_v5"), count: count(1, 10).default(1) }).prefault({}),
        podCidr: cidr.default("192.168.0.0/16"),
        serviceCidr: cidr.default("10.0.0.0/16"),
        dnsServiceIp: ipv4.default("10.0.0.10"),
        tier: z.enum(["Free", "Standard"]).default("Free"),
    })
        .superRefine((a, ctx) => {
            if (new Set(a.zones).size !== a.zones.length) {
                ctx.addIssue({ code: "custom", path: ["zones"], input: a.zones, message: "must not repeat a zone" });
            }
            if (cidrRe.test(a.serviceCidr) && !ipv4InCidr(a.dnsServiceIp, a.serviceCidr)) {
                ctx.addIssue({ code: "custom", path: ["dnsServiceIp"], input: a.dnsServiceIp, message: `must lie inside serviceCidr ${a.serviceCidr}` });
            }
        }),
});

/** Whether an IPv4 address lies inside a CIDR (both already syntax-checked). */
function ipv4InCidr(ip: string, block: string): boolean {
    const toInt = (a: string) => a.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
    const [base, bits] = block.split("/");
    const size = 2 ** (32 - Number(bits));
    return Math.floor(toInt(ip) / size) === Math.floor(toInt(base) / size);
}

const aws = z.strictObject({
    provider: z.literal("aws"),
    ...clusterCommon,
    aws: z
        .strictObject({
            region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS region such as eu-west-1"),
            availabilityZones: z.array(z.string()).min(2, "needs 2 or 3 zones").max(3, "needs 2 or 3 zones"),
            /** VPC range, /16 to /24; private and public subnets are cut from it (see docs/aws.md). */
            vpcCidr: cidr.default("10.0.0.0/16"),
            /** CIDRs allowed to reach the API server (6443) through its load balancer; must include where `pulumi up` runs. */
            adminCidrs: z.array(cidr).default([]),
            controlPlane: z
                .strictObject({
                    count: z.union([z.literal(1), z.literal(3)], "must be 1 (dev) or 3 (HA)").default(1),
                    instanceType: ec2InstanceType.default("m6i.large"),
                })
                .prefault({}),
            natGateways: z.enum(["single", "perAz"]).default("single"),
            podCidr: cidr.default("192.168.0.0/16"),
            serviceCidr: cidr.default("10.96.0.0/12"),
            rootVolumeGb: count(20, 1024).default(50),
            /** Pin every node to this AMI instead of Canonical's current Ubuntu 24.04 (which changes every few weeks). */
            amiId: z.string().regex(/^ami-[0-9a-f]{8,17}$/, "must be an AMI id such as ami-0123456789abcdef0").optional(),
        })
        .superRefine((a, ctx) => {
            zonesInRegion(a.availabilityZones, a.region, ctx, "availabilityZones");
            if (new Set(a.availabilityZones).size !== a.availabilityZones.length) {
                ctx.addIssue({ code: "custom", path: ["availabilityZones"], input: a.availabilityZones, message: "must not repeat a zone" });
            }
            awsNetworkChecks(a, ctx);
        }),
}).superRefine((c, ctx) => {
    const machineType = c.nodePool.machineType;
    if (machineType === undefined) {
        ctx.addIssue({ code: "custom", path: ["nodePool", "machineType"], input: undefined, message: "is required for AWS: the workers' EC2 instance type such as m6i.xlarge" });
    } else if (!ec2InstanceTypeRe.test(machineType)) {
        ctx.addIssue({ code: "custom", path: ["nodePool", "machineType"], input: machineType, message: "must be an EC2 instance type such as m6i.xlarge" });
    }
});

/** CIDR rules kubeadm and the subnet plan need; each names the key to change. */
function awsNetworkChecks(
    a: { vpcCidr: string; podCidr: string; serviceCidr: string; adminCidrs: string[] },
    ctx: z.RefinementCtx,
): void {
    const issue = (path: (string | number)[], input: unknown, message: string) => ctx.addIssue({ code: "custom", path, input, message });
    const ranges = { vpcCidr: a.vpcCidr, podCidr: a.podCidr, serviceCidr: a.serviceCidr };
    // Syntax errors are already reported by the `cidr` schema; only check well-formed values.
    const valid = Object.entries(ranges).filter(([, v]) => cidrRe.test(v));
    for (const [key, value] of valid) {
        if (!isNetworkAddress(value)) issue([key], value, "has host bits set: use the network address (e.g. 10.0.0.0/16)");
    }
    if (cidrRe.test(a.vpcCidr)) {
        const prefix = Number(a.vpcCidr.split("/")[1]);
        if (prefix < vpcPrefixRange.min || prefix > vpcPrefixRange.max) {
            issue(["vpcCidr"], a.vpcCidr, `must be a /${vpcPrefixRange.min} to /${vpcPrefixRange.max} network`);
        }
    }
    for (let i = 0; i < valid.length; i++) {
        for (let j = i + 1; j < valid.length; j++) {
            if (cidrsOverlap(valid[i][1], valid[j][1])) issue([valid[j][0]], valid[j][1], `overlaps ${valid[i][0]} (${valid[i][1]})`);
        }
    }
    if (a.adminCidrs.length === 0) {
        issue(["adminCidrs"], [], "must list at least one CIDR: the API server is reachable only from these, and `pulumi up` itself must reach it");
    }
    a.adminCidrs.forEach((c, i) => {
        if (cidrRe.test(c) && c.endsWith("/0")) issue(["adminCidrs", i], c, "must not open the API server to the whole internet");
    });
}

const existing = z.strictObject({
    provider: z.literal("existing"),
    ...clusterCommon,
    existing: z
        .strictObject({
            /** Path to a kubeconfig file (alternative to the `kubeconfig` secret). */
            kubeconfigPath: z.string().min(1).optional(),
            /** Context in the kubeconfig; its current context if absent. */
            context: z.string().min(1).optional(),
            /** Address the ingress controller's Service should take, if the cluster offers one (MetalLB, on-prem LB). */
            ingressAddress: ipv4.optional(),
        })
        .prefault({}),
});

const cluster = z.discriminatedUnion("provider", [gke, aks, aws, existing]);

// -------------------------------------------------------------------- add-ons
/** Five-field cron, as Longhorn RecurringJobs take it. */
const cron = z.string().regex(/^\S+(\s+\S+){4}$/, "must be a five-field cron expression such as \"0 3 * * *\"");
/** Longhorn backup target: `s3://bucket@region/[path]` or `azblob://container@core.windows.net/[path]`. */
const backupTargetRe = /^(s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]@[a-z0-9-]+\/|azblob:\/\/[a-z0-9][a-z0-9-]{1,61}[a-z0-9]@[a-z0-9.]+\/)(\S*)$/;

const longhorn = z.strictObject({
    enabled: z.boolean().default(true),
    /** Replicas per volume (IRIS class and Longhorn's own default class). */
    replicaCount: count(1, 5).default(2),
    /** StorageClass (reclaimPolicy Retain) that IRIS volumes use. */
    storageClassName: dnsLabel.default("iris-retain"),
    /** Keep Longhorn's own `longhorn` class as the cluster default. */
    defaultClass: z.boolean().default(false),
    nodeDownPodDeletionPolicy: z
        .enum(["do-nothing", "delete-statefulset-pod", "delete-deployment-pod", "delete-both-statefulset-and-deployment-pod"])
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
                .regex(backupTargetRe, "must look like s3://bucket@region/ or azblob://container@core.windows.net/ (with the trailing slash)")
                .optional(),
            /** S3-compatible endpoint (MinIO, Ceph) for an `s3://` target. */
            endpoint: z.url().optional(),
            schedule: cron.default("0 3 * * *"),
            /** Backups kept per volume by the daily job. */
            retain: count(1, 100).default(7),
            snapshotCleanupSchedule: cron.default("0 4 * * *"),
            /** Keep the created bucket/storage account (and the backups in it) on `pulumi destroy`. */
            retainStore: z.boolean().default(true),
        })
        .prefault({}),
});

const ingress = z.strictObject({
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

const certManager = z.strictObject({
    enabled: z.boolean().default(true),
    /** ACME account email; required for the production issuer. */
    email: z.email().optional(),
    issuer: z.enum(["letsencrypt-staging", "letsencrypt-prod"]).default("letsencrypt-staging"),
    /** Add a DNS-01 solver on the stack's cloud DNS zone (needs `dns`). */
    dns01: z.boolean().default(false),
    /** Azure DNS-01: client id of the managed identity cert-manager authenticates as (workload identity). */
    azureIdentityClientId: z.uuid("must be the client id (a UUID) of a managed identity").optional(),
});

const dns = z.strictObject({
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

// ------------------------------------------------------------------------ IRIS
const ikoSchema = z.strictObject({
    enabled: z.boolean().default(false),
    namespace: dnsLabel.default("iko"),
    chart: z
        .strictObject({
            /** Local path to the chart unpacked from the InterSystems download (`iris_operator-x/chart/iris-operator`). */
            path: z.string().min(1).optional(),
            /** Helm repository URL or `oci://` reference. */
            repo: z.string().min(1).optional(),
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
        .strictObject({ server: z.string().min(1).default("containers.intersystems.com"), username: z.string().min(1).optional() })
        .prefault({}),
});

const resources = z
    .strictObject({
        requests: z.strictObject({ cpu: quantity.default("500m"), memory: quantity.default("2Gi") }).prefault({}),
        limits: z.strictObject({ cpu: quantity.optional(), memory: quantity.default("4Gi") }).prefault({}),
    })
    .prefault({});

const instance = z.strictObject({
    name: dnsLabel,
    namespace: dnsLabel.default("iris"),
    /** `iko`: an IrisCluster managed by the operator; `standalone`: a durable one-pod Deployment. */
    mode: z.enum(["iko", "standalone"]).default("standalone"),
    image: z.string().min(1).default(images.irisCommunity),
    /** IRIS version of the image (e.g. 2025.1.0); derived from the image tag when absent. */
    compatibilityVersion: z.string().regex(/^\d{4}\.\d+(\.\d+)*$/, "must look like 2025.1.0").optional(),
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
            applicationPaths: z.array(z.string().startsWith("/")).default(["/csp/sys", "/csp/user", "/api"]),
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
    cpf: z.strictObject({ globalBuffersMB: count(16, 1048576).default(256), gmheapMB: count(16, 65536).default(64) }).prefault({}),
});

const iris = z.strictObject({
    /** `protect` IRIS workloads and their volumes (production). */
    protect: z.boolean().default(false),
    /** StorageClass for IRIS volumes when Longhorn is off (e.g. `standard` on kind). */
    storageClassName: dnsLabel.optional(),
    instances: z.array(instance).default([]),
});

// ----------------------------------------------------------------- the whole
export const configSchema = z
    .strictObject({
        cluster,
        longhorn: longhorn.prefault({}),
        ingress: ingress.prefault({}),
        certManager: certManager.prefault({}),
        dns: dns.prefault({}),
        iko: ikoSchema.prefault({}),
        iris: iris.prefault({}),
        /** Which secret keys the stack sets (values never enter the schema). */
        secretsPresent: z.array(z.enum(secretKeys)).default([]),
    })
    .superRefine(crossChecks);

type Parsed = z.output<typeof configSchema>;

/** Whether an image is a Community Edition (no licence, cannot mirror or shard). */
export function isCommunityImage(image: string): boolean {
    return /\/iris(health)?-community(-arm64)?:/.test(image) || image.includes("-community:");
}

/** The cloud holding the DNS zone: `dns.provider`, else the cluster's own cloud (none for `existing`). */
export function dnsCloud(provider: "gcp" | "azure" | "aws" | undefined, cluster: string): "gcp" | "azure" | "aws" | undefined {
    const own: Record<string, "gcp" | "azure" | "aws"> = { gke: "gcp", aks: "azure", aws: "aws" };
    return provider ?? own[cluster];
}

/** The DNS zone's domain: `dns.domain`, or the zone name itself for Azure DNS (where they are the same). */
export function dnsDomain(domain: string | undefined, zone: string | undefined, provider: "gcp" | "azure" | "aws" | undefined): string | undefined {
    return domain ?? (provider === "azure" ? zone : undefined);
}

/** A memory quantity in MiB (undefined for CPU-style units). */
function quantityMiB(q: string): number | undefined {
    const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G)?$/.exec(q);
    if (!m) return undefined;
    const factor: Record<string, number> = { "": 1 / 1048576, Ki: 1 / 1024, Mi: 1, Gi: 1024, Ti: 1048576, k: 1000 / 1048576, M: 1e6 / 1048576, G: 1e9 / 1048576 };
    return Number(m[1]) * factor[m[2] ?? ""];
}

/** Rules between sections: each names the key the user must change. */
function crossChecks(c: Parsed, ctx: z.RefinementCtx): void {
    const has = (k: SecretKey) => c.secretsPresent.includes(k);
    const issue = (path: (string | number)[], input: unknown, message: string) => ctx.addIssue({ code: "custom", path, input, message });
    const cloud = c.cluster.provider;

    if (cloud === "existing" && !has("kubeconfig") && !c.cluster.existing.kubeconfigPath) {
        issue(["cluster", "existing", "kubeconfigPath"], undefined, "is required unless the `kubeconfig` secret is set");
    }
    if (cloud === "existing" && has("kubeconfig") && c.cluster.existing.kubeconfigPath) {
        issue(["cluster", "existing", "kubeconfigPath"], c.cluster.existing.kubeconfigPath, "conflicts with the `kubeconfig` secret: set one of them");
    }

    if (c.certManager.enabled && c.certManager.issuer === "letsencrypt-prod" && !c.certManager.email) {
        issue(["certManager", "email"], undefined, "is required with issuer letsencrypt-prod (Let's Encrypt production needs a contact address)");
    }
    if (c.certManager.dns01 && !c.dns.enabled) {
        issue(["certManager", "dns01"], true, "needs dns.enabled with a zone");
    }

    if (c.dns.enabled) {
        if (!c.dns.zone) issue(["dns", "zone"], undefined, "is required when dns.enabled is true");
        const provider = dnsCloud(c.dns.provider, cloud);
        if (!provider) issue(["dns", "provider"], undefined, "is required for an existing cluster: one of gcp, azure, aws");
        if (provider === "azure" && !c.dns.resourceGroupName) issue(["dns", "resourceGroupName"], undefined, "is required for Azure DNS");
        if (provider === "gcp" && cloud !== "gke" && !c.dns.project) issue(["dns", "project"], undefined, "is required for Cloud DNS outside GKE");
        if (provider === "azure" && cloud !== "aks" && !c.dns.subscriptionId) issue(["dns", "subscriptionId"], undefined, "is required for Azure DNS outside AKS");
        if (cloud === "existing" && !c.dns.address && !c.cluster.existing.ingressAddress) {
            issue(["dns", "address"], undefined, "is required for an existing cluster (or set cluster.existing.ingressAddress)");
        }
        if (!c.ingress.enabled) issue(["dns", "enabled"], true, "needs ingress.enabled: records point at the ingress address");
        if (c.ingress.serviceType !== "LoadBalancer" && !c.dns.address) {
            issue(["ingress", "serviceType"], c.ingress.serviceType, "leaves the reserved address unused: DNS records need LoadBalancer (or set dns.address)");
        }
        if (provider === "azure" && c.dns.domain && c.dns.zone && c.dns.domain !== c.dns.zone) {
            issue(["dns", "domain"], c.dns.domain, `must equal dns.zone (${c.dns.zone}) for Azure DNS, whose zone name is its domain`);
        }
        const domain = dnsDomain(c.dns.domain, c.dns.zone, provider);
        if (domain) {
            const outside = (host: string) => host !== domain && !host.endsWith(`.${domain}`);
            c.dns.hostnames.forEach((host, i) => {
                if (outside(host)) issue(["dns", "hostnames", i], host, `is not inside the zone's domain ${domain}`);
            });
            c.iris.instances.forEach((inst, i) => {
                if (inst.host && outside(inst.host)) issue(["iris", "instances", i, "host"], inst.host, `is not inside the DNS zone's domain ${domain} (dns.domain)`);
            });
        }
        if (c.certManager.dns01 && !domain) issue(["dns", "domain"], undefined, "is required with certManager.dns01 (the solver only answers for this domain)");
    }
    if (c.certManager.azureIdentityClientId && !c.certManager.dns01) {
        issue(["certManager", "azureIdentityClientId"], c.certManager.azureIdentityClientId, "is only used with certManager.dns01: true");
    }

    const lh = c.longhorn;
    const backup = lh.backup;
    if (backup.enabled && !lh.enabled) issue(["longhorn", "backup", "enabled"], true, "needs longhorn.enabled");
    if (backup.enabled && cloud === "existing" && !backup.target) {
        issue(["longhorn", "backup", "target"], undefined, "is required for backups on an existing cluster (s3://bucket@region/)");
    }
    if (backup.enabled && backup.target && (!has("backupAccessKeyId") || !has("backupSecretAccessKey"))) {
        issue(["longhorn", "backup", "target"], backup.target, "needs the backupAccessKeyId and backupSecretAccessKey secrets");
    }
    if (backup.endpoint && !backup.target?.startsWith("s3://")) {
        issue(["longhorn", "backup", "endpoint"], backup.endpoint, "needs an s3:// longhorn.backup.target");
    }
    if (lh.volumeSnapshotClass && !backup.enabled) {
        issue(["longhorn", "volumeSnapshotClass"], true, "needs longhorn.backup.enabled (the class takes Longhorn backups)");
    }

    if (c.iko.enabled) {
        if (!c.iko.chart.path && !c.iko.chart.repo) issue(["iko", "chart", "path"], undefined, "is required (or iko.chart.repo): the IKO chart from the InterSystems download");
        if (c.iko.chart.path && c.iko.chart.repo) issue(["iko", "chart", "repo"], c.iko.chart.repo, "conflicts with iko.chart.path: set one of them");
        if (!c.iko.registry.username) issue(["iko", "registry", "username"], undefined, "is required to pull the operator image");
        if (!has("registryToken")) issue(["iko", "enabled"], true, "needs the `registryToken` secret to pull the operator image");
    }

    const instances = c.iris.instances;
    if (instances.length > 0) {
        if (!has("irisPassword") && !has("irisPasswordHash")) {
            issue(["iris", "instances"], instances.length, "need the `irisPassword` (or `irisPasswordHash`) secret: IRIS must not keep its default password");
        }
        if (has("irisPassword") && has("irisPasswordHash")) {
            issue(["iris", "instances"], instances.length, "take the `irisPassword` or the `irisPasswordHash` secret, not both: unset one of them");
        }
        if (!c.longhorn.enabled && !c.iris.storageClassName) {
            issue(["iris", "storageClassName"], undefined, "is required when longhorn.enabled is false");
        }
    }
    const seen = new Set<string>();
    instances.forEach((inst, i) => {
        const at = (...rest: string[]) => ["iris", "instances", i, ...rest];
        const id = `${inst.namespace}/${inst.name}`;
        if (seen.has(id)) issue(at("name"), inst.name, `repeats instance ${id}`);
        seen.add(id);
        const community = isCommunityImage(inst.image);
        const topology = inst.data.topology;
        if (topology !== "standalone" && community) {
            issue(at("data", "topology"), topology, `is not possible with community image ${inst.image}: community IRIS cannot mirror or shard`);
        }
        if (inst.mode === "standalone" && topology !== "standalone") {
            issue(at("data", "topology"), topology, "needs mode iko: the standalone Deployment runs one instance");
        }
        if (inst.mode === "iko" && !c.iko.enabled) issue(at("mode"), "iko", "needs iko.enabled: true");
        if (!community && !has("irisLicenseKey")) issue(at("image"), inst.image, "is a licensed image: set the `irisLicenseKey` secret");
        if (inst.host && !c.ingress.enabled) issue(at("host"), inst.host, "needs ingress.enabled");
        if (inst.host && !c.certManager.enabled) issue(at("host"), inst.host, "needs certManager.enabled for its TLS certificate");
        if (!inst.compatibilityVersion && !/:\d{4}\.\d+/.test(inst.image)) {
            issue(at("compatibilityVersion"), undefined, `is required: image ${inst.image} has no YYYY.N tag to derive it from`);
        }
        if (inst.mode === "standalone" && inst.compute.replicas > 0) {
            issue(at("compute", "replicas"), inst.compute.replicas, "needs mode iko: the standalone Deployment has no compute nodes");
        }
        // IRIS allocates both at start-up; above the container limit the pod is OOM-killed.
        const limitMiB = quantityMiB(inst.resources.limits.memory);
        const sharedMiB = inst.cpf.globalBuffersMB + inst.cpf.gmheapMB;
        if (limitMiB !== undefined && sharedMiB > limitMiB * 0.8) {
            issue(
                at("cpf", "globalBuffersMB"),
                inst.cpf.globalBuffersMB,
                `plus gmheapMB (${inst.cpf.gmheapMB}) must stay under 80% of resources.limits.memory (${inst.resources.limits.memory})`,
            );
        }
    });
}

// ------------------------------------------------------------------- errors
export class ConfigError extends Error {
    constructor(readonly problems: readonly string[]) {
        super(`Invalid iris-platform stack config:\n  - ${problems.join("\n  - ")}`);
        this.name = "ConfigError";
    }
}

function describe(value: unknown): string {
    if (value === undefined) return "nothing";
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function formatIssue(issue: z.core.$ZodIssue): string {
    const key = `iris-platform:${issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").slice(1)}`;
    let input: unknown = issue.input;
    let message = issue.message;
    if (issue.code === "invalid_union" && "discriminator" in issue && issue.discriminator) {
        const options = ((issue as { options?: unknown[] }).options ?? []).map(String);
        message = `must be one of ${options.join(", ")}`;
        input = (input as Record<string, unknown> | undefined)?.[issue.discriminator];
    }
    if (issue.code === "invalid_value" && issue.values.length > 0) message = `must be one of ${issue.values.map(String).join(", ")}`;
    if (issue.code === "unrecognized_keys") return `${key}: unknown key(s) ${issue.keys.join(", ")}; check the spelling against README`;
    if (issue.code === "invalid_type" && input === undefined) return `${key}: is required (${message})`;
    return `${key}: ${message} (got ${describe(input)})`;
}

// ------------------------------------------------------------------ loading
/** Secret values, present only for the keys the stack sets; always Pulumi secrets. */
export type Secrets = Readonly<Partial<Record<SecretKey, pulumi.Output<string>>>>;

/** The validated stack config every component reads. */
export type PlatformConfig = Readonly<Omit<Parsed, "secretsPresent">> & { readonly secrets: Secrets };
export type ClusterConfig = Parsed["cluster"];
export type IrisInstanceConfig = Parsed["iris"]["instances"][number];

function deepFreeze<T>(value: T): T {
    if (value && typeof value === "object" && !pulumi.Output.isInstance(value)) {
        Object.values(value).forEach(deepFreeze);
        Object.freeze(value);
    }
    return value;
}

/**
 * Validates plain config (the `iris-platform:*` objects, keys without the
 * namespace) plus the secrets the stack sets. Throws `ConfigError`.
 */
export function parseConfig(plain: Record<string, unknown>, secrets: Secrets = {}): PlatformConfig {
    const secretsPresent = secretKeys.filter((k) => secrets[k] !== undefined);
    const result = configSchema.safeParse({ ...plain, secretsPresent }, { reportInput: true });
    if (!result.success) throw new ConfigError(result.error.issues.map(formatIssue));
    const { secretsPresent: _present, ...rest } = result.data;
    return deepFreeze({ ...rest, secrets: Object.freeze({ ...secrets }) });
}

const plainKeys = ["cluster", "longhorn", "ingress", "certManager", "dns", "iko", "iris"] as const;

/** Reads the current stack's config through Pulumi (secrets stay secret). */
export function loadConfig(): PlatformConfig {
    const cfg = new pulumi.Config("iris-platform");
    const plain: Record<string, unknown> = {};
    for (const key of plainKeys) {
        const value = cfg.getObject<unknown>(key);
        if (value !== undefined) plain[key] = value;
    }
    const secrets: Partial<Record<SecretKey, pulumi.Output<string>>> = {};
    for (const key of secretKeys) {
        // Pulumi.yaml declares every secret key with default "", which means unset.
        if (cfg.get(key)) secrets[key] = cfg.requireSecret(key);
    }
    return parseConfig(plain, secrets);
}
