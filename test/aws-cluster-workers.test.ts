/**
 * The AwsCluster component under mocks: the worker ASG, the readiness edges the
 * Kubernetes layer relies on, its outputs, and the Kubernetes minor pin.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { Provider as AwsProvider } from "@pulumi/aws/provider";
import { AwsCluster } from "../components/cluster/aws";
import { runProgram, valueOf, type RecordedResource, type Recording } from "./mocks";
import { fakeAmiId } from "./fakes/aws";
import { buildDevAndHa, clusterConfig, T, userDataOf } from "./aws-cluster-fixtures";

describe("AWS cluster (mocks): workers, API readiness and outputs", function () {
    let dev: Recording;
    let ha: Recording;
    let haCluster: AwsCluster;
    before(async function () {
        ({ dev, ha, haCluster } = await buildDevAndHa());
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
