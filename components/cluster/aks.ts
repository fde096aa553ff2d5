/**
 * An AKS cluster ready for Longhorn: resource group, a tainted system pool and
 * an autoscaled Ubuntu user pool (Longhorn needs open-iscsi; Azure Linux is not
 * a Longhorn-tested OS), Azure CNI overlay, workload identity, and a static
 * public IP in our own resource group that the ingress Service takes by name.
 */
import * as pulumi from "@pulumi/pulumi";
import * as containerservice from "@pulumi/azure-native/containerservice";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import * as authorization from "@pulumi/azure-native/authorization";
import type { Provider as AzureProvider } from "@pulumi/azure-native/provider";
import type { AksSettings } from "./settings";
import { stackTags } from "../cloud";
import { decodeAksKubeconfig } from "./kubeconfig";
import type { CloudContext, IngressEndpoint } from "./types";
import { ClusterComponent, type ClusterCommonArgs } from "./base";
import { childOptions, providerFor } from "../providers";

export type AksConfig = AksSettings;

/** VM size when `cluster.nodePool.machineType` is unset: 4 vCPU / 16 GiB fits IRIS + Longhorn. */
export const defaultAksVmSize = "Standard_D4s_v5";
/** Built-in "Network Contributor" role definition id (the same in every tenant). */
export const networkContributorRoleId = "4d97b98b-1d4f-4787-a291-c67834d212e7";

export interface AksClusterArgs extends ClusterCommonArgs {
    /** The validated `cluster` section of a `provider: aks` stack. */
    readonly cluster: AksConfig;
}

/**
 * Annotations the ingress controller's Service must carry to take our public IP.
 * The IP lives outside the node resource group, hence the resource-group annotation.
 * The probe path: with `externalTrafficPolicy: Local` Azure probes kube-proxy's
 * health-check node port over HTTP, which answers on `/healthz`; for
 * Services whose ports set `appProtocol: http` (ingress-nginx does) Azure would
 * otherwise probe `/` on the controller and get 404s.
 */
export function aksIngressAnnotations(
    publicIpName: string,
    resourceGroupName: string,
): Record<string, string> {
    return {
        "service.beta.kubernetes.io/azure-pip-name": publicIpName,
        "service.beta.kubernetes.io/azure-load-balancer-resource-group": resourceGroupName,
        "service.beta.kubernetes.io/azure-load-balancer-health-probe-request-path": "/healthz",
    };
}

/**
 * The network profile. Azure CNI overlay (default): pods get addresses from a
 * private overlay CIDR (no VNet address planning, up to 5000 nodes), with the
 * Cilium dataplane enforcing NetworkPolicy. kubenet is kept for clusters that
 * must match older setups; Microsoft retires it in 2028 and it caps at 400 nodes.
 */
export function aksNetworkProfile(
    a: AksConfig["aks"],
): containerservice.ManagedClusterArgs["networkProfile"] {
    const common = {
        podCidr: a.podCidr,
        serviceCidr: a.serviceCidr,
        dnsServiceIP: a.dnsServiceIp,
        loadBalancerSku: "standard",
        outboundType: "loadBalancer",
    };
    return a.networkPlugin === "kubenet"
        ? { ...common, networkPlugin: "kubenet", networkPolicy: "calico" }
        : {
              ...common,
              networkPlugin: "azure",
              networkPluginMode: "overlay",
              networkDataplane: "cilium",
              networkPolicy: "cilium",
          };
}

export class AksCluster extends ClusterComponent {
    /** This cloud always reserves an address for the ingress controller. */
    declare public readonly ingress: IngressEndpoint;
    public readonly resourceGroup: resources.ResourceGroup;
    public readonly managedCluster: containerservice.ManagedCluster;
    /** The autoscaled Ubuntu pool the platform's workloads run on. */
    public readonly userPool: containerservice.AgentPool;
    public readonly ingressIp: network.PublicIPAddress;

