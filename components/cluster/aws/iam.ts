/**
 * Instance roles. Control-plane nodes run aws-cloud-controller-manager and
 * cluster-autoscaler (both pinned to the control plane by the add-ons), so they
 * carry those permissions; workers only get what a kubelet needs. Both get
 * SSM Session Manager (instead of SSH) and read access to exactly the SSM
 * parameters their bootstrap uses.
 */
import * as pulumi from "@pulumi/pulumi";
import * as iam from "@pulumi/aws/iam";

export type Statement = {
    Sid: string;
    Effect: "Allow";
    Action: string[];
    Resource: pulumi.Input<string> | pulumi.Input<string>[];
    Condition?: Record<string, Record<string, string>>;
};

/** SSM Session Manager and the SSM agent (replaces SSH). */
export const ssmManagedInstancePolicyArn = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore";

/**
 * aws-cloud-controller-manager (cloud-provider-aws docs/prerequisites.md, control
 * plane policy) without the EBS volume and route actions: volumes are Longhorn's,
 * and routes are off (`--configure-cloud-routes=false`, Calico VXLAN). Mutations
 * of instances and security groups require the cluster tag; ELB actions cannot
 * be conditioned reliably because the controller tags what it creates after creating it.
 */
export function cloudControllerStatements(clusterName: string): Statement[] {
    const clusterTag = `kubernetes.io/cluster/${clusterName}`;
    return [
        {
            Sid: "CcmDescribe",
            Effect: "Allow",
            Action: [
                "autoscaling:DescribeAutoScalingGroups",
                "autoscaling:DescribeLaunchConfigurations",
                "autoscaling:DescribeTags",
                "ec2:DescribeAvailabilityZones",
                "ec2:DescribeInstances",
                "ec2:DescribeInstanceTopology",
                "ec2:DescribeRegions",
                "ec2:DescribeRouteTables",
                "ec2:DescribeSecurityGroups",
                "ec2:DescribeSubnets",
                "ec2:DescribeVpcs",
                "elasticloadbalancing:DescribeListeners",
                "elasticloadbalancing:DescribeLoadBalancerAttributes",
                "elasticloadbalancing:DescribeLoadBalancerPolicies",
                "elasticloadbalancing:DescribeLoadBalancers",
                "elasticloadbalancing:DescribeTargetGroups",
                "elasticloadbalancing:DescribeTargetHealth",
                "kms:DescribeKey",
            ],
            Resource: "*",
        },
        {
            Sid: "CcmClusterTaggedEc2",
            Effect: "Allow",
            Action: [
                "ec2:AuthorizeSecurityGroupIngress",
                "ec2:RevokeSecurityGroupIngress",
                "ec2:DeleteSecurityGroup",
                "ec2:ModifyInstanceAttribute",
            ],
            Resource: "*",
            Condition: { StringLike: { [`ec2:ResourceTag/${clusterTag}`]: "*" } },
        },
        {
            Sid: "CcmSecurityGroupsForLoadBalancers",
            Effect: "Allow",
            Action: ["ec2:CreateSecurityGroup", "ec2:CreateTags"],
            Resource: ["arn:aws:ec2:*:*:security-group/*", "arn:aws:ec2:*:*:vpc/*"],
        },
        {
            Sid: "CcmLoadBalancers",
            Effect: "Allow",
            Action: [
                "elasticloadbalancing:AddTags",
                "elasticloadbalancing:ApplySecurityGroupsToLoadBalancer",
                "elasticloadbalancing:AttachLoadBalancerToSubnets",
                "elasticloadbalancing:ConfigureHealthCheck",
                "elasticloadbalancing:CreateListener",
                "elasticloadbalancing:CreateLoadBalancer",
                "elasticloadbalancing:CreateLoadBalancerListeners",
                "elasticloadbalancing:CreateLoadBalancerPolicy",
                "elasticloadbalancing:CreateTargetGroup",
                "elasticloadbalancing:DeleteListener",
                "elasticloadbalancing:DeleteLoadBalancer",
                "elasticloadbalancing:DeleteLoadBalancerListeners",
                "elasticloadbalancing:DeleteTargetGroup",
                "elasticloadbalancing:DeregisterInstancesFromLoadBalancer",
                "elasticloadbalancing:DeregisterTargets",
                "elasticloadbalancing:DetachLoadBalancerFromSubnets",
                "elasticloadbalancing:ModifyListener",
                "elasticloadbalancing:ModifyLoadBalancerAttributes",
                "elasticloadbalancing:ModifyTargetGroup",
                "elasticloadbalancing:ModifyTargetGroupAttributes",
                "elasticloadbalancing:RegisterInstancesWithLoadBalancer",
                "elasticloadbalancing:RegisterTargets",
                "elasticloadbalancing:SetLoadBalancerPoliciesForBackendServer",
                "elasticloadbalancing:SetLoadBalancerPoliciesOfListener",
                // NLBs with the ingress EIPs: the load balancer associates them.
                "ec2:DescribeAddresses",
            ],
            Resource: "*",
        },
        {
            Sid: "CcmServiceLinkedRole",
            Effect: "Allow",
            Action: ["iam:CreateServiceLinkedRole"],
            Resource: "*",
            Condition: {
                StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" },
            },
        },
    ];
}

