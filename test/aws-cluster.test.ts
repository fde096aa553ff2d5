/**
 * The AwsCluster component under mocks: what a dev-sized (1 control-plane node,
 * 2 zones, one NAT) and an HA (3 nodes, 3 zones, NAT per zone) config build,
 * security rules, secrets kept out of user data, IAM scoping, the worker ASG,
 * and the readiness edges the Kubernetes layer relies on.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { Provider as AwsProvider } from "@pulumi/aws/provider";
import { parseConfig } from "../config";
import { AwsCluster, type AwsClusterConfig } from "../components/cluster/aws";
import { isSecretValue, runProgram, valueOf, type RecordedResource, type Recording } from "./mocks";
import { fakeAmiId, fakeCaCertHash, pkiSentinels } from "./fakes/aws";

function clusterConfig(
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

async function build(config: AwsClusterConfig): Promise<{ r: Recording; cluster: AwsCluster }> {
    const { result, recording } = await runProgram(() => {
        const provider = new AwsProvider("aws", { region: config.aws.region });
        return new AwsCluster("c", { config }, { provider });
    });
    return { r: recording, cluster: result };
}

const T = {
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

function userDataOf(r: Recording): string[] {
    return [
        ...r.ofType(T.instance).map((i) => i.inputs.userData as string),
        ...r
            .ofType(T.lt)
            .map((lt) => Buffer.from(lt.inputs.userData as string, "base64").toString("utf8")),
    ];
}

describe("AWS cluster (mocks)", function () {
    let dev: Recording;
    let ha: Recording;
    let haCluster: AwsCluster;
    before(async function () {
        // dev pins its AMI; HA looks it up from Canonical's SSM parameter.
        ({ r: dev } = await build(clusterConfig({ amiId: "ami-0123456789abcdef0" })));
        ({ r: ha, cluster: haCluster } = await build(
            clusterConfig(
                {
                    availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
                    natGateways: "perAz",
                    controlPlane: { count: 3 },
                },
                { desiredNodes: 3 },
            ),
        ));
    });

    it("builds a single control-plane node and one NAT for dev, three nodes in three zones and a NAT per zone for HA", function () {
        assert.strictEqual(dev.ofType(T.instance).length, 1);
        assert.strictEqual(dev.ofType(T.nat).length, 1);
        assert.strictEqual(dev.ofType(T.subnet).length, 4);
        assert.strictEqual(ha.ofType(T.instance).length, 3);
        assert.strictEqual(ha.ofType(T.nat).length, 3);
        const subnets = ha.ofType(T.instance).map((i) => i.inputs.subnetId);
        assert.strictEqual(new Set(subnets).size, 3, "control-plane nodes share a subnet");
        assert.strictEqual(
            ha.ofType("aws:lb/targetGroupAttachment:TargetGroupAttachment").length,
            3,
        );
    });

    it("tags subnets for the cloud controller: cluster tag, elb on public, internal-elb on private", function () {
        for (const s of ha.ofType(T.subnet)) {
            const tags = s.inputs.tags as Record<string, string>;
            assert.strictEqual(tags["kubernetes.io/cluster/iris-t"], "shared");
            const pub = s.name.includes("-public-");
            assert.strictEqual(
                tags[pub ? "kubernetes.io/role/elb" : "kubernetes.io/role/internal-elb"],
                "1",
                s.name,
            );
            assert.strictEqual(s.inputs.mapPublicIpOnLaunch, false);
        }
        const tagged = ha
            .ofType(T.sg)
            .filter(
                (g) => (g.inputs.tags as Record<string, string>)["kubernetes.io/cluster/iris-t"],
            );
        assert.deepStrictEqual(
            tagged.map((g) => g.name),
            ["c-nodes"],
            "exactly one cluster-tagged security group",
        );
    });

    it("runs control-plane nodes on Ubuntu from Canonical's SSM parameter with IMDSv2 (hop limit 2 there, 1 on workers) and encrypted gp3", function () {
        for (const i of ha.ofType(T.instance)) {
            assert.strictEqual(i.inputs.ami, fakeAmiId);
            assert.deepStrictEqual(i.inputs.metadataOptions, {
                httpEndpoint: "enabled",
                httpTokens: "required",
                httpPutResponseHopLimit: 2,
            });
            assert.deepStrictEqual(i.inputs.rootBlockDevice, {
                volumeType: "gp3",
                volumeSize: 50,
                encrypted: true,
                deleteOnTermination: true,
            });
            assert.deepStrictEqual([...i.ignoreChanges].sort(), ["ami", "userData"]);
            assert.strictEqual(
                (i.inputs.tags as Record<string, string>)["kubernetes.io/cluster/iris-t"],
                "owned",
            );
        }
        const lt = ha.ofType(T.lt)[0];
        // Workers: one hop, so pods there cannot borrow the instance role (the AWS components run on the control plane).
        assert.deepStrictEqual(lt.inputs.metadataOptions, {
            httpEndpoint: "enabled",
            httpTokens: "required",
            httpPutResponseHopLimit: 1,
        });
        assert.deepStrictEqual((lt.inputs.blockDeviceMappings as { ebs: unknown }[])[0].ebs, {
            volumeType: "gp3",
            volumeSize: 100,
            encrypted: "true",
            deleteOnTermination: "true",
        });
    });

    it("never opens SSH, etcd or the kubelet to the internet; etcd and controllers only among control-plane nodes", function () {
        const sgName = (id: unknown) => ha.ofType(T.sg).find((g) => `${g.name}-id` === id)?.name;
        const rules = ha.ofType(T.ingress);
        const covers = (rule: RecordedResource, port: number) =>
            (rule.inputs.fromPort as number) <= port && port <= (rule.inputs.toPort as number);
        for (const rule of rules) {
            assert.ok(!covers(rule, 22), `${rule.name} opens 22`);
            for (const port of [2379, 2380, 10250, 10257, 10259]) {
                if (covers(rule, port))
                    assert.strictEqual(
                        rule.inputs.cidrIpv4,
                        undefined,
                        `${rule.name} opens ${port} to a CIDR`,
                    );
            }
            assert.notStrictEqual(
                rule.inputs.cidrIpv4,
                "0.0.0.0/0",
                `${rule.name} is open to the world`,
            );
        }
        const etcd = ha.get(T.ingress, "c-etcd");
        assert.strictEqual(sgName(etcd.inputs.securityGroupId), "c-controlPlane");
        assert.strictEqual(sgName(etcd.inputs.referencedSecurityGroupId), "c-controlPlane");
        const api = rules.filter((x) => covers(x, 6443) && x.inputs.cidrIpv4);
        assert.ok(
            api.every((x) => sgName(x.inputs.securityGroupId) === "c-apiLb"),
            "6443 by address only on the load balancer",
        );
        assert.ok(api.some((x) => x.inputs.cidrIpv4 === "203.0.113.0/24"));
        assert.strictEqual(api.length, 1 + 3, "admin range plus one /32 per NAT gateway");
        const vxlan = ha.get(T.ingress, "c-vxlan");
        assert.deepStrictEqual(
            [
                vxlan.inputs.ipProtocol,
                vxlan.inputs.fromPort,
                sgName(vxlan.inputs.referencedSecurityGroupId),
            ],
            ["udp", 4789, "c-nodes"],
        );
        const nodePorts = rules.filter((x) => covers(x, 30080));
        assert.ok(
            nodePorts.length > 0 &&
                nodePorts.every((x) =>
                    /^10\.0\.(192|208|224)\.0\/20$/.test(String(x.inputs.cidrIpv4)),
                ),
            "NodePorts only from the public subnets",
        );
    });

    it("keeps the token, certificate key and private keys out of user data", function () {
        const token = `${pkiSentinels.tokenId}.${pkiSentinels.tokenSecret}`;
        for (const ud of userDataOf(ha)) {
            for (const secret of [
                token,
                pkiSentinels.tokenSecret,
                pkiSentinels.certificateKey,
                pkiSentinels.privateKey,
                "PRIVATE KEY",
            ]) {
                assert.ok(!ud.includes(secret), `user data contains ${secret}`);
            }
            assert.ok(ud.includes(fakeCaCertHash), "joins pin the CA hash computed in the program");
            assert.ok(ud.includes("/iris-platform/iris-t"));
        }
    });

    it("stores keys, token and certificate key as secret SecureStrings under the cluster's path", function () {
        // Ten PKI/bootstrap parameters plus the (public) Kubernetes minor pin.
        const params = ha.ofType(T.param).filter((p) => p.name !== "c-kubernetes-minor");
        assert.strictEqual(params.length, 10);
        for (const p of params) {
            assert.ok(
                String(p.inputs.name).startsWith("/iris-platform/iris-t/"),
                String(p.inputs.name),
            );
            const secret = /\.key$|token|certificate-key/.test(String(p.inputs.name));
            assert.strictEqual(
                p.inputs.type,
                secret ? "SecureString" : "String",
                String(p.inputs.name),
            );
            if (secret)
                assert.ok(
                    isSecretValue(p.rawInputs.value),
                    `${String(p.inputs.name)} value is not a Pulumi secret`,
                );
        }
        const token = params.find(
            (p) => p.inputs.name === "/iris-platform/iris-t/join/token",
        ) as RecordedResource;
        assert.strictEqual(
            token.inputs.value,
            `${pkiSentinels.tokenId}.${pkiSentinels.tokenSecret}`,
        );
        assert.strictEqual(
            ha.get("random:index/randomBytes:RandomBytes", "c-certificate-key").inputs.length,
            32,
        );
        const tokenParts: [string, string][] = [
            ["random:index/randomString:RandomString", "c-token-id"],
            ["random:index/randomPassword:RandomPassword", "c-token-secret"],
        ];
        for (const [type, n] of tokenParts) {
            const s = ha.get(type, n).inputs;
            assert.deepStrictEqual(
                [s.upper, s.special, s.lower, s.numeric],
                [false, false, true, true],
            );
        }
        // RandomString/RandomId keep their value in the resource id (plain text in the state): secret parts must not use them.
        assert.strictEqual(ha.ofType("random:index/randomId:RandomId").length, 0);
        assert.deepStrictEqual(
            ha.ofType("random:index/randomString:RandomString").map((r) => r.name),
            ["c-token-id"],
        );
    });

    it("lets workers read only the token, and the control plane only its own parameters", function () {
        type Doc = {
            Statement: {
                Sid: string;
                Action: string[];
                Resource: string | string[];
                Condition?: unknown;
            }[];
        };
        const doc = (n: string) => JSON.parse(ha.get(T.policy, n).inputs.policy as string) as Doc;
        const ssmResources = (d: Doc) =>
            d.Statement.filter((s) => s.Action.some((a) => a.startsWith("ssm:"))).flatMap((s) =>
                [s.Resource].flat(),
            );
        assert.deepStrictEqual(ssmResources(doc("c-worker-policy")), [
            "arn:aws:ssm:eu-west-1:123456789012:parameter/iris-platform/iris-t/join/token",
        ]);
        const cp = ssmResources(doc("c-cp-policy"));
        assert.strictEqual(cp.length, 10);
        assert.ok(cp.every((arn) => arn.includes(":parameter/iris-platform/iris-t/")));
        const scale = doc("c-cp-policy").Statement.find((s) =>
            s.Action.includes("autoscaling:SetDesiredCapacity"),
        );
        assert.deepStrictEqual(scale?.Condition, {
            StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/iris-t": "owned" },
        });
        assert.ok(
            !doc("c-worker-policy").Statement.some((s) =>
                s.Action.some(
                    (a) => a.startsWith("autoscaling:") || a.startsWith("elasticloadbalancing:"),
                ),
            ),
        );
        const attachments = ha
            .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
            .map((a) => a.inputs.policyArn);
        assert.deepStrictEqual(attachments, [
            "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
            "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
        ]);
    });

    it("builds the worker ASG for cluster-autoscaler: sizes from config, discovery tags propagated, desired capacity left alone", function () {
        const asg = ha.get(T.asg, "c-workers");
        assert.deepStrictEqual(
            [asg.inputs.minSize, asg.inputs.maxSize, asg.inputs.desiredCapacity],
            [2, 6, 3],
        );
        assert.deepStrictEqual(asg.ignoreChanges, ["desiredCapacity"]);
        const tags = Object.fromEntries(
            (asg.inputs.tags as { key: string; value: string; propagateAtLaunch: boolean }[]).map(
                (t) => [t.key, t],
            ),
        );
        for (const key of [
            "kubernetes.io/cluster/iris-t",
            "k8s.io/cluster-autoscaler/enabled",
            "k8s.io/cluster-autoscaler/iris-t",
        ]) {
            assert.ok(tags[key]?.propagateAtLaunch, `${key} missing or not propagated`);
        }
        assert.strictEqual(tags["kubernetes.io/cluster/iris-t"].value, "owned");
        assert.strictEqual(
            (asg.inputs.instanceRefresh as { strategy: string }).strategy,
            "Rolling",
        );
        const privateSubnets = ha
            .ofType(T.subnet)
            .filter((s) => s.name.includes("-private-"))
            .map((s) => `${s.name}-id`);
        assert.deepStrictEqual(asg.inputs.vpcZoneIdentifiers, privateSubnets);
        assert.strictEqual(
            dev.get(T.asg, "c-workers").inputs.desiredCapacity,
            2,
            "desired defaults to minNodes",
        );
    });

    it("keeps client IPs off the API target group (no hairpin) and checks /readyz", function () {
        const tg = ha.get("aws:lb/targetGroup:TargetGroup", "c-api");
        assert.strictEqual(tg.inputs.preserveClientIp, "false");
        assert.strictEqual((tg.inputs.healthCheck as { path: string }).path, "/readyz");
        const nlb = ha.get("aws:lb/loadBalancer:LoadBalancer", "c-api");
        assert.deepStrictEqual(
            [
                nlb.inputs.loadBalancerType,
                nlb.inputs.internal,
                nlb.inputs.enableCrossZoneLoadBalancing,
            ],
            ["network", false, true],
        );
    });

    it("waits for /readyz after the control plane exists, and makes the Kubernetes provider wait for that", function () {
        const readyz = ha.resources.find(
            (x) => x.name === "c-readyz" && x.type.startsWith("pulumi-nodejs:dynamic"),
        ) as RecordedResource;
        assert.ok(readyz, "no readyz waiter");
        assert.strictEqual(
            readyz.inputs.url,
            "https://c-api-0123456789abcdef.elb.eu-west-1.amazonaws.com:6443",
        );
        const k8s = ha.get("pulumi:providers:kubernetes", "c-k8s");
        assert.ok(ha.dependsOn(k8s, readyz));
        assert.ok(ha.dependsOn(readyz, ha.get("aws:lb/listener:Listener", "c-api")));
        for (const i of ha.ofType(T.instance)) assert.ok(ha.dependsOn(readyz, i));
        assert.deepStrictEqual(haCluster.readiness.length, 1);
    });

    it("exposes a secret admin kubeconfig (kubeadm:cluster-admins) and the kubeadm facts", async function () {
        assert.strictEqual(await pulumi.isSecret(haCluster.kubeconfig), true);
        const csr = ha.get("tls:index/certRequest:CertRequest", "c-admin");
        assert.deepStrictEqual(
            (csr.inputs.subject as { organization: string }).organization,
            "kubeadm:cluster-admins",
        );
        const kubeconfig = JSON.parse(await valueOf(haCluster.kubeconfig)) as {
            clusters: { cluster: { server: string } }[];
        };
        assert.strictEqual(
            kubeconfig.clusters[0].cluster.server,
            "https://c-api-0123456789abcdef.elb.eu-west-1.amazonaws.com:6443",
        );
        assert.strictEqual(
            await valueOf(haCluster.kubeadm.apiServerUrl),
            kubeconfig.clusters[0].cluster.server,
        );
        assert.deepStrictEqual(await valueOf(haCluster.kubeadm.nodeCidrs), [
            "10.0.0.0/18",
            "10.0.64.0/18",
            "10.0.128.0/18",
        ]);
        assert.strictEqual(haCluster.kubeadm.podCidr, "192.168.0.0/16");
    });

    it("reserves one Elastic IP per public subnet for the ingress, with cloud-provider-aws NLB annotations", async function () {
        const addresses = await valueOf(haCluster.ingress.addresses);
        assert.strictEqual(addresses.length, 3);
        const ann = await valueOf(haCluster.ingress.serviceAnnotations);
        assert.strictEqual(ann["service.beta.kubernetes.io/aws-load-balancer-type"], "nlb");
        assert.deepStrictEqual(
            ann["service.beta.kubernetes.io/aws-load-balancer-eip-allocations"].split(","),
            [
                "eipalloc-c-ingress-eu-west-1a",
                "eipalloc-c-ingress-eu-west-1b",
                "eipalloc-c-ingress-eu-west-1c",
            ],
        );
        assert.strictEqual(
            ann["service.beta.kubernetes.io/aws-load-balancer-subnets"].split(",").length,
            3,
        );
        assert.strictEqual(haCluster.ingress.preservesClientIp, true);
    });

    it("uses a pinned AMI instead of the SSM lookup when configured", function () {
        assert.strictEqual(dev.ofType(T.instance)[0].inputs.ami, "ami-0123456789abcdef0");
        assert.strictEqual(dev.ofType(T.lt)[0].inputs.imageId, "ami-0123456789abcdef0");
        assert.strictEqual(ha.ofType(T.lt)[0].inputs.imageId, fakeAmiId);
    });
});

describe("AWS cluster Kubernetes minor pin", function () {
    it("keeps nodes on the minor the cluster was built with when the config minor changes", async function () {
        // State says the cluster was built on 1.34; the config now asks for 1.35.
        const builtOn134 = (name: string, inputs: Record<string, unknown>) => ({
            arn: `arn:aws:ssm:eu-west-1:123456789012:parameter${String(inputs.name)}`,
            ...(name.endsWith("kubernetes-minor") ? { insecureValue: "1.34" } : {}),
        });
        const { recording: r } = await runProgram(
            () => {
                const config = clusterConfig({});
                return new AwsCluster(
                    "c",
                    { config },
                    { provider: new AwsProvider("aws", { region: config.aws.region }) },
                );
            },
            { states: { [T.param]: builtOn134 } },
        );
        const pin = r.get(T.param, "c-kubernetes-minor");
        assert.deepStrictEqual(pin.ignoreChanges, ["insecureValue"]);
        assert.strictEqual(pin.inputs.insecureValue, "1.35");
        for (const ud of userDataOf(r)) {
            assert.match(ud, /K8S_MINOR='?1\.34'?/);
            assert.doesNotMatch(ud, /K8S_MINOR='?1\.35/);
        }
    });
});
