/**
 * What every cluster component (GKE, AKS, AWS kubeadm, existing) shares, declared
 * once: the `Cluster` fields, the admin kubeconfig kept secret, and the explicit
 * Kubernetes provider every layer above uses.
 */
import * as pulumi from "@pulumi/pulumi";
import { Provider as K8sProvider } from "@pulumi/kubernetes/provider";
import { renamedComponent } from "../aliases";
import { childOptions } from "../providers";
import type { CloudContext, Cluster, IngressEndpoint } from "./types";

/** Args every cluster component takes besides its own. */
export interface ClusterCommonArgs {
    /**
     * Helm's registry credentials file for private `oci://` charts (chart-login.ts), set as the
     * Kubernetes provider's `helmReleaseSettings.registryConfigPath`; absent: Helm's default file.
     */
    readonly helmRegistryConfigPath?: pulumi.Input<string>;
}

/** What a cluster hands over once its resources are declared. */
export interface ClusterParts extends ClusterCommonArgs {
    /** Admin kubeconfig (made a secret here). */
    readonly kubeconfig: pulumi.Input<string>;
    /** Kubeconfig context; its current context when absent. */
    readonly context?: string;
    /** What the Kubernetes provider waits for (nodes to schedule on, the API server answering). */
    readonly providerWaitsFor?: pulumi.Resource[];
    readonly cloud: CloudContext;
    readonly ingress?: IngressEndpoint;
    readonly readiness: pulumi.Resource[];
    /** Further outputs to register besides the kubeconfig. */
    readonly outputs?: Record<string, unknown>;
}

export abstract class ClusterComponent extends pulumi.ComponentResource implements Cluster {
    public readonly clusterName: string;
    public readonly kubernetesVersion: string;
    // Set once by `publish`, at the end of the subclass constructor.
    declare public readonly k8sProvider: K8sProvider;
    declare public readonly kubeconfig: pulumi.Output<string>;
    declare public readonly context?: string;
    declare public readonly cloud: CloudContext;
    declare public readonly ingress?: IngressEndpoint;
    declare public readonly readiness: pulumi.Resource[];
    /** The component's own options: `publish` hands their `dependsOn` to the provider. */
    private readonly componentOpts?: pulumi.ComponentResourceOptions;

    /** `type` also takes an alias from each of its former tokens (`formerTypes`). */
    protected constructor(
        type: string,
        name: string,
        identity: Pick<Cluster, "clusterName" | "kubernetesVersion">,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super(...renamedComponent(type, name, opts));
        this.clusterName = identity.clusterName;
        this.kubernetesVersion = identity.kubernetesVersion;
        this.componentOpts = opts;
    }

    /** Sets the `Cluster` fields, creates the `<name>-k8s` provider and registers the outputs. */
    protected publish(name: string, parts: ClusterParts): void {
        const kubeconfig = pulumi.secret(parts.kubeconfig);
        const k8sProvider = new K8sProvider(
            `${name}-k8s`,
            {
                kubeconfig,
                context: parts.context,
                // The provider builds every Release's OCI registry client from this file only
                // (pulumi-kubernetes provider/pkg/provider/provider.go, helm_release.go @f47bc2d6f199).
                ...(parts.helmRegistryConfigPath
                    ? { helmReleaseSettings: { registryConfigPath: parts.helmRegistryConfigPath } }
                    : {}),
            },
            childOptions(this, this.componentOpts, { after: parts.providerWaitsFor }),
        );
        const fields: Omit<Cluster, "clusterName" | "kubernetesVersion"> = {
            k8sProvider,
            kubeconfig,
            context: parts.context,
            cloud: parts.cloud,
            ingress: parts.ingress,
            readiness: parts.readiness,
        };
        Object.assign(this, fields);
        this.registerOutputs({ kubeconfig, ...parts.outputs });
    }
}
