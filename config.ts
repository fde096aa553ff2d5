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
                /** Node zones; empty means every zone of the region. */
                zones: z.array(z.string()).default([]),
                releaseChannel: z.enum(["RAPID", "REGULAR", "STABLE"]).default("REGULAR"),
                /** Use an existing VPC network and subnetwork instead of creating one. */
                network: z.strictObject({ name: z.string().min(1), subnetwork: z.string().min(1) }).optional(),
                subnetCidr: cidr.default("10.10.0.0/20"),
                podsCidr: cidr.default("10.20.0.0/14"),
                servicesCidr: cidr.default("10.24.0.0/20"),
                privateNodes: z.boolean().default(false),
                masterIpv4CidrBlock: cidr.default("172.16.0.0/28"),
                masterAuthorizedNetworks: z.array(cidr).default([]),
                deletionProtection: z.boolean().default(false),
                diskType: z.enum(["pd-standard", "pd-balanced", "pd-ssd"]).default("pd-balanced"),
            })
            .superRefine((g, ctx) => zonesInRegion(g.zones, g.region, ctx, "zones")),
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
    }),
});

const aws = z.strictObject({
    provider: z.literal("aws"),
    ...clusterCommon,
    aws: z
        .strictObject({
            region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS region such as eu-west-1"),
            availabilityZones: z.array(z.string()).min(2, "needs 2 or 3 zones").max(3, "needs 2 or 3 zones"),
            vpcCidr: cidr.default("10.0.0.0/16"),
            /** CIDRs allowed to reach the API server (6443) through the load balancer. */
            adminCidrs: z.array(cidr).default([]),
            controlPlane: z
                .strictObject({
                    count: z.union([z.literal(1), z.literal(3)], "must be 1 (dev) or 3 (HA)").default(1),
                    instanceType: z.string().min(1).default("m6i.large"),
                })
                .prefault({}),
            natGateways: z.enum(["single", "perAz"]).default("single"),
            podCidr: cidr.default("192.168.0.0/16"),
            serviceCidr: cidr.default("10.96.0.0/12"),
            rootVolumeGb: count(20, 1024).default(50),
        })
        .superRefine((a, ctx) => {
            zonesInRegion(a.availabilityZones, a.region, ctx, "availabilityZones");
            if (new Set(a.availabilityZones).size !== a.availabilityZones.length) {
                ctx.addIssue({ code: "custom", path: ["availabilityZones"], input: a.availabilityZones, message: "must not repeat a zone" });
            }
        }),
});

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
const longhorn = z.strictObject({
    enabled: z.boolean().default(true),
    replicaCount: count(1, 5).default(2),
    /** StorageClass (reclaimPolicy Retain) that IRIS volumes use. */
    storageClassName: dnsLabel.default("iris-retain"),
    /** Keep Longhorn's own `longhorn` class as the cluster default. */
    defaultClass: z.boolean().default(false),
    nodeDownPodDeletionPolicy: z
        .enum(["do-nothing", "delete-statefulset-pod", "delete-deployment-pod", "delete-both-statefulset-and-deployment-pod"])
        .default("delete-both-statefulset-and-deployment-pod"),
    backup: z
        .strictObject({
            enabled: z.boolean().default(false),
            /** Backup target URL for `existing` clusters (`s3://bucket@region/`); cloud stacks create their own store. */
            target: z.string().regex(/^(s3|azblob):\/\/.+/, "must look like s3://bucket@region/ or azblob://container@core.windows.net/").optional(),
            /** S3-compatible endpoint (MinIO, Ceph) for `existing` clusters. */
            endpoint: z.url().optional(),
            schedule: z.string().min(9, "must be a cron expression").default("0 3 * * *"),
            retain: count(1, 100).default(7),
            snapshotCleanupSchedule: z.string().min(9, "must be a cron expression").default("0 4 * * *"),
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
});

const certManager = z.strictObject({
    enabled: z.boolean().default(true),
    /** ACME account email; required for the production issuer. */
    email: z.email().optional(),
    issuer: z.enum(["letsencrypt-staging", "letsencrypt-prod"]).default("letsencrypt-staging"),
    /** Add a DNS-01 solver on the stack's cloud DNS zone (needs `dns`). */
    dns01: z.boolean().default(false),
});

const dns = z.strictObject({
    enabled: z.boolean().default(false),
    /** DNS cloud; defaults to the cluster's cloud; required for `existing` clusters. */
    provider: z.enum(["gcp", "azure", "aws"]).optional(),
    /** Cloud DNS managed-zone name, Azure DNS zone name, or Route53 hosted-zone id. */
    zone: z.string().min(1).optional(),
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
        const provider = c.dns.provider ?? { gke: "gcp", aks: "azure", aws: "aws", existing: undefined }[cloud];
        if (!provider) issue(["dns", "provider"], undefined, "is required for an existing cluster: one of gcp, azure, aws");
        if (provider === "azure" && !c.dns.resourceGroupName) issue(["dns", "resourceGroupName"], undefined, "is required for Azure DNS");
        if (provider === "gcp" && cloud !== "gke" && !c.dns.project) issue(["dns", "project"], undefined, "is required for Cloud DNS outside GKE");
        if (provider === "azure" && cloud !== "aks" && !c.dns.subscriptionId) issue(["dns", "subscriptionId"], undefined, "is required for Azure DNS outside AKS");
        if (cloud === "existing" && !c.dns.address && !c.cluster.existing.ingressAddress) {
            issue(["dns", "address"], undefined, "is required for an existing cluster (or set cluster.existing.ingressAddress)");
        }
        if (!c.ingress.enabled) issue(["dns", "enabled"], true, "needs ingress.enabled: records point at the ingress address");
    }

    const backup = c.longhorn.backup;
    if (backup.enabled && !c.longhorn.enabled) issue(["longhorn", "backup", "enabled"], true, "needs longhorn.enabled");
    if (backup.enabled && cloud === "existing") {
        if (!backup.target) issue(["longhorn", "backup", "target"], undefined, "is required for backups on an existing cluster (s3://bucket@region/)");
        if (!has("backupAccessKeyId") || !has("backupSecretAccessKey")) {
            issue(["longhorn", "backup", "enabled"], true, "needs the backupAccessKeyId and backupSecretAccessKey secrets on an existing cluster");
        }
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
