/**
 * Builds the AksCluster component under mocks from dev- and prod-like config.
 */
import { parseConfig } from "../config";
import { createCloudProviders } from "../components/platform/clouds";
import { AksCluster, type AksConfig } from "../components/cluster/aks";
import { runProgram, type Recording } from "./mocks";

export const T = {
    rg: "azure-native:resources:ResourceGroup",
    ip: "azure-native:network:PublicIPAddress",
    cluster: "azure-native:containerservice:ManagedCluster",
    pool: "azure-native:containerservice:AgentPool",
    role: "azure-native:authorization:RoleAssignment",
    k8s: "pulumi:providers:kubernetes",
};
export const subscriptionId = "0b1c2d3e-4f50-4617-8283-94a5b6c7d8e9";

export const dev = {
    provider: "aks",
    name: "iris-dev",
    aks: { subscriptionId, location: "westeurope" },
};
export const prod = {
    provider: "aks",
    name: "iris-prod",
    kubernetesVersion: "1.34",
    nodePool: { machineType: "Standard_E8s_v5", minNodes: 3, maxNodes: 9, diskSizeGb: 256 },
    aks: {
        subscriptionId,
        location: "westeurope",
        resourceGroupName: "iris-prod-platform",
        zones: ["1", "2", "3"],
        networkPlugin: "kubenet",
        apiServerAuthorizedIpRanges: ["203.0.113.0/24"],
        systemPool: { vmSize: "Standard_D4s_v5", count: 3 },
        tier: "Standard",
    },
};

export async function build(
    cluster: Record<string, unknown>,
): Promise<{ aks: AksCluster; recording: Recording }> {
    const { result, recording } = await runProgram(() => {
        const config = parseConfig({ cluster });
        const clouds = createCloudProviders("t", config, {});
        if (!clouds.azure) throw new Error("no azure provider");
        return new AksCluster(
            "t-cluster",
            { cluster: config.cluster as AksConfig },
            { provider: clouds.azure },
        );
    });
    return { aks: result, recording };
}

export type Profile = Record<string, unknown>;

export { one } from "./mocks";
