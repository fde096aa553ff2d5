/**
 * Control plane: 1 or 3 instances spread over the private subnets behind an
 * internet-facing NLB on 6443 (its DNS name is kubeadm's controlPlaneEndpoint).
 *
 * Client IP preservation is OFF on the API target group: with it on, a
 * control-plane node whose kubelet reaches the endpoint and is load-balanced
 * back to itself sees its own address as source and the connection hangs
 * (NLB hairpinning). Off, the nodes see the NLB's address, so admission by
 * client address happens on the NLB's own security group (security.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import * as lb from "@pulumi/aws/lb";
import { renderUserData, type NodeBootstrap } from "./cloudinit";
import { renderInitConfig, renderJoinConfig } from "./kubeadm-config";

/** Settings shared by control-plane instances and the worker launch template. */
export const metadataOptions = {
    httpEndpoint: "enabled",
    httpTokens: "required",
    // 2 hops: pods (the cloud controller, the autoscaler) reach IMDS through the node's network namespace.
    httpPutResponseHopLimit: 2,
} as const;

export interface ControlPlaneArgs {
    /** Cluster name: kubeadm's `clusterName`, the `Name` tags and the `kubernetes.io/cluster/<name>` ownership tag. */
    readonly clusterName: string;
    /** Control-plane instances (etcd members): 1, or 3 for a quorum that survives a zone. */
    readonly count: 1 | 3;
    /** EC2 instance type of the control-plane nodes. */
    readonly instanceType: string;
    /** Root volume size of each control-plane node, GiB (gp3, encrypted). */
    readonly rootVolumeGb: number;
    /** AMI the control-plane nodes boot; a later change is ignored (roll nodes with `--replace`). */
    readonly ami: pulumi.Input<string>;
    /** VPC of the API target group. */
    readonly vpcId: pulumi.Input<string>;
    /** Public subnets the internet-facing API load balancer spans. */
    readonly publicSubnetIds: pulumi.Input<string>[];
    /** Private subnets the control-plane nodes are spread over, round-robin by index. */
    readonly privateSubnetIds: pulumi.Input<string>[];
    /** Security group of the API load balancer (who may reach 6443). */
    readonly lbSecurityGroupId: pulumi.Input<string>;
    /** Security groups every control-plane instance joins (control-plane and all-nodes groups). */
    readonly nodeSecurityGroupIds: pulumi.Input<string>[];
    /** Instance profile of the control-plane role (cloud controller, autoscaler, SSM reads of the PKI). */
    readonly instanceProfileName: pulumi.Input<string>;
    /** Pod CIDR written into kubeadm's ClusterConfiguration (`networking.podSubnet`). */
    readonly podCidr: string;
    /** Service CIDR written into kubeadm's ClusterConfiguration (`networking.serviceSubnet`). */
    readonly serviceCidr: string;
    /** `sha256:<hex>` of the cluster CA's public key, pinned by `kubeadm join` (discovery-token-ca-cert-hash). */
    readonly discoveryHash: pulumi.Input<string>;
    /** Bootstrap facts except role/index/endpoint. */
    readonly bootstrap: NodeBootstrap;
    /** SSM parameters and IAM policies that must exist before a node boots. */
    readonly bootstrapDependencies: pulumi.Resource[];
}

export interface ControlPlane {
    readonly endpoint: pulumi.Output<string>;
    readonly loadBalancer: lb.LoadBalancer;
    readonly listener: lb.Listener;
    readonly instances: ec2.Instance[];
    /** What "the control plane exists" means for the readiness waiter. */
    readonly ready: pulumi.Resource[];
}

export function createControlPlane(
    name: string,
    a: ControlPlaneArgs,
    opts: pulumi.CustomResourceOptions,
): ControlPlane {
    const loadBalancer = new lb.LoadBalancer(
        `${name}-api`,
        {
            loadBalancerType: "network",
            internal: false,
            subnets: a.publicSubnetIds,
            securityGroups: [a.lbSecurityGroupId],
            // One control-plane node must be reachable through every zone's LB node.
            enableCrossZoneLoadBalancing: true,
            tags: { Name: `${a.clusterName}-api` },
        },
        opts,
    );
    const targetGroup = new lb.TargetGroup(
        `${name}-api`,
        {
            vpcId: a.vpcId,
            port: 6443,
            protocol: "TCP",
            targetType: "instance",
            preserveClientIp: "false",
            deregistrationDelay: 30,
            // /readyz is readable anonymously (system:public-info-viewer).
            healthCheck: {
                protocol: "HTTPS",
                port: "6443",
                path: "/readyz",
                interval: 10,
                healthyThreshold: 2,
                unhealthyThreshold: 2,
            },
            tags: { Name: `${a.clusterName}-api` },
        },
        opts,
    );
    const listener = new lb.Listener(
        `${name}-api`,
        {
            loadBalancerArn: loadBalancer.arn,
            port: 6443,
            protocol: "TCP",
            defaultActions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
        },
        opts,
    );
    const endpoint = loadBalancer.dnsName;

    const files = pulumi.all([endpoint, a.discoveryHash]).apply(([ep, hash]) => ({
        init: renderInitConfig({
            clusterName: a.clusterName,
            endpoint: ep,
            podCidr: a.podCidr,
            serviceCidr: a.serviceCidr,
        }),
        join: renderJoinConfig({ endpoint: ep, caCertHash: hash }, "control-plane"),
    }));

    const instances: ec2.Instance[] = [];
    const attachments: lb.TargetGroupAttachment[] = [];
    for (let i = 0; i < a.count; i++) {
        const userData = pulumi
            .all([endpoint, files, a.bootstrap.kubernetesMinor])
            .apply(([ep, f, minor]) =>
                renderUserData(
                    {
                        ...a.bootstrap,
                        kubernetesMinor: minor,
                        role: "control-plane",
                        controlPlaneIndex: i,
                        endpoint: ep,
                    },
                    f,
                ),
            );
        const instance = new ec2.Instance(
            `${name}-cp-${i}`,
            {
                ami: a.ami,
                instanceType: a.instanceType,
                // Round-robin over the zones: 3 nodes land in 3 zones (2-zone VPCs get 2+1).
                subnetId: a.privateSubnetIds[i % a.privateSubnetIds.length],
                vpcSecurityGroupIds: a.nodeSecurityGroupIds,
                iamInstanceProfile: a.instanceProfileName,
                userData,
                metadataOptions,
                rootBlockDevice: {
                    volumeType: "gp3",
                    volumeSize: a.rootVolumeGb,
                    encrypted: true,
                    deleteOnTermination: true,
                },
                tags: {
                    Name: `${a.clusterName}-cp-${i}`,
                    [`kubernetes.io/cluster/${a.clusterName}`]: "owned",
                    "iris-platform/role": "control-plane",
                },
            },
            {
                ...opts,
                dependsOn: a.bootstrapDependencies,
                // A new AMI or bootstrap text must not silently replace (or reboot) an etcd member:
                // roll control-plane nodes one at a time with `pulumi up --replace` (docs/aws.md).
                ignoreChanges: ["ami", "userData"],
            },
        );
        instances.push(instance);
        attachments.push(
            new lb.TargetGroupAttachment(
                `${name}-api-${i}`,
                { targetGroupArn: targetGroup.arn, targetId: instance.id, port: 6443 },
                opts,
            ),
        );
    }
    return {
        endpoint,
        loadBalancer,
        listener,
        instances,
        ready: [listener, ...instances, ...attachments],
    };
}
