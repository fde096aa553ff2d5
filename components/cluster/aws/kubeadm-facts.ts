/** What the AWS kubeadm cluster hands its system add-ons (AWS only: not part of `Cluster`). */
import type * as pulumi from "@pulumi/pulumi";

/** Facts the kubeadm cluster exposes for its system add-ons. */
export interface KubeadmFacts {
    /** Pod CIDR given to kubeadm; the CNI's IP pool must match it. */
    readonly podCidr: string;
    /** Service CIDR given to kubeadm (ClusterIP range). */
    readonly serviceCidr: string;
    /** AWS region (cloud controller, cluster-autoscaler). */
    readonly region: string;
    /** `https://<api endpoint>:6443`. */
    readonly apiServerUrl: pulumi.Output<string>;
    /** Cluster CA certificate (PEM). */
    readonly caCertPem: pulumi.Output<string>;
    /** Private subnets' CIDRs (kubelet-serving CSR checks, NodePort rules). */
    readonly nodeCidrs: pulumi.Output<string[]>;
}
