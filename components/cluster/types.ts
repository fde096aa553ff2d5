/**
 * The contract every cluster component (GKE, AKS, AWS kubeadm, existing)
 * fulfils. Layers above it only ever see this interface; it is cloud-neutral:
 * what only one cloud's cluster has (the AWS kubeadm facts) stays on that
 * cluster's own component.
 */
import * as pulumi from "@pulumi/pulumi";
// Submodule imports keep type-checking fast (the top-level packages are huge).
import type { Provider as K8sProvider } from "@pulumi/kubernetes/provider";
import type { Provider as GcpProvider } from "@pulumi/gcp/provider";
import type { Provider as AzureProvider } from "@pulumi/azure-native/provider";
import type { Provider as AwsProvider } from "@pulumi/aws/provider";

export type CloudName = "gcp" | "azure" | "aws" | "none";

/** Cloud facts the add-ons need (backup stores, DNS, identities). */
export type CloudContext =
    | {
          readonly cloud: "gcp";
          readonly provider: GcpProvider;
          readonly project: string;
          readonly region: string;
      }
    | {
          readonly cloud: "azure";
          readonly provider: AzureProvider;
          readonly subscriptionId: string;
          readonly location: string;
          /** The stack's own resource group (not the AKS node resource group). */
          readonly resourceGroupName: pulumi.Output<string>;
      }
    | { readonly cloud: "aws"; readonly provider: AwsProvider; readonly region: string }
    | { readonly cloud: "none" };

/** The address reserved for the ingress controller before its Service exists. */
export interface IngressEndpoint {
    /** The public IPv4 address (or addresses) DNS records point at. */
    readonly addresses: pulumi.Output<string[]>;
    /** `spec.loadBalancerIP`-style address for the controller Service, where the cloud uses one. */
    readonly loadBalancerIP?: pulumi.Output<string>;
    /** Annotations the controller Service must carry to take the address. */
    readonly serviceAnnotations: pulumi.Output<Record<string, string>>;
    /** Whether `externalTrafficPolicy: Local` (client IP preserved) works on this cloud's LB. */
    readonly preservesClientIp: boolean;
}

export interface Cluster {
    /** Cluster name (also used in cloud tags). */
    readonly clusterName: string;
    /** Kubernetes minor, e.g. "1.35". */
    readonly kubernetesVersion: string;
    /** Explicit provider every Kubernetes resource of the platform uses. */
    readonly k8sProvider: K8sProvider;
    /** Admin kubeconfig; always a Pulumi secret. */
    readonly kubeconfig: pulumi.Output<string>;
    /** The context of `kubeconfig` to use; its current context when absent. */
    readonly context?: string;
    /** Cloud facts and provider; `none` for an existing cluster. */
    readonly cloud: CloudContext;
    /** Reserved ingress address, if the cluster layer reserved one. */
    readonly ingress?: IngressEndpoint;
    /**
     * Resources the platform add-ons must wait for beyond the provider itself
     * (e.g. a self-managed control plane answering on /readyz).
     */
    readonly readiness: pulumi.Resource[];
}
