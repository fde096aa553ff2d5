/**
 * VPC for a kubeadm cluster: public subnets (NAT, load balancers) and private
 * subnets (every node) in each zone, one NAT gateway or one per zone, and the
 * tags the AWS cloud controller uses to find subnets for Service load balancers.
 */
import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import { planSubnets } from "../../../domain/cidr";

export interface NetworkArgs {
    /** Cluster name: the `kubernetes.io/cluster/<name>` tag. */
    readonly clusterName: string;
    /** VPC CIDR: its first three quarters become the private (node) subnets, the last quarter the public ones (`planSubnets`). */
    readonly vpcCidr: string;
    /** 2 or 3 availability zones. */
    readonly zones: readonly string[];
    /** `single`: one NAT gateway (cheap, one zone's outage cuts egress); `perAz`: one per zone. */
    readonly natGateways: "single" | "perAz";
}

export interface Network {
    readonly vpc: ec2.Vpc;
    readonly publicSubnets: ec2.Subnet[];
    readonly privateSubnets: ec2.Subnet[];
    /** The private subnets' CIDRs (the nodes' addresses). */
    readonly privateCidrs: string[];
    readonly publicCidrs: string[];
    /** NAT gateways; their public IPs are how nodes reach the public API endpoint. */
    readonly natGateways: ec2.NatGateway[];
}

/** Tags of the cluster's subnets, per role (pure: tested directly). */
export function subnetTags(
    clusterName: string,
    role: "public" | "private",
    zone: string,
): Record<string, string> {
    return {
        Name: `${clusterName}-${role}-${zone}`,
        // `shared`: the cloud controller may use the subnet but does not own it.
        [`kubernetes.io/cluster/${clusterName}`]: "shared",
        [role === "public" ? "kubernetes.io/role/elb" : "kubernetes.io/role/internal-elb"]: "1",
    };
}

/** Creates the network as children of `opts.parent`, with `opts.provider`. */
export function createNetwork(
    name: string,
    args: NetworkArgs,
    opts: pulumi.CustomResourceOptions,
): Network {
    const plan = planSubnets(args.vpcCidr, args.zones.length);
    const clusterTag = { [`kubernetes.io/cluster/${args.clusterName}`]: "shared" };

    const vpc = new ec2.Vpc(
        `${name}-vpc`,
        {
            cidrBlock: args.vpcCidr,
            // Node names are private DNS names (the cloud controller requires it).
            enableDnsHostnames: true,
            enableDnsSupport: true,
            tags: { Name: args.clusterName, ...clusterTag },
        },
        opts,
    );
    const igw = new ec2.InternetGateway(
        `${name}-igw`,
        { vpcId: vpc.id, tags: { Name: args.clusterName } },
        opts,
    );

    const publicRt = new ec2.RouteTable(
        `${name}-public-rt`,
        {
            vpcId: vpc.id,
            routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }],
            tags: { Name: `${args.clusterName}-public` },
        },
        opts,
    );

    const publicSubnets = args.zones.map((zone, i) => {
        const subnet = new ec2.Subnet(
            `${name}-public-${zone}`,
            {
                vpcId: vpc.id,
                availabilityZone: zone,
                cidrBlock: plan.public[i],
                // Nothing of ours runs here with a public IP; load balancers bring their own.
                mapPublicIpOnLaunch: false,
                tags: subnetTags(args.clusterName, "public", zone),
            },
            opts,
        );
        new ec2.RouteTableAssociation(
            `${name}-public-${zone}`,
            { subnetId: subnet.id, routeTableId: publicRt.id },
            opts,
        );
        return subnet;
    });

    const natZones = args.natGateways === "perAz" ? args.zones : args.zones.slice(0, 1);
    const natGateways = natZones.map((zone, i) => {
        const eip = new ec2.Eip(
            `${name}-nat-${zone}`,
            { domain: "vpc", tags: { Name: `${args.clusterName}-nat-${zone}` } },
            opts,
        );
        return new ec2.NatGateway(
            `${name}-nat-${zone}`,
            {
                allocationId: eip.id,
                subnetId: publicSubnets[i].id,
                tags: { Name: `${args.clusterName}-${zone}` },
            },
            { ...opts, dependsOn: [igw] },
        );
    });

    const privateSubnets = args.zones.map((zone, i) => {
        const subnet = new ec2.Subnet(
            `${name}-private-${zone}`,
            {
                vpcId: vpc.id,
                availabilityZone: zone,
                cidrBlock: plan.private[i],
                mapPublicIpOnLaunch: false,
                // IP-based hostnames (ip-10-0-1-2.<region>.compute.internal) are the node names kubeadm registers.
                privateDnsHostnameTypeOnLaunch: "ip-name",
                tags: subnetTags(args.clusterName, "private", zone),
            },
            opts,
        );
        // Each zone egresses through its own NAT when there is one, else through the single one.
        const nat = natGateways[Math.min(i, natGateways.length - 1)];
        const rt = new ec2.RouteTable(
            `${name}-private-${zone}`,
            {
                vpcId: vpc.id,
                routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }],
                tags: { Name: `${args.clusterName}-private-${zone}` },
            },
            opts,
        );
        new ec2.RouteTableAssociation(
            `${name}-private-${zone}`,
            { subnetId: subnet.id, routeTableId: rt.id },
            opts,
        );
        return subnet;
    });

    return {
        vpc,
        publicSubnets,
        privateSubnets,
        privateCidrs: plan.private,
        publicCidrs: plan.public,
        natGateways,
    };
}
