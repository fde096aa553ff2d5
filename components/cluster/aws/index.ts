/**
 * A kubeadm cluster on EC2, fully declarative: VPC, security groups, PKI and
 * bootstrap secrets in SSM, an NLB-fronted control plane (1 or 3 nodes), an
 * autoscaling worker group, Elastic IPs for the ingress, and an admin
 * kubeconfig signed by the program's CA. The Kubernetes provider waits until
 * the API server answers `/readyz`.
 */
import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import * as ssm from "@pulumi/aws/ssm";
import type { Provider as AwsProvider } from "@pulumi/aws/provider";
import { Provider as TlsProvider } from "@pulumi/tls/provider";
import { Provider as RandomProvider } from "@pulumi/random/provider";
import type { AwsSettings } from "../settings";
import { node as nodePins } from "../../../versions";
import type { CloudContext, IngressEndpoint } from "../types";
import type { KubeadmFacts } from "./kubeadm-facts";
import { ClusterComponent, type ClusterCommonArgs } from "../base";
import { childOptions, providerFor } from "../../providers";
import { createNetwork } from "./network";
import { createSecurityGroups } from "./security";
import { createPki, ssmPrefix } from "./pki";
import {
    cloudControllerStatements,
    clusterAutoscalerStatements,
    createNodeRole,
    nodeStatements,
    ssmReadStatement,
} from "./iam";
import { createControlPlane } from "./control-plane";
import { createWorkers } from "./workers";
import { renderKubeconfig } from "./kubeconfig";
import { ApiServerReady, DynamicProvider } from "./readyz";

/** The `cluster` config section of an AWS stack. */
export type AwsClusterConfig = AwsSettings;

export interface AwsClusterArgs extends ClusterCommonArgs {
    /** The validated `cluster` section (provider `aws`). */
    readonly config: AwsClusterConfig;
}

/** Service annotations for the ingress controller's NLB (cloud-provider-aws, not the AWS Load Balancer Controller). */
export function ingressServiceAnnotations(
    allocationIds: string[],
    subnetIds: string[],
): Record<string, string> {
    if (allocationIds.length !== subnetIds.length)
        throw new Error("one Elastic IP per public subnet is required by the cloud controller");
    return {
        "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
        "service.beta.kubernetes.io/aws-load-balancer-eip-allocations": allocationIds.join(","),
        "service.beta.kubernetes.io/aws-load-balancer-subnets": subnetIds.join(","),
    };
}

export class AwsCluster extends ClusterComponent {
    /** This cloud always reserves an address for the ingress controller. */
    declare public readonly ingress: IngressEndpoint;
    /** What its system add-ons need (components/cluster/index.ts installs them). */
    public readonly kubeadm: KubeadmFacts;
    /** The API load balancer's DNS name. */
    public readonly apiEndpoint: pulumi.Output<string>;
    /** The worker Auto Scaling Group's name. */
    public readonly workerGroupName: pulumi.Output<string>;

