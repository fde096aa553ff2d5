/**
 * Builds the AwsCluster component under mocks from parsed config.
 */
import { Provider as AwsProvider } from "@pulumi/aws/provider";
import { parseConfig } from "../config";
import { AwsCluster, type AwsClusterConfig } from "../components/cluster/aws";
import { runProgram, type Recording } from "./mocks";

export function clusterConfig(
    aws: Record<string, unknown>,
    nodePool: Record<string, unknown> = {},
): AwsClusterConfig {
    const c = parseConfig({
        cluster: {
            provider: "aws",
            name: "iris-t",
            nodePool: { machineType: "m6i.xlarge", minNodes: 2, maxNodes: 6, ...nodePool },
            aws: {
                region: "eu-west-1",
                availabilityZones: ["eu-west-1a", "eu-west-1b"],
                adminCidrs: ["203.0.113.0/24"],
                ...aws,
            },
        },
    }).cluster;
    if (c.provider !== "aws") throw new Error("not aws");
    return c;
}

export async function build(
    config: AwsClusterConfig,
): Promise<{ r: Recording; cluster: AwsCluster }> {
    const { result, recording } = await runProgram(() => {
        const provider = new AwsProvider("aws", { region: config.aws.region });
        return new AwsCluster("c", { config }, { provider });
    });
    return { r: recording, cluster: result };
}

export const T = {
    instance: "aws:ec2/instance:Instance",
    nat: "aws:ec2/natGateway:NatGateway",
    subnet: "aws:ec2/subnet:Subnet",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    param: "aws:ssm/parameter:Parameter",
    policy: "aws:iam/rolePolicy:RolePolicy",
    asg: "aws:autoscaling/group:Group",
    lt: "aws:ec2/launchTemplate:LaunchTemplate",
};

export function userDataOf(r: Recording): string[] {
    return [
        ...r.ofType(T.instance).map((i) => i.inputs.userData as string),
        ...r
            .ofType(T.lt)
            .map((lt) => Buffer.from(lt.inputs.userData as string, "base64").toString("utf8")),
    ];
}

/** A dev-sized cluster (pinned AMI) and an HA one (3 control-plane nodes, 3 zones, NAT per zone). */
export async function buildDevAndHa(): Promise<{
    dev: Recording;
    ha: Recording;
    haCluster: AwsCluster;
}> {
    // dev pins its AMI; HA looks it up from Canonical's SSM parameter.
    const { r: dev } = await build(clusterConfig({ amiId: "ami-0123456789abcdef0" }));
    const { r: ha, cluster: haCluster } = await build(
        clusterConfig(
            {
                availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
                natGateways: "perAz",
                controlPlane: { count: 3 },
            },
            { desiredNodes: 3 },
        ),
    );
    return { dev, ha, haCluster };
}
