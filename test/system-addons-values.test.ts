/**
 * AWS system add-ons' Helm values (pure) and their keys against the upstream values files.
 */
import * as assert from "assert";
import {
    awsCloudControllerManagerValues,
    calicoValues,
    clusterAutoscalerValues,
    ec2PrivateDnsRegex,
    imagesForMinor,
    kubeletCsrApproverValues,
    metricsServerValues,
} from "../components/cluster/aws/system-addons-values";
import { kubernetesMinors } from "../versions";
import { chartValues, unknownValuesKeys } from "./values-keys";

const ccmArgs = { clusterName: "iris-prod", kubernetesVersion: "1.35" };
const casArgs = { clusterName: "iris-prod", region: "eu-west-1", kubernetesVersion: "1.35" };
type Pool = { cidr: string; encapsulation: string };

describe("kubeadm add-on values (pure)", function () {
    it("gives Calico one VXLAN IP pool equal to kubeadm's pod CIDR, without BGP", function () {
        const v = calicoValues({ podCidr: "10.244.0.0/16" }) as {
            installation: { calicoNetwork: { bgp: string; ipPools: Pool[] } };
        };
        const net = v.installation.calicoNetwork;
        assert.deepStrictEqual(
            net.ipPools.map((p) => [p.cidr, p.encapsulation]),
            [["10.244.0.0/16", "VXLAN"]],
        );
        assert.strictEqual(net.bgp, "Disabled");
    });

    for (const minor of kubernetesMinors) {
        it(`runs cluster-autoscaler and the cloud controller at Kubernetes minor ${minor}`, function () {
            const cas = clusterAutoscalerValues({ ...casArgs, kubernetesVersion: minor }) as {
                image: { tag: string };
            };
            const ccm = awsCloudControllerManagerValues({
                ...ccmArgs,
                kubernetesVersion: minor,
            }) as { image: { tag: string } };
            assert.match(cas.image.tag, new RegExp(`^v${minor.replace(".", "\\.")}\\.\\d+$`));
            assert.match(ccm.image.tag, new RegExp(`^v${minor.replace(".", "\\.")}\\.\\d+$`));
        });
    }

    it("accepts a full version and rejects a minor without pinned images, naming the key", function () {
        assert.strictEqual(imagesForMinor("v1.36.2"), imagesForMinor("1.36"));
        assert.throws(
            () => imagesForMinor("1.33"),
            /cluster\.kubernetesVersion: "1\.33" .*supported: 1\.34, 1\.35, 1\.36/,
        );
    });

    it("lets cluster-autoscaler discover the ASG by the cluster's tags, on AWS in the cluster's region", function () {
        const v = clusterAutoscalerValues(casArgs) as Record<string, unknown>;
        assert.strictEqual(v.cloudProvider, "aws");
        assert.strictEqual(v.awsRegion, "eu-west-1");
        assert.deepStrictEqual(v.autoDiscovery, { clusterName: "iris-prod" });
        // We keep the chart's tag list, which is exactly the ASG's tag pair.
        const upstream = chartValues("cluster-autoscaler-9.59.0") as {
            autoDiscovery: { tags: string[] };
        };
        assert.deepStrictEqual(upstream.autoDiscovery.tags, [
            "k8s.io/cluster-autoscaler/enabled",
            "k8s.io/cluster-autoscaler/{{ .Values.autoDiscovery.clusterName }}",
        ]);
        assert.strictEqual(
            (v.extraArgs as Record<string, unknown>)["skip-nodes-with-local-storage"],
            false,
        );
    });

    it("runs the cloud controller on control-plane nodes, tolerating the uninitialized taint, without cloud routes", function () {
        const v = awsCloudControllerManagerValues(ccmArgs) as {
            args: string[];
            nodeSelector: Record<string, string>;
            tolerations: { key: string; operator?: string; effect?: string }[];
            hostNetworking?: unknown;
        };
        for (const flag of [
            "--cloud-provider=aws",
            "--cluster-name=iris-prod",
            "--configure-cloud-routes=false",
        ])
            assert.ok(v.args.includes(flag), flag);
        assert.deepStrictEqual(v.nodeSelector, { "node-role.kubernetes.io/control-plane": "" });
        assert.ok(
            v.tolerations.some((t) => t.key === "node.cloudprovider.kubernetes.io/uninitialized"),
        );
    });

    it("lets the cloud controller run before any CNI: host network, tolerating not-ready", function () {
        const v = awsCloudControllerManagerValues(ccmArgs) as {
            tolerations: { key: string; operator?: string; effect?: string }[];
            hostNetworking?: unknown;
        };
        // Without a CNI no pod network exists: only a host-networked pod can run.
        assert.strictEqual(v.hostNetworking, true);
        // Until a CNI runs, every node is tainted node.kubernetes.io/not-ready:NoSchedule.
        assert.ok(
            v.tolerations.some(
                (t) =>
                    t.key === "node.kubernetes.io/not-ready" &&
                    t.operator === "Exists" &&
                    t.effect === "NoSchedule",
            ),
            "tolerates node.kubernetes.io/not-ready:NoSchedule",
        );
    });

    it("never turns off kubelet TLS verification in metrics-server", function () {
        assert.doesNotMatch(JSON.stringify(metricsServerValues()), /insecure/);
        const upstream = chartValues("metrics-server-3.13.1") as { defaultArgs: string[] };
        assert.ok(
            !upstream.defaultArgs.some((a) => a.includes("kubelet-insecure-tls")),
            "the chart's own defaultArgs stay secure too",
        );
    });

    it("approves serving certificates only for this region's EC2 private DNS names from the node subnets", function () {
        const v = kubeletCsrApproverValues({
            region: "eu-west-1",
            nodeCidrs: ["10.0.0.0/19", "10.0.32.0/19"],
        });
        assert.deepStrictEqual(v.providerIpPrefixes, ["10.0.0.0/19", "10.0.32.0/19"]);
        const re = new RegExp(v.providerRegex as string);
        assert.ok(re.test("ip-10-0-1-5.eu-west-1.compute.internal"));
        for (const bad of [
            "ip-10-0-1-5.eu-west-2.compute.internal",
            "evil.ip-10-0-1-5.eu-west-1.compute.internal",
            "ip-10-0-1-5.eu-west-1.compute.internal.evil.example",
            "ip-10-0-1-5xeu-west-1.compute.internal",
            "i-0123456789abcdef0.eu-west-1.compute.internal",
        ]) {
            assert.ok(!re.test(bad), bad);
        }
        assert.ok(new RegExp(ec2PrivateDnsRegex("us-east-1")).test("ip-10-0-1-5.ec2.internal"));
        assert.throws(() => ec2PrivateDnsRegex("eu-west-1.*"), /cluster\.aws\.region/);
    });
});

