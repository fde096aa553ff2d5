/**
 * Workers: a launch template and one Auto Scaling Group over the private
 * subnets. cluster-autoscaler owns the size after creation (desiredCapacity is
 * ignored), finds the group by its tags, and a launch-template change rolls the
 * group with an instance refresh.
 */
import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import * as autoscaling from "@pulumi/aws/autoscaling";
import { renderUserData, type NodeBootstrap } from "./cloudinit";
import { renderJoinConfig } from "./kubeadm-config";
import { metadataOptions as controlPlaneMetadataOptions } from "./control-plane";

/**
 * Workers keep IMDS one hop away: only host processes (kubelet, the bootstrap's
 * AWS CLI) need the instance role there, and the AWS components that run in pods
 * are pinned to the control plane. So no pod on a worker can use the role to read
 * the join token from SSM.
 */
export const workerMetadataOptions = {
    ...controlPlaneMetadataOptions,
    httpPutResponseHopLimit: 1,
} as const;

export interface WorkersArgs {
    /** Cluster name: the ASG's `Name`, cloud controller and cluster-autoscaler discovery tags. */
    readonly clusterName: string;
    /** EC2 instance type of the workers. */
    readonly instanceType: string;
    /** Root volume size of each worker, GiB (gp3, encrypted). */
    readonly diskSizeGb: number;
    /** Auto Scaling Group minimum size. */
    readonly minNodes: number;
    /** Auto Scaling Group maximum size (cluster-autoscaler's ceiling). */
    readonly maxNodes: number;
    /** Initial size only: cluster-autoscaler owns it afterwards (`desiredCapacity` changes are ignored). */
    readonly desiredNodes: number;
    /** AMI in the launch template; a change rolls the group with an instance refresh. */
    readonly ami: pulumi.Input<string>;
    /** Private subnets the Auto Scaling Group spans. */
    readonly privateSubnetIds: pulumi.Input<string>[];
    /** Security groups of the workers (the all-nodes group). */
    readonly securityGroupIds: pulumi.Input<string>[];
    /** Instance profile of the worker role (reads the join token from SSM). */
    readonly instanceProfileArn: pulumi.Input<string>;
    /** API load balancer DNS name the workers join through. */
    readonly endpoint: pulumi.Input<string>;
    /** `sha256:<hex>` of the cluster CA's public key, pinned by `kubeadm join`. */
    readonly discoveryHash: pulumi.Input<string>;
    /** Bootstrap facts except role/index/endpoint. */
    readonly bootstrap: NodeBootstrap;
    /** Resources the Auto Scaling Group waits for: the token parameter, the role's policies and the control plane. */
    readonly dependencies: pulumi.Resource[];
}

/** ASG tags (pure): cloud controller ownership and cluster-autoscaler auto-discovery. */
export function workerTags(clusterName: string): Record<string, string> {
    return {
        Name: `${clusterName}-worker`,
        [`kubernetes.io/cluster/${clusterName}`]: "owned",
        "k8s.io/cluster-autoscaler/enabled": "true",
        [`k8s.io/cluster-autoscaler/${clusterName}`]: "owned",
        "iris-platform/role": "worker",
    };
}

export interface Workers {
    readonly launchTemplate: ec2.LaunchTemplate;
    readonly group: autoscaling.Group;
}

export function createWorkers(
    name: string,
    a: WorkersArgs,
    opts: pulumi.CustomResourceOptions,
): Workers {
    const userData = pulumi
        .all([a.endpoint, a.discoveryHash, a.bootstrap.kubernetesMinor])
        .apply(([ep, hash, minor]) =>
            Buffer.from(
                renderUserData(
                    { ...a.bootstrap, kubernetesMinor: minor, role: "worker", endpoint: ep },
                    { join: renderJoinConfig({ endpoint: ep, caCertHash: hash }, "worker") },
                ),
            ).toString("base64"),
        );
    const tags = workerTags(a.clusterName);
    const launchTemplate = new ec2.LaunchTemplate(
        `${name}-workers`,
        {
            imageId: a.ami,
            instanceType: a.instanceType,
            iamInstanceProfile: { arn: a.instanceProfileArn },
            vpcSecurityGroupIds: a.securityGroupIds,
            userData,
            metadataOptions: workerMetadataOptions,
            blockDeviceMappings: [
                // Canonical's Ubuntu AMIs boot from /dev/sda1.
                {
                    deviceName: "/dev/sda1",
                    ebs: {
                        volumeType: "gp3",
                        volumeSize: a.diskSizeGb,
                        encrypted: "true",
                        deleteOnTermination: "true",
                    },
                },
            ],
            tagSpecifications: [
                { resourceType: "instance", tags },
                { resourceType: "volume", tags: { Name: `${a.clusterName}-worker` } },
            ],
            updateDefaultVersion: true,
        },
        opts,
    );
    const group = new autoscaling.Group(
        `${name}-workers`,
        {
            vpcZoneIdentifiers: a.privateSubnetIds,
            minSize: a.minNodes,
            maxSize: a.maxNodes,
            desiredCapacity: a.desiredNodes,
            launchTemplate: {
                id: launchTemplate.id,
                version: launchTemplate.latestVersion.apply(String),
            },
            healthCheckType: "EC2",
            tags: Object.entries(tags).map(([key, value]) => ({
                key,
                value,
                propagateAtLaunch: true,
            })),
            // One node at a time, launching its replacement first, with time for Longhorn to
            // rebuild replicas before the next (the refresh does not drain: see docs/aws.md).
            instanceRefresh: {
                strategy: "Rolling",
                preferences: {
                    minHealthyPercentage: 100,
                    maxHealthyPercentage: 110,
                    instanceWarmup: "600",
                    skipMatching: true,
                },
            },
        },
        {
            ...opts,
            dependsOn: a.dependencies,
            // cluster-autoscaler changes the size; `pulumi up` must not reset it.
            ignoreChanges: ["desiredCapacity"],
        },
    );
    return { launchTemplate, group };
}
