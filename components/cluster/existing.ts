/**
 * Bring-your-own cluster: kind, k3d, minikube or an on-prem kubeadm cluster,
 * reached through a kubeconfig given as a secret or as a file path + context.
 */
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { ClusterComponent, type ClusterCommonArgs } from "./base";

export interface ExistingClusterArgs extends ClusterCommonArgs {
    /** Name used for the platform's resources and outputs. */
    readonly clusterName: string;
    /** Kubernetes minor the cluster runs (informational: add-ons pick images by it). */
    readonly kubernetesVersion: string;
    /** Kubeconfig content (a Pulumi secret). Exactly one of this and `kubeconfigPath`. */
    readonly kubeconfig?: pulumi.Output<string>;
    /** Path to a kubeconfig file, read when the program runs. */
    readonly kubeconfigPath?: string;
    /** Context to use inside the kubeconfig; its current context when absent. */
    readonly context?: string;
    /** Address the cluster's load balancer (MetalLB, on-prem) gives the ingress Service. */
    readonly ingressAddress?: string;
}

export class ExistingCluster extends ClusterComponent {
    constructor(name: string, args: ExistingClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iris-platform:cluster:ExistingCluster", name, args, opts);
        const address = args.ingressAddress ? pulumi.output(args.ingressAddress) : undefined;
        this.publish(name, {
            helmRegistryConfigPath: args.helmRegistryConfigPath,
            kubeconfig: args.kubeconfig ?? readKubeconfig(args.kubeconfigPath),
            context: args.context,
            cloud: { cloud: "none" },
            ingress: address && {
                addresses: address.apply((a) => [a]),
                loadBalancerIP: address,
                serviceAnnotations: pulumi.output<Record<string, string>>({}),
                preservesClientIp: true,
            },
            readiness: [],
        });
    }
}

function readKubeconfig(path: string | undefined): string {
    if (!path)
        throw new Error(
            "iris-platform:cluster.existing.kubeconfigPath: no kubeconfig given (set it or the `kubeconfig` secret)",
        );
    const resolved = path.startsWith("~/") ? `${process.env.HOME ?? ""}${path.slice(1)}` : path;
    try {
        return fs.readFileSync(resolved, "utf8");
    } catch (err) {
        throw new Error(
            `iris-platform:cluster.existing.kubeconfigPath: cannot read ${JSON.stringify(path)}: ${(err as Error).message}`,
            { cause: err },
        );
    }
}
