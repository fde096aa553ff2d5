/** Mock answers for azure invokes and cloud-computed azure resource outputs. */
import type { InvokeHandler, StateHandler } from "../mocks";

/** Fake values Azure would compute; tests compare against these. */
export const fake = {
    /** The static public IP of the ingress. */
    ingressAddress: "198.51.100.20",
    /** principalId of the AKS cluster's system-assigned identity. */
    clusterPrincipalId: "11111111-2222-3333-4444-555555555555",
    /** Marker inside the kubeconfig listManagedClusterUserCredentials returns. */
    kubeconfigMarker: "FAKE-AKS-USER-TOKEN",
} as const;

/** The kubeconfig AKS would hand out for cluster `resourceName`. */
export function fakeAksKubeconfig(resourceName: string): string {
    return [
        "apiVersion: v1",
        "kind: Config",
        `clusters: [{name: ${resourceName}, cluster: {server: "https://${resourceName}.hcp.westeurope.azmk8s.io:443"}}]`,
        `users: [{name: clusterUser, user: {token: ${fake.kubeconfigMarker}}}]`,
        `contexts: [{name: ${resourceName}, context: {cluster: ${resourceName}, user: clusterUser}}]`,
        `current-context: ${resourceName}`,
        "",
    ].join("\n");
}

export const invokes: Record<string, InvokeHandler> = {
    // Longhorn backup store: the storage account's access keys.
    "azure-native:storage:listStorageAccountKeys": () => ({
        keys: [
            { keyName: "key1", value: "FAKE-AZURE-STORAGE-KEY-1", permissions: "FULL" },
            { keyName: "key2", value: "FAKE-AZURE-STORAGE-KEY-2", permissions: "FULL" },
        ],
    }),
    "azure-native:containerservice:listManagedClusterUserCredentials": (inputs) => ({
        kubeconfigs: [
            {
                name: "clusterUser",
                value: Buffer.from(fakeAksKubeconfig(String(inputs.resourceName))).toString(
                    "base64",
                ),
            },
        ],
    }),
};

export const states: Record<string, StateHandler> = {
    "azure-native:resources:ResourceGroup": (name, inputs) => ({
        name: (inputs.resourceGroupName as string | undefined) ?? name,
    }),
    "azure-native:network:PublicIPAddress": (name, inputs) => ({
        name: (inputs.publicIpAddressName as string | undefined) ?? name,
        ipAddress: fake.ingressAddress,
    }),
    "azure-native:containerservice:ManagedCluster": (name, inputs) => ({
        name: (inputs.resourceName as string | undefined) ?? name,
        fqdn: `${String(inputs.dnsPrefix)}.hcp.westeurope.azmk8s.io`,
        identity: {
            ...(inputs.identity as object),
            principalId: fake.clusterPrincipalId,
            tenantId: "00000000-0000-0000-0000-00000000aaaa",
        },
    }),
    "azure-native:storage:StorageAccount": (name, inputs) => ({
        name: (inputs.accountName as string | undefined) ?? name,
    }),
    "azure-native:storage:BlobContainer": (name, inputs) => ({
        name: (inputs.containerName as string | undefined) ?? name,
    }),
    "azure-native:containerservice:AgentPool": (name, inputs) => ({
        name: (inputs.agentPoolName as string | undefined) ?? name,
    }),
};