/** cluster-autoscaler: may only resize and terminate in ASGs tagged for this cluster. */
export function clusterAutoscalerStatements(clusterName: string): Statement[] {
    return [
        {
            Sid: "AutoscalerDescribe",
            Effect: "Allow",
            Action: [
                "autoscaling:DescribeAutoScalingGroups",
                "autoscaling:DescribeAutoScalingInstances",
                "autoscaling:DescribeLaunchConfigurations",
                "autoscaling:DescribeScalingActivities",
                "autoscaling:DescribeTags",
                "ec2:DescribeImages",
                "ec2:DescribeInstanceTypes",
                "ec2:DescribeLaunchTemplateVersions",
                "ec2:GetInstanceTypesFromInstanceRequirements",
            ],
            Resource: "*",
        },
        {
            Sid: "AutoscalerOwnGroupsOnly",
            Effect: "Allow",
            Action: [
                "autoscaling:SetDesiredCapacity",
                "autoscaling:TerminateInstanceInAutoScalingGroup",
            ],
            Resource: "*",
            Condition: {
                StringEquals: {
                    [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: "owned",
                },
            },
        },
    ];
}

/** What a kubelet with `--cloud-provider=external` needs (cloud-provider-aws node policy, ECR pulls). */
export function nodeStatements(): Statement[] {
    return [
        {
            Sid: "NodeDescribe",
            Effect: "Allow",
            Action: [
                "ec2:DescribeInstances",
                "ec2:DescribeRegions",
                "ecr:GetAuthorizationToken",
                "ecr:BatchCheckLayerAvailability",
                "ecr:GetDownloadUrlForLayer",
                "ecr:GetRepositoryPolicy",
                "ecr:DescribeRepositories",
                "ecr:ListImages",
                "ecr:BatchGetImage",
            ],
            Resource: "*",
        },
    ];
}

/** Read exactly these parameters (SecureStrings use the account's aws/ssm key, usable through SSM). */
export function ssmReadStatement(parameterArns: pulumi.Input<string>[]): Statement {
    return {
        Sid: "BootstrapParameters",
        Effect: "Allow",
        Action: ["ssm:GetParameter"],
        Resource: parameterArns,
    };
}

export interface NodeRole {
    readonly role: iam.Role;
    readonly instanceProfile: iam.InstanceProfile;
    /** The role's policies: instances wait for them, or their first SSM reads fail. */
    readonly policies: pulumi.Resource[];
}

export function createNodeRole(
    name: string,
    args: { clusterName: string; statements: Statement[] },
    opts: pulumi.CustomResourceOptions,
): NodeRole {
    const role = new iam.Role(
        `${name}-role`,
        {
            description: `iris-platform ${args.clusterName} nodes`,
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { Service: "ec2.amazonaws.com" },
                        Action: "sts:AssumeRole",
                    },
                ],
            }),
        },
        opts,
    );
    const core = new iam.RolePolicyAttachment(
        `${name}-ssm-core`,
        { role: role.name, policyArn: ssmManagedInstancePolicyArn },
        opts,
    );
    const inline = new iam.RolePolicy(
        `${name}-policy`,
        {
            role: role.id,
            policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: args.statements }),
        },
        opts,
    );
    const instanceProfile = new iam.InstanceProfile(`${name}-profile`, { role: role.name }, opts);
    return { role, instanceProfile, policies: [core, inline] };
}
