/**
 * The AwsCluster component under mocks: what a dev-sized (1 control-plane node,
 * 2 zones, one NAT) and an HA (3 nodes, 3 zones, NAT per zone) config build:
 * subnets, nodes and security rules.
 */
import * as assert from "assert";
import { type RecordedResource, type Recording } from "./mocks";
import { fakeAmiId } from "./fakes/aws";
import { buildDevAndHa, T } from "./aws-cluster-fixtures";

describe("AWS cluster (mocks): network, nodes and security rules", function () {
    let dev: Recording;
    let ha: Recording;
    before(async function () {
        ({ dev, ha } = await buildDevAndHa());
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
});
