/**
 * Hand-made clusters for the networking tests (ingress, cert-manager, DNS), so
 * they do not depend on the GKE/AKS/AWS cluster components: a component with a
 * fake control plane and the Kubernetes provider as children, plus a reserved
 * address created beside it (as the cluster layers are meant to).
 */
import * as pulumi from "@pulumi/pulumi";
import { Provider as K8sProvider } from "@pulumi/kubernetes/provider";
import { Provider as GcpProvider } from "@pulumi/gcp/provider";
import { Provider as AzureProvider } from "@pulumi/azure-native/provider";
import { Provider as AwsProvider } from "@pulumi/aws/provider";
import type { CloudContext, Cluster, IngressEndpoint } from "../components/cluster/types";
import type { RecordedResource, Recording, StateHandler } from "./mocks";

export const reservedIp = "203.0.113.10";
export const fakeTypes = {
    controlPlane: "test:fake:ControlPlane",
    address: "test:fake:ReservedAddress",
    cluster: "test:fake:Cluster",
};

/** Cloud-computed outputs of the fake resources. */
export const fakeStates: Record<string, StateHandler> = {
    [fakeTypes.controlPlane]: () => ({ kubeconfig: "apiVersion: v1\nkind: Config\n# fake\n" }),
    [fakeTypes.address]: () => ({ address: reservedIp }),
};

class ControlPlane extends pulumi.CustomResource {
    declare public readonly kubeconfig: pulumi.Output<string>;
    constructor(name: string, opts?: pulumi.CustomResourceOptions) {
        super(fakeTypes.controlPlane, name, { kubeconfig: undefined }, opts);
    }
}

/** Stands in for a GCP regional address / Azure public IP / AWS EIP. */
export class ReservedAddress extends pulumi.CustomResource {
    declare public readonly address: pulumi.Output<string>;
    constructor(name: string, opts?: pulumi.CustomResourceOptions) {
        super(fakeTypes.address, name, { address: undefined }, opts);
    }
}

export type FakeCloud = "gcp" | "azure" | "aws";

class FakeCluster extends pulumi.ComponentResource implements Cluster {
    public readonly clusterName = "fake";
    public readonly kubernetesVersion = "1.35";
    public readonly k8sProvider: K8sProvider;
    public readonly kubeconfig: pulumi.Output<string>;
    public readonly cloud: CloudContext;
    public readonly ingress: IngressEndpoint;
    public readonly readiness: pulumi.Resource[];

    constructor(name: string, cloud: CloudContext, ingress: IngressEndpoint) {
        super(fakeTypes.cluster, name, {});
        const controlPlane = new ControlPlane(`${name}-control-plane`, { parent: this });
        this.kubeconfig = pulumi.secret(controlPlane.kubeconfig);
        this.k8sProvider = new K8sProvider(
            `${name}-k8s`,
            { kubeconfig: this.kubeconfig },
            { parent: this },
        );
        this.readiness = [controlPlane];
        this.cloud = cloud;
        this.ingress = ingress;
        this.registerOutputs({});
    }
}

/** Per cloud: how its cluster layer hands the reserved address to the ingress controller. */
export function fakeCluster(cloud: FakeCloud): { cluster: Cluster; address: ReservedAddress } {
    const address = new ReservedAddress(`${cloud}-ingress-ip`);
    const addresses = address.address.apply((a) => [a]);
    switch (cloud) {
        case "gcp": {
            const provider = new GcpProvider("gcp", { project: "p", region: "europe-west1" });
            const ctx: CloudContext = { cloud, provider, project: "p", region: "europe-west1" };
            const ingress = {
                addresses,
                loadBalancerIP: address.address,
                serviceAnnotations: pulumi.output<Record<string, string>>({}),
                preservesClientIp: true,
            };
            return { cluster: new FakeCluster("gke", ctx, ingress), address };
        }
        case "azure": {
            const provider = new AzureProvider("azure", {
                subscriptionId: "00000000-0000-0000-0000-000000000000",
                location: "westeurope",
            });
            const ctx: CloudContext = {
                cloud,
                provider,
                subscriptionId: "00000000-0000-0000-0000-000000000000",
                location: "westeurope",
                resourceGroupName: pulumi.output("iris-rg"),
            };
            const serviceAnnotations = pulumi.output<Record<string, string>>({
                "service.beta.kubernetes.io/azure-pip-name": "iris-ingress-ip",
                "service.beta.kubernetes.io/azure-load-balancer-resource-group": "iris-rg",
            });
            return {
                cluster: new FakeCluster("aks", ctx, {
                    addresses,
                    serviceAnnotations,
                    preservesClientIp: true,
                }),
                address,
            };
        }
        case "aws": {
            const provider = new AwsProvider("aws", { region: "eu-west-1" });
            const ctx: CloudContext = { cloud, provider, region: "eu-west-1" };
            const serviceAnnotations = pulumi.output<Record<string, string>>({
                "service.beta.kubernetes.io/aws-load-balancer-type": "external",
                "service.beta.kubernetes.io/aws-load-balancer-eip-allocations":
                    "eipalloc-1,eipalloc-2",
            });
            // Modelled without client-IP preservation to cover the `Cluster` traffic policy.
            return {
                cluster: new FakeCluster("aws", ctx, {
                    addresses,
                    serviceAnnotations,
                    preservesClientIp: false,
                }),
                address,
            };
        }
    }
}

/** Resource types the cluster layers reserve ingress addresses with (created beside, not after, the cluster). */
export const reservedAddressTypes = [
    "gcp:compute/address:Address",
    "azure-native:network:PublicIPAddress",
    "aws:ec2/eip:Eip",
    fakeTypes.address,
];

/**
 * What `a` waits for inside `cluster`'s subtree (`Recording.waitsFor`), treating
 * reserved addresses as leaves: a record fed by an address that lives in the cluster component still
 * does not wait for the cluster itself. Returns `type name` of each.
 */
export function clusterWaits(
    r: Recording,
    a: RecordedResource,
    cluster: RecordedResource,
): { addresses: string[]; others: string[] } {
    const inCluster = new Set(r.descendantsOf(cluster.urn).map((x) => x.urn));
    const isAddress = (x: RecordedResource) =>
        inCluster.has(x.urn) && reservedAddressTypes.includes(x.type);
    const waits = r.waitsFor(a, isAddress).filter((x) => inCluster.has(x.urn));
    const label = (x: RecordedResource) => `${x.type} ${x.name}`;
    return {
        addresses: waits.filter(isAddress).map(label),
        others: waits.filter((x) => !isAddress(x)).map(label),
    };
}