    constructor(name: string, args: AwsClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super(
            "iris-platform:cluster:AwsCluster",
            name,
            { clusterName: args.config.name, kubernetesVersion: args.config.kubernetesVersion },
            opts,
        );
        const c = args.config;
        const a = c.aws;
        const provider = providerFor<AwsProvider>(this, "aws");
        const child = childOptions(this, opts, { provider: "aws" });
        const cloud: CloudContext = { cloud: "aws", provider, region: a.region };

        const net = createNetwork(
            name,
            {
                clusterName: c.name,
                vpcCidr: a.vpcCidr,
                zones: a.availabilityZones,
                natGateways: a.natGateways,
            },
            child,
        );
        const sgs = createSecurityGroups(
            name,
            {
                clusterName: c.name,
                vpcId: net.vpc.id,
                rules: {
                    adminCidrs: a.adminCidrs,
                    publicCidrs: net.publicCidrs,
                    natGatewayCount: net.natGateways.length,
                },
                natPublicIps: net.natGateways.map((n) => n.publicIp),
            },
            child,
        );
        // The PKI's tls/random resources need their own explicit providers (no defaults in these stacks).
        const own = childOptions(this, opts);
        const tls = new TlsProvider(`${name}-tls`, {}, own);
        const random = new RandomProvider(`${name}-random`, {}, own);
        const pki = createPki(name, c.name, { ...own, aws: provider, tls, random });

        const cpRole = createNodeRole(
            `${name}-cp`,
            {
                clusterName: c.name,
                statements: [
                    ...cloudControllerStatements(c.name),
                    ...clusterAutoscalerStatements(c.name),
                    ...nodeStatements(),
                    ssmReadStatement(pki.controlPlaneParams.map((p) => p.arn)),
                ],
            },
            child,
        );
        const workerRole = createNodeRole(
            `${name}-worker`,
            {
                clusterName: c.name,
                statements: [...nodeStatements(), ssmReadStatement([pki.tokenParam.arn])],
            },
            child,
        );

        const ami = a.amiId
            ? pulumi.output(a.amiId)
            : ssm.getParameterOutput(
                  { name: nodePins.ubuntuAmiParameter },
                  { parent: this, provider },
              ).value;
        // kubeadm clusters are upgraded by kubeadm, control plane first. Workers built
        // from a newer config minor could not join the older API server, and the ASG's
        // rolling refresh would still terminate the old workers with their Longhorn
        // replicas. So nodes take the minor the cluster was built with, kept in state
        // by this parameter, until an upgrade replaces it (docs/aws.md "Upgrading Kubernetes").
        const minorPin = new ssm.Parameter(
            `${name}-kubernetes-minor`,
            {
                name: `${ssmPrefix(c.name)}/kubernetes-minor`,
                type: "String",
                insecureValue: c.kubernetesVersion,
                description:
                    "Kubernetes minor the nodes install; replaced only by the documented upgrade",
            },
            { ...child, ignoreChanges: ["insecureValue"] },
        );
        const kubernetesMinor = minorPin.insecureValue.apply((built) => {
            if (built !== c.kubernetesVersion) {
                pulumi.log.warn(
                    `iris-platform:cluster.kubernetesVersion is ${c.kubernetesVersion} but this cluster runs ${built}: nodes stay on ${built} ` +
                        `until the control plane is upgraded with kubeadm and the pin is replaced (docs/aws.md, "Upgrading Kubernetes")`,
                    this,
                );
            }
            return built;
        });
        const bootstrap = {
            kubernetesMinor,
            containerdVersion: nodePins.containerd,
            region: a.region,
            ssmPrefix: ssmPrefix(c.name),
        };

        const cp = createControlPlane(
            name,
            {
                clusterName: c.name,
                count: a.controlPlane.count,
                instanceType: a.controlPlane.instanceType,
                rootVolumeGb: a.rootVolumeGb,
                ami,
                vpcId: net.vpc.id,
                publicSubnetIds: net.publicSubnets.map((s) => s.id),
                privateSubnetIds: net.privateSubnets.map((s) => s.id),
                lbSecurityGroupId: sgs.apiLb.id,
                nodeSecurityGroupIds: [sgs.controlPlane.id, sgs.nodes.id],
                instanceProfileName: cpRole.instanceProfile.name,
                podCidr: a.podCidr,
                serviceCidr: a.serviceCidr,
                discoveryHash: pki.discoveryHash,
                bootstrap,
                bootstrapDependencies: [...pki.controlPlaneParams, ...cpRole.policies],
            },
            child,
        );
        this.apiEndpoint = cp.endpoint;

        const pool = c.nodePool;
        const workers = createWorkers(
            name,
            {
                clusterName: c.name,
                // Required for AWS by config/cluster.ts; the fallback only satisfies the type.
                instanceType: pool.machineType ?? "m6i.xlarge",
                diskSizeGb: pool.diskSizeGb,
                minNodes: pool.minNodes,
                maxNodes: pool.maxNodes,
                desiredNodes: pool.desiredNodes ?? pool.minNodes,
                ami,
                privateSubnetIds: net.privateSubnets.map((s) => s.id),
                securityGroupIds: [sgs.nodes.id],
                instanceProfileArn: workerRole.instanceProfile.arn,
                endpoint: cp.endpoint,
                discoveryHash: pki.discoveryHash,
                bootstrap,
                // Workers wait for the control plane anyway; starting them after it keeps their wait short.
                dependencies: [pki.tokenParam, ...workerRole.policies, ...cp.instances],
            },
            child,
        );
        this.workerGroupName = workers.group.name;

        // Ingress: one EIP per public subnet, reserved before any Service exists, so DNS can point at it now.
        const eips = a.availabilityZones.map(
            (zone) =>
                new ec2.Eip(
                    `${name}-ingress-${zone}`,
                    { domain: "vpc", tags: { Name: `${c.name}-ingress-${zone}` } },
                    child,
                ),
        );
        const ingress: IngressEndpoint = {
            addresses: pulumi.all(eips.map((e) => e.publicIp)),
            serviceAnnotations: pulumi
                .all([
                    pulumi.all(eips.map((e) => e.allocationId)),
                    pulumi.all(net.publicSubnets.map((s) => s.id)),
                ])
                .apply(([ids, subnets]) => ingressServiceAnnotations(ids, subnets)),
            // NLB instance targets keep the client address (with externalTrafficPolicy: Local).
            preservesClientIp: true,
        };

        const apiServerUrl = pulumi.interpolate`https://${cp.endpoint}:6443`;
        // 20 minutes: the NLB, then a cold node installing packages, then kubeadm init.
        // Stacks disable every default provider, dynamic resources' included.
        const dynamicProvider = new DynamicProvider(`${name}-dynamic`, own);
        const readyz = new ApiServerReady(
            `${name}-readyz`,
            { url: apiServerUrl, caCertPem: pki.caCertPem, timeoutSeconds: 1200 },
            { ...childOptions(this, opts, { after: cp.ready }), provider: dynamicProvider },
        );
        const kubeconfig = pulumi.secret(
            pulumi
                .all([apiServerUrl, pki.caCertPem, pki.adminCertPem, pki.adminKeyPem])
                .apply(([server, ca, cert, key]) =>
                    renderKubeconfig({
                        clusterName: c.name,
                        server,
                        caCertPem: ca,
                        clientCertPem: cert,
                        clientKeyPem: key,
                    }),
                ),
        );
        this.kubeadm = {
            podCidr: a.podCidr,
            serviceCidr: a.serviceCidr,
            region: a.region,
            apiServerUrl,
            caCertPem: pki.caCertPem,
            nodeCidrs: pulumi.output(net.privateCidrs),
        };
        this.publish(name, {
            helmRegistryConfigPath: args.helmRegistryConfigPath,
            kubeconfig,
            cloud,
            ingress,
            // Nothing Kubernetes happens before the API server answers.
            providerWaitsFor: [readyz],
            readiness: [readyz],
            outputs: { apiEndpoint: this.apiEndpoint, ingressAddresses: ingress.addresses },
        });
    }
}
