/**
 * A regional GKE Standard cluster ready for Longhorn: own VPC (or an existing
 * one), Ubuntu nodes (COS lacks open-iscsi), workload identity, a least-privilege
 * node service account, and a regional static address for the ingress controller
 * reserved independently of the cluster so DNS can be written while it builds.
 */
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/gcp/compute";
import * as container from "@pulumi/gcp/container";
import { Account } from "@pulumi/gcp/serviceaccount";
import { IAMMember } from "@pulumi/gcp/projects";
import type { Provider as GcpProvider } from "@pulumi/gcp/provider";
import { createGkeNetwork, type GkeConfig } from "./gke-network";
import { gkeKubeconfig } from "./kubeconfig";
import type { CloudContext, IngressEndpoint } from "./types";
import { ClusterComponent, type ClusterCommonArgs } from "./base";
import { childOptions, providerFor } from "../providers";

export type { GkeConfig } from "./gke-network";

/** Machine type when `cluster.nodePool.machineType` is unset: 4 vCPU / 16 GiB fits IRIS + Longhorn. */
export const defaultGkeMachineType = "e2-standard-4";
/** GKE spreads a regional pool over three zones when none are named. */
const defaultZoneCount = 3;

export interface GkeClusterArgs extends ClusterCommonArgs {
    /** The validated `cluster` section of a `provider: gke` stack. */
    readonly cluster: GkeConfig;
}

/** Nodes per zone to create the pool with, so the total starts at (at least) `minNodes`. */
export function initialNodesPerZone(minNodes: number, zoneCount: number): number {
    return Math.max(1, Math.ceil(minNodes / Math.max(1, zoneCount)));
}

/** Service-account id (6-30 chars) for the nodes of cluster `clusterName`. */
export function nodeServiceAccountId(clusterName: string): string {
    return `${clusterName.slice(0, 24).replace(/-+$/, "")}-nodes`;
}

export class GkeCluster extends ClusterComponent {
    /** This cloud always reserves an address for the ingress controller. */
    declare public readonly ingress: IngressEndpoint;
    /** The GKE cluster resource. */
    public readonly gkeCluster: container.Cluster;
    /** The (autoscaled) Ubuntu node pool. */
    public readonly nodePool: container.NodePool;
    /** Regional static address the ingress controller Service takes. */
    public readonly ingressAddress: compute.Address;