    constructor(name: string, args: AksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super(
            "iris-platform:cluster:AksCluster",
            name,
            { clusterName: args.cluster.name, kubernetesVersion: args.cluster.kubernetesVersion },
            opts,
        );
        const c = args.cluster;
        const a = c.aks;
        const provider = providerFor<AzureProvider>(this, "azure-native");
        const child = childOptions(this, opts, { provider: "azure-native" });
        const tags = stackTags(c.name);
        const zones = a.zones.length > 0 ? [...a.zones] : undefined;

        this.resourceGroup = new resources.ResourceGroup(
            `${name}-rg`,
            {
                resourceGroupName: a.resourceGroupName ?? `${c.name}-rg`,
                location: a.location,
                tags,
            },
            child,
        );
        const rgName = this.resourceGroup.name;
        const cloud: CloudContext = {
            cloud: "azure",
            provider,
            subscriptionId: a.subscriptionId,
            location: a.location,
            resourceGroupName: rgName,
        };

        // In our group, not the node group AKS creates: it exists before the cluster
        // (DNS can point at it early) and survives cluster replacement.
        this.ingressIp = new network.PublicIPAddress(
            `${name}-ingress-ip`,
            {
                resourceGroupName: rgName,
                publicIpAddressName: `${c.name}-ingress`,
                location: a.location,
                sku: { name: "Standard", tier: "Regional" },
                publicIPAllocationMethod: "Static",
                publicIPAddressVersion: "IPv4",
                // Zone-redundant where the region has zones (a Standard IP's zones cannot change later).
                zones: zones ? ["1", "2", "3"] : undefined,
                tags,
            },
            child,
        );

        const ubuntu = {
            osType: "Linux",
            osSKU: "Ubuntu",
            type: "VirtualMachineScaleSets",
            availabilityZones: zones,
        } as const;
        this.managedCluster = new containerservice.ManagedCluster(
            `${name}-aks`,
            {
                resourceGroupName: rgName,
                resourceName: c.name,
                location: a.location,
                dnsPrefix: c.name,
                kubernetesVersion: c.kubernetesVersion,
                enableRBAC: true,
                // Local accounts stay on: the platform's kubeconfig comes from listManagedClusterUserCredentials.
                disableLocalAccounts: false,
                identity: { type: "SystemAssigned" },
                sku: { name: "Base", tier: a.tier },
                // Only the system pool is inline (AKS requires one); the user pool is its own
                // resource so it can change without touching the cluster.
                agentPoolProfiles: [
                    {
                        ...ubuntu,
                        name: "system",
                        mode: "System",
                        count: a.systemPool.count,
                        vmSize: a.systemPool.vmSize,
                        orchestratorVersion: c.kubernetesVersion,
                        // Keeps platform workloads (Longhorn, IRIS) off the system nodes.
                        nodeTaints: ["CriticalAddonsOnly=true:NoSchedule"],
                    },
                ],
                networkProfile: aksNetworkProfile(a),
                apiServerAccessProfile:
                    a.apiServerAuthorizedIpRanges.length > 0
                        ? { authorizedIPRanges: [...a.apiServerAuthorizedIpRanges] }
                        : undefined,
                autoUpgradeProfile: { upgradeChannel: "patch", nodeOSUpgradeChannel: "NodeImage" },
                oidcIssuerProfile: { enabled: true },
                securityProfile: { workloadIdentity: { enabled: true } },
                tags,
            },
            child,
        );

        const np = c.nodePool;
        this.userPool = new containerservice.AgentPool(
            `${name}-user`,
            {
                ...ubuntu,
                resourceGroupName: rgName,
                resourceName: this.managedCluster.name,
                agentPoolName: "user",
                mode: "User",
                vmSize: np.machineType ?? defaultAksVmSize,
                osDiskSizeGB: np.diskSizeGb,
                orchestratorVersion: c.kubernetesVersion,
                enableAutoScaling: true,
                minCount: np.minNodes,
                maxCount: np.maxNodes,
                // At least one node: the system pool is tainted, so add-ons need a user node.
                count: Math.max(np.minNodes, 1),
                nodeLabels: { "iris-platform/pool": "user" },
                // Longhorn replicas need a node to move to before one is drained.
                upgradeSettings: { maxSurge: "1" },
                tags,
            },
            // The autoscaler owns the node count after creation.
            { ...child, ignoreChanges: ["count"] },
        );

        // The cluster identity must read and join the IP (and manage LB rules) in our group.
        const roleAssignment = new authorization.RoleAssignment(
            `${name}-network-contributor`,
            {
                principalId: this.managedCluster.identity.apply((i) => {
                    if (!i?.principalId)
                        throw new pulumi.ResourceError(
                            `AKS cluster ${c.name} has no system-assigned identity`,
                            this,
                        );
                    return i.principalId;
                }),
                principalType: "ServicePrincipal",
                roleDefinitionId: `/subscriptions/${a.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${networkContributorRoleId}`,
                scope: this.resourceGroup.id,
                description: `AKS ${c.name}: use the ingress public IP in this group`,
            },
            child,
        );

        const ip = this.ingressIp.ipAddress.apply((v) => {
            if (!v)
                throw new pulumi.ResourceError(`public IP ${c.name}-ingress has no address`, this);
            return v;
        });
        const ingress: IngressEndpoint = {
            addresses: ip.apply((v) => [v]),
            serviceAnnotations: pulumi
                .all([this.ingressIp.name, rgName])
                .apply(([pip, rg]) => aksIngressAnnotations(pip, rg)),
            // Azure's Standard LB keeps client IPs with externalTrafficPolicy: Local.
            preservesClientIp: true,
        };

        const credentials = containerservice.listManagedClusterUserCredentialsOutput(
            { resourceGroupName: rgName, resourceName: this.managedCluster.name },
            { parent: this, provider },
        );
        const kubeconfig = pulumi.secret(
            credentials.apply((r) => decodeAksKubeconfig(r.kubeconfigs)),
        );
        this.publish(name, {
            helmRegistryConfigPath: args.helmRegistryConfigPath,
            kubeconfig,
            cloud,
            ingress,
            // Add-ons wait for the user pool (their only schedulable nodes).
            providerWaitsFor: [this.userPool],
            // The ingress Service cannot take the IP until the role assignment exists.
            readiness: [this.userPool, roleAssignment],
            outputs: { ingressAddress: ip, clusterId: this.managedCluster.id },
        });
    }
}
