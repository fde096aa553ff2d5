/**
 * Composes the layers in order — cluster → add-ons → IRIS → DNS — creating each
 * only when the stack enables it, and owns every dependency edge between them.
 */
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../config";
import { createCloudProviders, type CloudProviders } from "./cloud";
import { ExistingCluster } from "./cluster/existing";
import type { Cluster } from "./cluster/types";

export interface PlatformArgs {
    /** The validated stack config. */
    readonly config: PlatformConfig;
}

export class Platform extends pulumi.ComponentResource {
    public readonly cluster: Cluster;
    public readonly clouds: CloudProviders;
    /** Admin kubeconfig (secret). */
    public readonly kubeconfig: pulumi.Output<string>;
    /** Public address of the ingress controller, when the cluster reserved one. */
    public readonly ingressAddress: pulumi.Output<string | undefined>;
    /** HTTPS management-portal URL per IRIS instance (`namespace/name` → URL). */
    public readonly portalUrls: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iris-platform:platform:Platform", name, {}, opts);
        const config = args.config;
        const parent = { parent: this };

        this.clouds = createCloudProviders(name, config, parent);
        this.cluster = createCluster(name, config, this.clouds, parent);

        this.kubeconfig = pulumi.secret(this.cluster.kubeconfig);
        this.ingressAddress = this.cluster.ingress
            ? this.cluster.ingress.addresses.apply((a) => a[0])
            : pulumi.output(undefined);
        this.portalUrls = pulumi.output<Record<string, string>>({});
        this.registerOutputs({ kubeconfig: this.kubeconfig, ingressAddress: this.ingressAddress, portalUrls: this.portalUrls });
    }
}

function createCluster(name: string, config: PlatformConfig, _clouds: CloudProviders, opts: pulumi.ComponentResourceOptions): Cluster {
    const c = config.cluster;
    switch (c.provider) {
        case "existing":
            return new ExistingCluster(
                `${name}-cluster`,
                {
                    clusterName: c.name,
                    kubernetesVersion: c.kubernetesVersion,
                    kubeconfig: config.secrets.kubeconfig,
                    kubeconfigPath: c.existing.kubeconfigPath,
                    context: c.existing.context,
                    ingressAddress: c.existing.ingressAddress,
                },
                opts,
            );
        default:
            throw new Error(`iris-platform:cluster.provider: ${c.provider} is not implemented yet`);
    }
}
