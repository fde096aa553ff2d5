/** `iris-platform:cluster`: one schema per provider, discriminated by `provider`. */
import { z } from "zod";
import { clusterCommon, disjointRanges, noWholeInternet } from "./cluster-common";
import { aws } from "./cluster-aws";
import { cidr, cidrRe, count, ipv4, ipv4InCidr, ipv4Re } from "./primitives";

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
            noWholeInternet(g.masterAuthorizedNetworks, "masterAuthorizedNetworks", ctx);
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
            if (cidrRe.test(a.serviceCidr) && ipv4Re.test(a.dnsServiceIp)) {
                const reserved = reservedServiceAddress(a.dnsServiceIp, a.serviceCidr);
                const inside = ipv4InCidr(a.dnsServiceIp, a.serviceCidr);
                if (!inside || reserved) {
                    ctx.addIssue({
                        code: "custom",
                        path: ["dnsServiceIp"],
                        input: a.dnsServiceIp,
                        message: inside
                            ? `is ${reserved} of serviceCidr ${a.serviceCidr}: use another address inside it, such as ${suggestedDnsIp(a.serviceCidr)}`
                            : `must lie inside serviceCidr ${a.serviceCidr}`,
                    });
                }
            }
            noWholeInternet(a.apiServerAuthorizedIpRanges, "apiServerAuthorizedIpRanges", ctx);
            // The nodes sit in AKS's managed virtual network, 10.224.0.0/12: pods and Services must not overlap it.
            disjointRanges({ podCidr: a.podCidr, serviceCidr: a.serviceCidr }, ctx, {
                "the AKS managed node network": aksManagedVnet,
            });
        }),
});

/**
 * Why a Service range's address cannot be a ClusterIP such as CoreDNS's. The API server
 * never allocates an IPv4 range's network or broadcast address (kubernetes v1.35.4,
 * pkg/registry/core/service/ipallocator/bitmap.go) and takes the first address for the
 * `kubernetes` Service (pkg/controlplane/apiserver/options/options.go, ServiceIPRange),
 * which AKS's own docs repeat for dnsServiceIP ("must not be the first IP address").
 */
function reservedServiceAddress(ip: string, block: string): string | undefined {
    const offset = ipv4Int(ip) - ipv4Int(block.split("/")[0]);
    const size = 2 ** (32 - Number(block.split("/")[1]));
    if (offset === 0) return "the network address";
    if (offset === 1) return "the first address (the `kubernetes` Service's)";
    if (offset === size - 1) return "the broadcast address";
    return undefined;
}

/** The `.10` of a Service range, the usual DNS address (AKS's default 10.0.0.10); `.2` in tiny ranges. */
function suggestedDnsIp(block: string): string {
    const size = 2 ** (32 - Number(block.split("/")[1]));
    const n = ipv4Int(block.split("/")[0]) + (size > 11 ? 10 : 2);
    return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
}

const ipv4Int = (a: string) => a.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);

/** Address space AKS gives the nodes' managed virtual network (no custom VNet here). */
const aksManagedVnet = "10.224.0.0/12";

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
