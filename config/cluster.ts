/** `iris-platform:cluster`: one schema per provider, discriminated by `provider`. */
import { z } from "zod";
import { cidrsOverlap, isNetworkAddress, vpcPrefixRange } from "../domain/cidr";
import { defaultKubernetesMinor, kubernetesMinors } from "../versions";
import {
    cidr,
    cidrRe,
    count,
    dnsLabel,
    ec2InstanceType,
    ec2InstanceTypeRe,
    ipv4,
    ipv4InCidr,
} from "./primitives";

const nodePool = z
    .strictObject({
        /** Worker machine type; defaults per cloud. */
        machineType: z.string().min(1).optional(),
        minNodes: count(0, 100).default(2),
        maxNodes: count(1, 100).default(3),
        /** AWS only: the ASG's initial desired size (it is then left to the autoscaler). */
        desiredNodes: count(0, 100).optional(),
        diskSizeGb: count(20, 4096).default(100),
    })
    .superRefine((p, ctx) => {
        if (p.minNodes > p.maxNodes) {
            ctx.addIssue({
                code: "custom",
                path: ["minNodes"],
                input: p.minNodes,
                message: `must be <= maxNodes (${p.maxNodes})`,
            });
        }
        if (
            p.desiredNodes !== undefined &&
            (p.desiredNodes < p.minNodes || p.desiredNodes > p.maxNodes)
        ) {
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
function zonesInRegion(
    zones: readonly string[],
    region: string,
    ctx: z.RefinementCtx,
    key: string,
): void {
    zones.forEach((zone, i) => {
        if (!zone.startsWith(region)) {
            ctx.addIssue({
                code: "custom",
                path: [key, i],
                input: zone,
                message: `is not a zone of region ${region}`,
            });
        }
    });
}

const gke = z.strictObject({
    provider: z.literal("gke"),
    ...clusterCommon,
    gke: z
        .strictObject({
            project: z.string().min(1, "is required: the GCP project id"),
            region: z
                .string()
                .regex(/^[a-z]+-[a-z]+\d+$/, "must be a GCP region such as europe-west1"),
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
                    ctx.addIssue({
                        code: "custom",
                        path: ["zones", i],
                        input: zone,
                        message: `is not a zone of region ${g.region} (zones look like ${g.region}-b)`,
                    });
                }
            });
            if (new Set(g.zones).size !== g.zones.length) {
                ctx.addIssue({
                    code: "custom",
                    path: ["zones"],
                    input: g.zones,
                    message: "must not repeat a zone",
                });
            }
            if (g.privateNodes && !g.masterIpv4CidrBlock.endsWith("/28")) {
                ctx.addIssue({
                    code: "custom",
                    path: ["masterIpv4CidrBlock"],
                    input: g.masterIpv4CidrBlock,
                    message: "must be a /28 for private nodes",
                });
            }
            const n = g.network;
            if (n && !n.podsRangeName !== !n.servicesRangeName) {
                const missing = n.podsRangeName ? "servicesRangeName" : "podsRangeName";
                ctx.addIssue({
                    code: "custom",
                    path: ["network", missing],
                    input: undefined,
                    message: "is required when the other secondary range name is set",
                });
            }
            // Only the ranges this cluster uses: an existing network brings its subnet, named secondary ranges their CIDRs.
            disjointRanges(
                {
                    ...(n ? {} : { subnetCidr: g.subnetCidr }),
                    ...(n?.podsRangeName
                        ? {}
                        : { podsCidr: g.podsCidr, servicesCidr: g.servicesCidr }),
                    ...(g.privateNodes ? { masterIpv4CidrBlock: g.masterIpv4CidrBlock } : {}),
                },
                ctx,
            );
        }),
});

const aks = z.strictObject({
    provider: z.literal("aks"),
    ...clusterCommon,
    aks: z
        .strictObject({
            subscriptionId: z.uuid("must be the Azure subscription id (a UUID)"),
            location: z
                .string()
                .regex(/^[a-z]+[a-z0-9]*$/, "must be an Azure location such as westeurope"),
            /** Resource group to create; defaults to `<cluster name>-rg`. */
            resourceGroupName: z.string().min(1).optional(),
            /** Availability zones ("1", "2", "3"); empty for regions without zones. */
            zones: z.array(z.enum(["1", "2", "3"])).default([]),
            networkPlugin: z.enum(["azure-overlay", "kubenet"]).default("azure-overlay"),
            apiServerAuthorizedIpRanges: z.array(cidr).default([]),
            systemPool: z
                .strictObject({
                    vmSize: z.string().default("Standard_D2s_v5"),
                    count: count(1, 10).default(1),
                })
                .prefault({}),
            podCidr: cidr.default("192.168.0.0/16"),
            serviceCidr: cidr.default("10.0.0.0/16"),
            dnsServiceIp: ipv4.default("10.0.0.10"),
            tier: z.enum(["Free", "Standard"]).default("Free"),
        })
        .superRefine((a, ctx) => {
            if (new Set(a.zones).size !== a.zones.length) {
                ctx.addIssue({
                    code: "custom",
                    path: ["zones"],
                    input: a.zones,
                    message: "must not repeat a zone",
                });
            }
            if (cidrRe.test(a.serviceCidr) && !ipv4InCidr(a.dnsServiceIp, a.serviceCidr)) {
                ctx.addIssue({
                    code: "custom",
                    path: ["dnsServiceIp"],
                    input: a.dnsServiceIp,
                    message: `must lie inside serviceCidr ${a.serviceCidr}`,
                });
            }
            // The nodes sit in AKS's managed virtual network, 10.224.0.0/12: pods and Services must not overlap it.
            disjointRanges({ podCidr: a.podCidr, serviceCidr: a.serviceCidr }, ctx, {
                "the AKS managed node network": aksManagedVnet,
            });
        }),
});

