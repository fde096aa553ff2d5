/**
 * The cluster layer: one cluster component for `cluster.provider`, and on AWS the kubeadm
 * system add-ons a managed cloud would bring (CNI, cloud controller, autoscaler,
 * metrics-server). Layers above see only the cloud-neutral `Cluster` and `ready`.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { CloudProviders } from "../cloud";
import type { ChartSources } from "../chart-sources";
import { dependsOnOf } from "../providers";
import { ExistingCluster, type ExistingClusterArgs } from "./existing";
import { GkeCluster } from "./gke";
import { AksCluster } from "./aks";
import { AwsCluster } from "./aws";
import { AwsSystemAddons } from "./aws/system-addons";
import type { ClusterCommonArgs } from "./base";
import type { ClusterSettings } from "./settings";
import type { Cluster } from "./types";

export type { Cluster } from "./types";

/** The cluster layer's args (`clusterLayerArgs` builds them from the stack config). */
export interface ClusterLayerArgs extends ClusterCommonArgs {
    /** The validated `cluster` section. */
    readonly settings: ClusterSettings;
    /** `cluster.provider: existing`: how to reach it (the kubeconfig secret or file). */
    readonly existing?: Omit<ExistingClusterArgs, keyof ClusterCommonArgs>;
    /** Where the AWS system add-ons' charts come from. */
    readonly charts: ChartSources;
}

/** What the layers above get. */
export interface ClusterLayer {
    /** The cluster the layers above deploy into (kubeconfig, cloud context, ingress endpoint). */
    readonly cluster: Cluster;
    /** The cluster ready for workloads: the API server answering and, on AWS, a pod network and initialised nodes. */
    readonly ready: pulumi.Resource[];
    /** Every component of the layer (the destroy guard depends on them). */
    readonly parts: pulumi.Resource[];
}

/**
 * The cluster (`<name>-cluster`) and, on AWS, its system add-ons (`<name>-kubeadm-addons`),
 * both children of `opts.parent`.
 */
export function createCluster(
    name: string,
    args: ClusterLayerArgs,
    clouds: CloudProviders,
    opts: pulumi.ComponentResourceOptions,
): ClusterLayer {
    const c = args.settings;
    const n = `${name}-cluster`;
    // Private OCI chart sources log in through this file (components/chart-login.ts).
    const common: ClusterCommonArgs = { helmRegistryConfigPath: args.helmRegistryConfigPath };
    switch (c.provider) {
        case "existing": {
            if (!args.existing) throw new Error("internal: an existing cluster without its access");
            const cluster = new ExistingCluster(n, { ...args.existing, ...common }, opts);
            return { cluster, ready: cluster.readiness, parts: [cluster] };
        }
        case "gke": {
            const provider = required(clouds.gcp);
            const cluster = new GkeCluster(n, { cluster: c, ...common }, { ...opts, provider });
            return { cluster, ready: cluster.readiness, parts: [cluster] };
        }
        case "aks": {
            const provider = required(clouds.azure);
            const cluster = new AksCluster(n, { cluster: c, ...common }, { ...opts, provider });
            return { cluster, ready: cluster.readiness, parts: [cluster] };
        }
        case "aws": {
            const provider = required(clouds.aws);
            const cluster = new AwsCluster(n, { config: c, ...common }, { ...opts, provider });
            // Composed here from the AWS cluster's own facts; its URN parent stays `opts.parent`.
            const addons = new AwsSystemAddons(
                `${name}-kubeadm-addons`,
                { cluster, charts: args.charts },
                {
                    ...opts,
                    provider: cluster.k8sProvider,
                    dependsOn: [...dependsOnOf(opts), ...cluster.readiness],
                },
            );
            return {
                cluster,
                ready: [...cluster.readiness, ...addons.ready],
                parts: [cluster, addons],
            };
        }
        default:
            throw new Error(
                `iris-platform:cluster.provider: ${(c as { provider: string }).provider} is not implemented yet`,
            );
    }
}

/** The cloud provider the platform must have built for this cluster. */
function required<T>(provider: T | undefined): T {
    if (!provider) throw new Error("internal: no provider was created for the cluster's cloud");
    return provider;
}
