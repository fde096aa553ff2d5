/**
 * Shared fixtures for the Longhorn tests: minimal cluster config per cloud, a
 * fake `Cluster` with explicit providers (so the tests do not depend on the
 * cluster components), and a runner that builds the Longhorn layer from config.
 */
import * as pulumi from "@pulumi/pulumi";
import { Provider as K8sProvider } from "@pulumi/kubernetes/provider";
import { Provider as GcpProvider } from "@pulumi/gcp/provider";
import { Provider as AzureProvider } from "@pulumi/azure-native/provider";
import { Provider as AwsProvider } from "@pulumi/aws/provider";
import { parseConfig, type Secrets } from "../config";
import type { Cluster, CloudContext } from "../components/cluster/types";
import { createStorage } from "../components/addons";
import { addonsLayerArgs } from "../components/addons/args";
import { upstreamCharts } from "../components/chart-sources";
import { runProgram, type Recording } from "./mocks";
import { stackFiles } from "./build-stack";
import { loadStackFile, testSecrets } from "./stack-files";

export type Cloud = "gke" | "aks" | "aws" | "existing";

/** Minimal valid `cluster` config per cloud, with enough nodes for three Longhorn replicas. */
export const clusterConfigs: Record<Cloud, Record<string, unknown>> = {
    gke: {
        provider: "gke",
        name: "iris-dev",
        nodePool: { minNodes: 3 },
        gke: { project: "my-project", region: "europe-west1" },
    },
    aks: {
        provider: "aks",
        name: "iris-aks",
        nodePool: { minNodes: 3 },
        aks: { subscriptionId: "00000000-0000-0000-0000-000000000000", location: "westeurope" },
    },
    aws: {
        provider: "aws",
        name: "iris-prod",
        nodePool: { machineType: "m6i.xlarge", minNodes: 3 },
        aws: {
            region: "eu-west-1",
            availabilityZones: ["eu-west-1a", "eu-west-1b"],
            adminCidrs: ["203.0.113.0/24"],
        },
    },
    existing: { provider: "existing", name: "iris-local" },
};

export const T = {
    release: "kubernetes:helm.sh/v3:Release",
    storageClass: "kubernetes:storage.k8s.io/v1:StorageClass",
    secret: "kubernetes:core/v1:Secret",
    namespace: "kubernetes:core/v1:Namespace",
    recurringJob: "kubernetes:longhorn.io/v1beta2:RecurringJob",
    snapshotClass: "kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotClass",
    store: "iris-platform:addons:BackupStore",
    longhorn: "iris-platform:addons:Longhorn",
} as const;

/** A cluster as the cloud components would hand it over: explicit k8s provider and cloud context. */
export function fakeCluster(cloud: Cloud, clusterName: string): Cluster {
    const k8sProvider = new K8sProvider("fake-k8s", {
        kubeconfig: pulumi.secret("apiVersion: v1\nkind: Config\n"),
    });
    let ctx: CloudContext;
    if (cloud === "gke")
        ctx = {
            cloud: "gcp",
            provider: new GcpProvider("fake-gcp", { project: "my-project" }),
            project: "my-project",
            region: "europe-west1",
        };
    else if (cloud === "aks") {
        ctx = {
            cloud: "azure",
            provider: new AzureProvider("fake-azure", {
                subscriptionId: "00000000-0000-0000-0000-000000000000",
            }),
            subscriptionId: "00000000-0000-0000-0000-000000000000",
            location: "westeurope",
            resourceGroupName: pulumi.output("iris-aks-rg"),
        };
    } else if (cloud === "aws")
        ctx = {
            cloud: "aws",
            provider: new AwsProvider("fake-aws", { region: "eu-west-1" }),
            region: "eu-west-1",
        };
    else ctx = { cloud: "none" };
    return {
        clusterName,
        kubernetesVersion: "1.35",
        k8sProvider,
        kubeconfig: pulumi.secret("kc"),
        cloud: ctx,
        readiness: [],
    };
}

/** A custom resource standing for the cluster's readiness (a component with no children would add no edge). */
class ClusterReady extends pulumi.CustomResource {
    constructor(name: string) {
        super("test:cluster:Ready", name, {});
    }
}

/** Builds the Longhorn layer for a cloud with the given `longhorn` config. */
export async function buildLonghorn(
    cloud: Cloud,
    longhorn: Record<string, unknown>,
    secrets: Secrets = {},
): Promise<Recording> {
    const extra: Secrets =
        cloud === "existing" ? { kubeconfig: pulumi.secret("kc"), ...secrets } : secrets;
    return buildFromPlain({ cluster: clusterConfigs[cloud], longhorn }, extra);
}

/** Builds the Longhorn layer from a stack file's real config (with its quickstart secrets) on a fake cluster. */
export async function buildLonghornFromStack(stack: string): Promise<Recording> {
    const { file, secrets } = stackFiles[stack];
    const loaded = loadStackFile(file, secrets);
    const plain: Record<string, unknown> = {};
    const given: Record<string, pulumi.Output<string>> = {};
    for (const [key, text] of Object.entries(loaded.config)) {
        if (!key.startsWith("iris-platform:")) continue;
        const short = key.slice("iris-platform:".length);
        if (loaded.secretConfigKeys.includes(key))
            given[short] = pulumi.secret(testSecrets[short] ?? text);
        else plain[short] = JSON.parse(text) as unknown;
    }
    return buildFromPlain(plain, given);
}

async function buildFromPlain(
    plain: Record<string, unknown>,
    secrets: Secrets,
): Promise<Recording> {
    const { recording } = await runProgram(() => {
        const config = parseConfig(plain, secrets);
        const cluster = fakeCluster(config.cluster.provider, config.cluster.name);
        // Stands for the cluster's readiness resources (kubeadm: API server up, CNI installed).
        const ready = new ClusterReady("cluster-ready");
        return createStorage(
            { name: "iris", cluster, clusterReady: [ready], opts: {} },
            addonsLayerArgs(config, upstreamCharts),
        );
    });
    return recording;
}

export { one } from "./mocks";

/** The Longhorn chart values the tests read. */
export type Values = {
    persistence: Record<string, unknown>;
    defaultSettings: Record<string, unknown>;
    defaultBackupStore?: Record<string, unknown>;
};
