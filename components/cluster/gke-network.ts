/**
 * The GKE cluster's VPC: a custom-mode network and one VPC-native subnet with
 * secondary ranges for pods and services, Cloud NAT when nodes are private, and
 * the firewall hole admission webhooks need on private clusters. Or, when the
 * stack names an existing network, only references to it.
 */
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/gcp/compute";
import type { Provider as GcpProvider } from "@pulumi/gcp/provider";
import type { GkeSettings } from "./settings";
import type { ChildOptions } from "../providers";

/** The validated `cluster` section of a GKE stack. */
export type GkeConfig = GkeSettings;

/** Names of the subnet's secondary ranges this program creates. */
export const podsRangeName = "pods";
export const servicesRangeName = "services";

/**
 * Ports the control plane must reach on nodes for admission/conversion webhooks.
 * Private clusters only allow 443 and 10250 from the control plane by default:
 * 8443 (ingress-nginx admission, common operator webhooks), 9443 (controller-runtime
 * webhooks), 9501-9503 (Longhorn conversion/admission webhooks and recovery backend).
 */
export const webhookPorts = ["8443", "9443", "9501-9503"];

/** What the cluster needs from the network, whichever way it came. */
export interface GkeNetwork {
    /** Network name or self link for `container.Cluster.network`. */
    readonly network: pulumi.Input<string>;
    /** Subnetwork name or self link for `container.Cluster.subnetwork`. */
    readonly subnetwork: pulumi.Input<string>;
    /** `ipAllocationPolicy` of the cluster (named secondary ranges, or CIDRs GKE turns into ranges). */
    readonly ipAllocationPolicy: {
        clusterSecondaryRangeName?: string;
        servicesSecondaryRangeName?: string;
        clusterIpv4CidrBlock?: string;
        servicesIpv4CidrBlock?: string;
    };
    /** Resources the cluster must wait for (NAT: private nodes cannot pull images without it). */
    readonly dependencies: pulumi.Resource[];
}

/** Creates (or references) the network for cluster `name`, with the cluster's child options. */
export function createGkeNetwork(
    name: string,
    c: GkeConfig,
    opts: ChildOptions & { readonly provider: GcpProvider },
): GkeNetwork {
    const g = c.gke;
    const dependencies: pulumi.Resource[] = [];
    let network: pulumi.Input<string>;
    let subnetwork: pulumi.Input<string>;
    let ipAllocationPolicy: GkeNetwork["ipAllocationPolicy"];

    if (g.network) {
        network = g.network.name;
        subnetwork = g.network.subnetwork;
        ipAllocationPolicy =
            g.network.podsRangeName && g.network.servicesRangeName
                ? {
                      clusterSecondaryRangeName: g.network.podsRangeName,
                      servicesSecondaryRangeName: g.network.servicesRangeName,
                  }
                : { clusterIpv4CidrBlock: g.podsCidr, servicesIpv4CidrBlock: g.servicesCidr };
    } else {
        const vpc = new compute.Network(
            `${name}-network`,
            {
                name: `${c.name}-net`,
                autoCreateSubnetworks: false,
                routingMode: "REGIONAL",
                description: `iris-platform ${c.name}`,
            },
            opts,
        );
        const subnet = new compute.Subnetwork(
            `${name}-subnet`,
            {
                name: `${c.name}-nodes`,
                region: g.region,
                network: vpc.id,
                ipCidrRange: g.subnetCidr,
                // Nodes without public IPs still reach Google APIs (image pulls from Artifact Registry).
                privateIpGoogleAccess: true,
                secondaryIpRanges: [
                    { rangeName: podsRangeName, ipCidrRange: g.podsCidr },
                    { rangeName: servicesRangeName, ipCidrRange: g.servicesCidr },
                ],
            },
            opts,
        );
        network = vpc.selfLink;
        subnetwork = subnet.selfLink;
        ipAllocationPolicy = {
            clusterSecondaryRangeName: podsRangeName,
            servicesSecondaryRangeName: servicesRangeName,
        };
        dependencies.push(subnet);

        if (g.privateNodes) {
            // Private nodes have no external IPs: Cloud NAT gives them egress to
            // containers.intersystems.com, chart repositories and Let's Encrypt.
            const router = new compute.Router(
                `${name}-router`,
                { name: `${c.name}-router`, region: g.region, network: vpc.id },
                opts,
            );
            const nat = new compute.RouterNat(
                `${name}-nat`,
                {
                    name: `${c.name}-nat`,
                    region: g.region,
                    router: router.name,
                    natIpAllocateOption: "AUTO_ONLY",
                    sourceSubnetworkIpRangesToNat: "ALL_SUBNETWORKS_ALL_IP_RANGES",
                    logConfig: { enable: true, filter: "ERRORS_ONLY" },
                },
                opts,
            );
            dependencies.push(nat);
        }
    }

    if (g.privateNodes) {
        dependencies.push(
            new compute.Firewall(
                `${name}-webhooks`,
                {
                    name: `${c.name}-master-webhooks`,
                    network,
                    direction: "INGRESS",
                    sourceRanges: [g.masterIpv4CidrBlock],
                    allows: [{ protocol: "tcp", ports: webhookPorts }],
                    description:
                        "GKE control plane to admission webhooks on nodes (cert-manager, Longhorn, ingress, IKO)",
                },
                opts,
            ),
        );
    }
    return { network, subnetwork, ipAllocationPolicy, dependencies };
}
