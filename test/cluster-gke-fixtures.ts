/**
 * Builds the GkeCluster component under mocks from dev- and prod-like config.
 */
import { parseConfig } from "../config";
import { createCloudProviders } from "../components/platform/clouds";
import { GkeCluster, type GkeConfig } from "../components/cluster/gke";
import { runProgram, type Recording } from "./mocks";

export const T = {
    network: "gcp:compute/network:Network",
    subnet: "gcp:compute/subnetwork:Subnetwork",
    router: "gcp:compute/router:Router",
    nat: "gcp:compute/routerNat:RouterNat",
    firewall: "gcp:compute/firewall:Firewall",
    address: "gcp:compute/address:Address",
    cluster: "gcp:container/cluster:Cluster",
    nodePool: "gcp:container/nodePool:NodePool",
    k8s: "pulumi:providers:kubernetes",
};

export const dev = {
    provider: "gke",
    name: "iris-dev",
    gke: { project: "dev-project", region: "europe-west1" },
};
export const prod = {
    provider: "gke",
    name: "iris-prod",
    kubernetesVersion: "1.34",
    nodePool: { machineType: "n2-standard-8", minNodes: 3, maxNodes: 9, diskSizeGb: 200 },
    gke: {
        project: "prod-project",
        region: "europe-west1",
        zones: ["europe-west1-b", "europe-west1-c", "europe-west1-d"],
        releaseChannel: "STABLE",
        privateNodes: true,
        masterAuthorizedNetworks: ["203.0.113.0/24"],
        deletionProtection: true,
        diskType: "pd-ssd",
    },
};

/** Builds the component the way Platform does: parsed config, explicit provider. */
export async function build(
    cluster: Record<string, unknown>,
): Promise<{ gke: GkeCluster; recording: Recording }> {
    const { result, recording } = await runProgram(() => {
        const config = parseConfig({ cluster });
        const clouds = createCloudProviders("t", config, {});
        if (!clouds.gcp) throw new Error("no gcp provider");
        return new GkeCluster(
            "t-cluster",
            { cluster: config.cluster as GkeConfig },
            { provider: clouds.gcp },
        );
    });
    return { gke: result, recording };
}

export { one } from "./mocks";