describe("kubeadm add-on values use only upstream keys", function () {
    it("aws-cloud-controller-manager 0.0.11 (plus hostNetworking, read only by its template)", function () {
        // kubernetes/cloud-provider-aws @ helm-chart-aws-cloud-controller-manager-0.0.11:
        // charts/aws-cloud-controller-manager/templates/daemonset.yaml reads
        // `.Values.hostNetworking`, which values.yaml does not declare.
        const templateOnly = { hostNetworking: null };
        assert.deepStrictEqual(
            unknownValuesKeys(awsCloudControllerManagerValues(ccmArgs), {
                ...chartValues("aws-cloud-controller-manager-0.0.11"),
                ...templateOnly,
            }),
            [],
        );
    });
    it("cluster-autoscaler 9.59.0 (extraArgs and nodeSelector are flag/label maps)", function () {
        assert.deepStrictEqual(
            unknownValuesKeys(
                clusterAutoscalerValues(casArgs),
                chartValues("cluster-autoscaler-9.59.0"),
                ["extraArgs", "nodeSelector"],
            ),
            [],
        );
    });
    it("metrics-server 3.13.1", function () {
        assert.deepStrictEqual(
            unknownValuesKeys(metricsServerValues(), chartValues("metrics-server-3.13.1")),
            [],
        );
    });
    it("kubelet-csr-approver (keys of the upstream chart's values.yaml; no local copy)", function () {
        const upstreamKeys = [
            "providerRegex",
            "maxExpirationSeconds",
            "bypassDnsResolution",
            "allowedDnsNames",
            "ignoreNonSystemNode",
            "bypassHostnameCheck",
            "providerIpPrefixes",
            "loggingLevel",
            "namespace",
            "image",
            "imagePullSecrets",
            "nameOverride",
            "fullnameOverride",
            "metrics",
            "serviceAccount",
            "podAnnotations",
            "podSecurityContext",
            "securityContext",
            "resources",
            "nodeSelector",
            "tolerations",
            "affinity",
            "rbac",
            "env",
            "dnsPolicy",
        ];
        const reference = Object.fromEntries(upstreamKeys.map((k) => [k, null]));
        assert.deepStrictEqual(
            unknownValuesKeys(
                kubeletCsrApproverValues({ region: "eu-west-1", nodeCidrs: [] }),
                reference,
            ),
            [],
        );
    });
    it("tigera-operator (installation = the operator's Installation spec)", function () {
        // Chart keys plus the Installation spec fields we set (operator.tigera.io/v1 Installation).
        const reference = {
            installation: {
                enabled: null,
                kubernetesProvider: null,
                imagePullSecrets: null,
                cni: { type: null, ipam: null },
                calicoNetwork: {
                    bgp: null,
                    ipPools: null,
                    mtu: null,
                    nodeAddressAutodetectionV4: null,
                    linuxDataplane: null,
                },
            },
            apiServer: null,
            goldmane: null,
            whisker: null,
            tigeraOperator: null,
            kubernetesServiceEndpoint: null,
        };
        assert.deepStrictEqual(
            unknownValuesKeys(calicoValues({ podCidr: "10.244.0.0/16" }), reference),
            [],
        );
    });
    it("the key checker itself reports invented keys and respects free-form maps", function () {
        const reference = { a: { b: 1 }, labels: {}, list: [] };
        assert.deepStrictEqual(
            unknownValuesKeys(
                { a: { b: 2, c: 3 }, labels: { x: "y" }, list: [{ z: 1 }], d: 1 },
                reference,
            ),
            ["a.c", "labels.x", "d"],
        );
        assert.deepStrictEqual(
            unknownValuesKeys({ labels: { x: "y" } }, reference, ["labels.*"]),
            [],
        );
    });
});
