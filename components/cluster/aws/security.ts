/**
 * Security groups, least privilege. Three groups:
 * - `apiLb`: the API server's NLB. Admission to 6443 happens HERE (admin CIDRs
 *   and the NAT gateways' IPs, through which nodes reach the public endpoint).
 * - `controlPlane`: API from the NLB's group (client IP preservation is off on
 *   that target group, see control-plane.ts), etcd and controller ports only
 *   among control-plane nodes.
 * - `nodes` (every node, control plane included): kubelet, CNI encapsulation,
 *   Typha, NodePorts from the public subnets. It is the ONE group tagged
 *   `kubernetes.io/cluster/<name>`: the cloud controller adds Service load
 *   balancer rules to that group and refuses instances with several tagged ones.
 * No rule opens 22: nodes are reached with SSM Session Manager.
 */
import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import * as vpc from "@pulumi/aws/vpc";

export type GroupRole = "apiLb" | "controlPlane" | "nodes";

export type RuleSource =
    { readonly cidr: string } | { readonly group: GroupRole } | { readonly natGateway: number };

export interface RuleSpec {
    /** Resource name suffix, unique per cluster. */
    readonly id: string;
    readonly group: GroupRole;
    readonly description: string;
    readonly protocol: "tcp" | "udp";
    readonly fromPort: number;
    readonly toPort: number;
    readonly source: RuleSource;
}

export interface RuleInputs {
    readonly adminCidrs: readonly string[];
    /** Public subnets: where the NLBs of Services live (health checks, proxied traffic). */
    readonly publicCidrs: readonly string[];
    readonly natGatewayCount: number;
}

/** Every ingress rule of the cluster (pure; tested for what must never be open). */
export function ingressRules(i: RuleInputs): RuleSpec[] {
    const tcp = (
        id: string,
        group: GroupRole,
        description: string,
        fromPort: number,
        toPort: number,
        source: RuleSource,
    ): RuleSpec => ({
        id,
        group,
        description,
        protocol: "tcp",
        fromPort,
        toPort,
        source,
    });
    return [
        ...i.adminCidrs.map((cidr, n) =>
            tcp(`api-admin-${n}`, "apiLb", `Kubernetes API from admin range ${cidr}`, 6443, 6443, {
                cidr,
            }),
        ),
        ...[...Array(i.natGatewayCount).keys()].map((n) =>
            tcp(
                `api-nat-${n}`,
                "apiLb",
                "Kubernetes API from the nodes (egress through NAT)",
                6443,
                6443,
                { natGateway: n },
            ),
        ),
        tcp("api-from-lb", "controlPlane", "Kubernetes API from its load balancer", 6443, 6443, {
            group: "apiLb",
        }),
        tcp(
            "api-from-nodes",
            "controlPlane",
            "Kubernetes API from nodes and pods (the kubernetes Service)",
            6443,
            6443,
            { group: "nodes" },
        ),
        tcp("etcd", "controlPlane", "etcd client and peer, control plane only", 2379, 2380, {
            group: "controlPlane",
        }),
        tcp(
            "controller-manager",
            "controlPlane",
            "kube-controller-manager, control plane only",
            10257,
            10257,
            { group: "controlPlane" },
        ),
        tcp("scheduler", "controlPlane", "kube-scheduler, control plane only", 10259, 10259, {
            group: "controlPlane",
        }),
        // The API server (control plane) and metrics-server (any node, SNATed to its node) call kubelets.
        tcp("kubelet", "nodes", "kubelet API from cluster nodes", 10250, 10250, { group: "nodes" }),
        // All pod-to-pod traffic (Longhorn's replicas and managers included) is VXLAN between node addresses.
        {
            id: "vxlan",
            group: "nodes",
            description: "Calico VXLAN (pod network, Longhorn traffic)",
            protocol: "udp",
            fromPort: 4789,
            toPort: 4789,
            source: { group: "nodes" },
        },
        tcp("typha", "nodes", "Calico Typha (host network)", 5473, 5473, { group: "nodes" }),
        ...i.publicCidrs.map((cidr, n) =>
            tcp(
                `nodeports-lb-${n}`,
                "nodes",
                `NodePorts from load balancers in ${cidr}`,
                30000,
                32767,
                { cidr },
            ),
        ),
    ];
}

export interface SecurityGroupsArgs {
    /** Cluster name: the groups' `Name` tags and the nodes group's `kubernetes.io/cluster/<name>` tag. */
    readonly clusterName: string;
    /** VPC the security groups belong to. */
    readonly vpcId: pulumi.Input<string>;
    /** Who may reach what: admin CIDRs, public subnets and NAT gateway count the ingress rules are built from. */
    readonly rules: RuleInputs;
    /** NAT gateways' public IPs, by index. */
    readonly natPublicIps: pulumi.Input<string>[];
}

export type SecurityGroups = Record<GroupRole, ec2.SecurityGroup>;

export function createSecurityGroups(
    name: string,
    args: SecurityGroupsArgs,
    opts: pulumi.CustomResourceOptions,
): SecurityGroups {
    const group = (role: GroupRole, description: string, tags: Record<string, string> = {}) =>
        new ec2.SecurityGroup(
            `${name}-${role}`,
            // Rules are separate resources; an inline block would fight them on every update.
            {
                vpcId: args.vpcId,
                description,
                revokeRulesOnDelete: true,
                tags: { Name: `${args.clusterName}-${role}`, ...tags },
            },
            opts,
        );
    const groups: SecurityGroups = {
        apiLb: group("apiLb", `${args.clusterName} Kubernetes API load balancer`),
        controlPlane: group("controlPlane", `${args.clusterName} control-plane nodes`),
        nodes: group("nodes", `${args.clusterName} all nodes`, {
            [`kubernetes.io/cluster/${args.clusterName}`]: "owned",
        }),
    };

    for (const rule of ingressRules(args.rules)) {
        const s = rule.source;
        new vpc.SecurityGroupIngressRule(
            `${name}-${rule.id}`,
            {
                securityGroupId: groups[rule.group].id,
                description: rule.description,
                ipProtocol: rule.protocol,
                fromPort: rule.fromPort,
                toPort: rule.toPort,
                cidrIpv4:
                    "cidr" in s
                        ? s.cidr
                        : "natGateway" in s
                          ? pulumi.interpolate`${args.natPublicIps[s.natGateway]}/32`
                          : undefined,
                referencedSecurityGroupId: "group" in s ? groups[s.group].id : undefined,
            },
            opts,
        );
    }
    // The API load balancer only talks to the control plane; nodes need the internet (packages, images, AWS APIs).
    new vpc.SecurityGroupEgressRule(
        `${name}-apiLb-egress`,
        {
            securityGroupId: groups.apiLb.id,
            description: "to the API servers",
            ipProtocol: "tcp",
            fromPort: 6443,
            toPort: 6443,
            referencedSecurityGroupId: groups.controlPlane.id,
        },
        opts,
    );
    for (const role of ["controlPlane", "nodes"] as const) {
        new vpc.SecurityGroupEgressRule(
            `${name}-${role}-egress`,
            {
                securityGroupId: groups[role].id,
                description: "all egress",
                ipProtocol: "-1",
                cidrIpv4: "0.0.0.0/0",
            },
            opts,
        );
    }
    return groups;
}