const aws = z
    .strictObject({
        provider: z.literal("aws"),
        ...clusterCommon,
        aws: z
            .strictObject({
                region: z
                    .string()
                    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS region such as eu-west-1"),
                availabilityZones: z
                    .array(z.string())
                    .min(2, "needs 2 or 3 zones")
                    .max(3, "needs 2 or 3 zones"),
                /** VPC range, /16 to /24; private and public subnets are cut from it (see docs/aws.md). */
                vpcCidr: cidr.default("10.0.0.0/16"),
                /** CIDRs allowed to reach the API server (6443) through its load balancer; must include where `pulumi up` runs. */
                adminCidrs: z.array(cidr).default([]),
                controlPlane: z
                    .strictObject({
                        count: z
                            .union([z.literal(1), z.literal(3)], "must be 1 (dev) or 3 (HA)")
                            .default(1),
                        instanceType: ec2InstanceType.default("m6i.large"),
                    })
                    .prefault({}),
                natGateways: z.enum(["single", "perAz"]).default("single"),
                podCidr: cidr.default("192.168.0.0/16"),
                serviceCidr: cidr.default("10.96.0.0/12"),
                rootVolumeGb: count(20, 1024).default(50),
                /** Pin every node to this AMI instead of Canonical's current Ubuntu 24.04 (which changes every few weeks). */
                amiId: z
                    .string()
                    .regex(
                        /^ami-[0-9a-f]{8,17}$/,
                        "must be an AMI id such as ami-0123456789abcdef0",
                    )
                    .optional(),
            })
            .superRefine((a, ctx) => {
                zonesInRegion(a.availabilityZones, a.region, ctx, "availabilityZones");
                if (new Set(a.availabilityZones).size !== a.availabilityZones.length) {
                    ctx.addIssue({
                        code: "custom",
                        path: ["availabilityZones"],
                        input: a.availabilityZones,
                        message: "must not repeat a zone",
                    });
                }
                awsNetworkChecks(a, ctx);
            }),
    })
    .superRefine((c, ctx) => {
        const machineType = c.nodePool.machineType;
        if (machineType === undefined) {
            ctx.addIssue({
                code: "custom",
                path: ["nodePool", "machineType"],
                input: undefined,
                message: "is required for AWS: the workers' EC2 instance type such as m6i.xlarge",
            });
        } else if (!ec2InstanceTypeRe.test(machineType)) {
            ctx.addIssue({
                code: "custom",
                path: ["nodePool", "machineType"],
                input: machineType,
                message: "must be an EC2 instance type such as m6i.xlarge",
            });
        }
    });

/** Address space AKS gives the nodes' managed virtual network (no custom VNet here). */
const aksManagedVnet = "10.224.0.0/12";

/**
 * Network ranges a cluster uses must be network addresses and must not overlap
 * each other or `fixed` ranges the cloud imposes; each issue names the key.
 */
function disjointRanges(
    ranges: Record<string, string>,
    ctx: z.RefinementCtx,
    fixed: Record<string, string> = {},
): void {
    const issue = (path: (string | number)[], input: unknown, message: string) =>
        ctx.addIssue({ code: "custom", path, input, message });
    // Syntax errors are already reported by the `cidr` schema; only check well-formed values.
    const valid = Object.entries(ranges).filter(([, v]) => cidrRe.test(v));
    for (const [key, value] of valid) {
        if (!isNetworkAddress(value))
            issue([key], value, "has host bits set: use the network address (e.g. 10.0.0.0/16)");
    }
    for (let i = 0; i < valid.length; i++) {
        for (let j = i + 1; j < valid.length; j++) {
            if (cidrsOverlap(valid[i][1], valid[j][1]))
                issue([valid[j][0]], valid[j][1], `overlaps ${valid[i][0]} (${valid[i][1]})`);
        }
        for (const [what, range] of Object.entries(fixed)) {
            if (cidrsOverlap(valid[i][1], range))
                issue([valid[i][0]], valid[i][1], `overlaps ${what} (${range})`);
        }
    }
}

/** CIDR rules kubeadm and the subnet plan need; each names the key to change. */
function awsNetworkChecks(
    a: { vpcCidr: string; podCidr: string; serviceCidr: string; adminCidrs: string[] },
    ctx: z.RefinementCtx,
): void {
    const issue = (path: (string | number)[], input: unknown, message: string) =>
        ctx.addIssue({ code: "custom", path, input, message });
    disjointRanges({ vpcCidr: a.vpcCidr, podCidr: a.podCidr, serviceCidr: a.serviceCidr }, ctx);
    if (cidrRe.test(a.vpcCidr)) {
        const prefix = Number(a.vpcCidr.split("/")[1]);
        if (prefix < vpcPrefixRange.min || prefix > vpcPrefixRange.max) {
            issue(
                ["vpcCidr"],
                a.vpcCidr,
                `must be a /${vpcPrefixRange.min} to /${vpcPrefixRange.max} network`,
            );
        }
    }
    if (a.adminCidrs.length === 0) {
        issue(
            ["adminCidrs"],
            [],
            "must list at least one CIDR: the API server is reachable only from these, and `pulumi up` itself must reach it",
        );
    }
    a.adminCidrs.forEach((c, i) => {
        if (cidrRe.test(c) && c.endsWith("/0"))
            issue(["adminCidrs", i], c, "must not open the API server to the whole internet");
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

export const cluster = z.discriminatedUnion("provider", [gke, aks, aws, existing]);