    constructor(name: string, args: GkeClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super(
            "iris-platform:cluster:GkeCluster",
            name,
            { clusterName: args.cluster.name, kubernetesVersion: args.cluster.kubernetesVersion },
            opts,
        );
        const c = args.cluster;
        const g = c.gke;
        const provider = providerFor<GcpProvider>(this, "gcp");
        const child = childOptions(this, opts, { provider: "gcp" });
        const cloud: CloudContext = {
            cloud: "gcp",
            provider,
            project: g.project,
            region: g.region,
        };

        // Reserved first and on its own: it depends on nothing of the cluster, so
        // DNS records can point at it while the cluster is still being created.
        // Regional (not global): a Service of type LoadBalancer is a regional L4 LB.
        this.ingressAddress = new compute.Address(
            `${name}-ingress-ip`,
            {
                name: `${c.name}-ingress`,
                region: g.region,
                addressType: "EXTERNAL",
                networkTier: "PREMIUM",
                description: `ingress of ${c.name}`,
            },
            child,
        );
        const ip = this.ingressAddress.address;
        const ingress: IngressEndpoint = {
            addresses: ip.apply((a) => [a]),
            loadBalancerIP: ip,
            serviceAnnotations: pulumi.output<Record<string, string>>({}),
            // GKE's L4 LB honours externalTrafficPolicy: Local (GKE opens the health-check firewall itself).
            preservesClientIp: true,
        };

        const net = createGkeNetwork(name, c, { ...child, provider });

        const nodeSa = new Account(
            `${name}-nodes-sa`,
            {
                accountId: nodeServiceAccountId(c.name),
                displayName: `GKE nodes of ${c.name}`,
                project: g.project,
            },
            child,
        );
        // The one role GKE documents for node service accounts (logs, metrics, image pulls
        // from GKE); the Compute default account would give nodes project Editor.
        const nodeSaRole = new IAMMember(
            `${name}-nodes-sa-role`,
            {
                project: g.project,
                role: "roles/container.defaultNodeServiceAccount",
                member: pulumi.interpolate`serviceAccount:${nodeSa.email}`,
            },
            child,
        );

        this.gkeCluster = new container.Cluster(
            `${name}-gke`,
            {
                name: c.name,
                location: g.region,
                network: net.network,
                subnetwork: net.subnetwork,
                networkingMode: "VPC_NATIVE",
                ipAllocationPolicy: net.ipAllocationPolicy,
                // Dataplane V2 enforces NetworkPolicy without a separate Calico add-on.
                datapathProvider: "ADVANCED_DATAPATH",
                // Node pools are managed separately so they can change without replacing the cluster.
                removeDefaultNodePool: true,
                initialNodeCount: 1,
                // The short-lived default pool runs as our node account too: organisations
                // that disable the Compute default account would otherwise fail here.
                nodeConfig: {
                    serviceAccount: nodeSa.email,
                    oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
                },
                releaseChannel: { channel: g.releaseChannel },
                minMasterVersion: c.kubernetesVersion,
                workloadIdentityConfig: { workloadPool: `${g.project}.svc.id.goog` },
                deletionProtection: g.deletionProtection,
                privateClusterConfig: g.privateNodes
                    ? {
                          enablePrivateNodes: true,
                          enablePrivateEndpoint: false,
                          masterIpv4CidrBlock: g.masterIpv4CidrBlock,
                      }
                    : undefined,
                masterAuthorizedNetworksConfig:
                    g.masterAuthorizedNetworks.length > 0
                        ? {
                              cidrBlocks: g.masterAuthorizedNetworks.map((cidrBlock, i) => ({
                                  cidrBlock,
                                  displayName: `authorized-${i}`,
                              })),
                          }
                        : undefined,
                addonsConfig: { gcePersistentDiskCsiDriverConfig: { enabled: true } },
            },
            // nodeConfig describes only the removed default pool; GKE reports drift on it afterwards.
            {
                ...child,
                dependsOn: [...child.dependsOn, ...net.dependencies, nodeSaRole],
                ignoreChanges: ["nodeConfig"],
            },
        );

        const zones = g.zones.length > 0 ? [...g.zones] : undefined;
        const np = c.nodePool;
        this.nodePool = new container.NodePool(
            `${name}-nodes`,
            {
                cluster: this.gkeCluster.id,
                location: g.region,
                nodeLocations: zones,
                initialNodeCount: initialNodesPerZone(
                    np.minNodes,
                    zones?.length ?? defaultZoneCount,
                ),
                // Totals, not per-zone counts: the config means nodes in the cluster.
                autoscaling: {
                    totalMinNodeCount: np.minNodes,
                    totalMaxNodeCount: np.maxNodes,
                    locationPolicy: "BALANCED",
                },
                management: { autoRepair: true, autoUpgrade: true },
                // Surge one node at a time and never take one away first: Longhorn replicas
                // need a node to move to.
                upgradeSettings: { maxSurge: 1, maxUnavailable: 0 },
                nodeConfig: {
                    machineType: np.machineType ?? defaultGkeMachineType,
                    diskSizeGb: np.diskSizeGb,
                    diskType: g.diskType,
                    // Longhorn needs open-iscsi and NFS client tools, which COS does not have.
                    imageType: "UBUNTU_CONTAINERD",
                    serviceAccount: nodeSa.email,
                    oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
                    workloadMetadataConfig: { mode: "GKE_METADATA" },
                    shieldedInstanceConfig: { enableIntegrityMonitoring: true },
                    labels: { "iris-platform/pool": "default" },
                },
            },
            // initialNodeCount only matters at creation; changing it would replace the pool.
            {
                ...child,
                dependsOn: [...child.dependsOn, nodeSaRole],
                ignoreChanges: ["initialNodeCount"],
            },
        );

        const contextName = `gke_${g.project}_${g.region}_${c.name}`;
        const kubeconfig = pulumi.secret(
            pulumi
                .all([this.gkeCluster.endpoint, this.gkeCluster.masterAuth])
                .apply(([endpoint, auth]) =>
                    gkeKubeconfig({
                        contextName,
                        endpoint,
                        caCertificateBase64: auth.clusterCaCertificate,
                    }),
                ),
        );
        this.publish(name, {
            helmRegistryConfigPath: args.helmRegistryConfigPath,
            kubeconfig,
            cloud,
            ingress,
            // Waiting for the pool means add-ons never land on a cluster without nodes.
            providerWaitsFor: [this.nodePool],
            readiness: [this.nodePool],
            outputs: { ingressAddress: ip, clusterId: this.gkeCluster.id },
        });
    }
}
