/**
 * AWS system add-ons (kubeadm clusters) under mocks: pinned charts, the
 * cluster's provider, install order.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { AwsSystemAddons } from "../components/cluster/aws/system-addons";
import { ApiServerReady } from "../components/cluster/aws/readyz";
import { ExistingCluster } from "../components/cluster/existing";
import type { Cluster } from "../components/cluster/types";
import type { KubeadmFacts } from "../components/cluster/aws/kubeadm-facts";
import { charts } from "../versions";
import { runProgram, type Recording, type RecordedResource } from "./mocks";

/** A kubeadm-shaped cluster: an existing-cluster provider plus kubeadm facts and an API readiness gate. */
function fakeKubeadmCluster(): Cluster & { kubeadm: KubeadmFacts } {
    const existing = new ExistingCluster("fake", {
        clusterName: "iris-prod",
        kubernetesVersion: "1.36",
        kubeconfig: pulumi.secret("apiVersion: v1"),
    });
    const apiReady = new ApiServerReady("fake-api-ready", {
        url: "https://api.example.internal:6443",
        caCertPem: "PEM",
    });
    return {
        clusterName: existing.clusterName,
        kubernetesVersion: existing.kubernetesVersion,
        k8sProvider: existing.k8sProvider,
        kubeconfig: existing.kubeconfig,
        cloud: existing.cloud,
        readiness: [apiReady],
        kubeadm: {
            podCidr: "10.244.0.0/16",
            serviceCidr: "10.96.0.0/12",
            region: "eu-west-1",
            apiServerUrl: pulumi.output("https://api.example.internal:6443"),
            caCertPem: pulumi.output("PEM"),
            nodeCidrs: pulumi.output(["10.0.0.0/19", "10.0.32.0/19"]),
        },
    };
}

type Pool = { cidr: string; encapsulation: string };

describe("AwsSystemAddons (under mocks)", function () {
    let recording: Recording;
    const release = (role: string): RecordedResource =>
        recording.get("kubernetes:helm.sh/v3:Release", `iris-kubeadm-${role}`);
    before(async function () {
        ({ recording } = await runProgram(() => {
            const cluster = fakeKubeadmCluster();
            return new AwsSystemAddons(
                "iris-kubeadm",
                { cluster },
                { provider: cluster.k8sProvider, dependsOn: cluster.readiness },
            );
        }));
    });

    it("installs the six charts at their pinned versions through the cluster's provider", function () {
        const expected: [string, { chart: string; repo?: string; version: string }, string][] = [
            ["calico-crds", charts.calicoCrds, "tigera-operator"],
            ["tigera-operator", charts.calico, "tigera-operator"],
            ["aws-cloud-controller-manager", charts.awsCloudControllerManager, "kube-system"],
            ["cluster-autoscaler", charts.clusterAutoscaler, "kube-system"],
            ["kubelet-csr-approver", charts.kubeletCsrApprover, "kube-system"],
            ["metrics-server", charts.metricsServer, "kube-system"],
        ];
        assert.strictEqual(
            recording.ofType("kubernetes:helm.sh/v3:Release").length,
            expected.length,
        );
        for (const [role, pin, namespace] of expected) {
            const r = release(role);
            assert.strictEqual(r.inputs.chart, pin.chart, role);
            assert.strictEqual(r.inputs.version, pin.version, role);
            assert.deepStrictEqual(r.inputs.repositoryOpts, { repo: pin.repo }, role);
            assert.strictEqual(r.inputs.namespace, namespace, role);
            assert.strictEqual(
                recording.providerOf(r)?.name,
                "fake-k8s",
                `${role} uses the cluster's provider`,
            );
        }
    });

    it("renders the cluster's facts into the values", function () {
        const calico = release("tigera-operator").inputs.values as {
            installation: { calicoNetwork: { ipPools: Pool[] } };
        };
        assert.strictEqual(calico.installation.calicoNetwork.ipPools[0].cidr, "10.244.0.0/16");
        assert.deepStrictEqual(
            (release("kubelet-csr-approver").inputs.values as Record<string, unknown>)
                .providerIpPrefixes,
            ["10.0.0.0/19", "10.0.32.0/19"],
        );
        assert.match(
            (release("cluster-autoscaler").inputs.values as { image: { tag: string } }).image.tag,
            /^v1\.36\./,
        );
    });

    it("waits for the API server; the CCM beside the CNI; then the autoscaler and approver side by side; metrics-server after the approver", function () {
        const api = recording.get("pulumi-nodejs:dynamic:ApiServerReady", "fake-api-ready");
        for (const role of [
            "calico-crds",
            "tigera-operator",
            "aws-cloud-controller-manager",
            "cluster-autoscaler",
            "kubelet-csr-approver",
            "metrics-server",
        ]) {
            assert.ok(recording.dependsOn(release(role), api), `${role} waits for /readyz`);
        }
        assert.ok(
            recording.dependsOn(release("tigera-operator"), release("calico-crds")),
            "the operator's CRs need the CRD chart",
        );
        assert.strictEqual(
            charts.calicoCrds.version,
            charts.calico.version,
            "CRDs and operator from one Calico release",
        );
        // The CCM runs before any CNI (host network, tolerating not-ready: its values), so its
        // Release waits for neither Calico chart.
        const ccm = release("aws-cloud-controller-manager");
        for (const cni of ["calico-crds", "tigera-operator"])
            assert.ok(!recording.dependsOn(ccm, release(cni)), `the CCM does not wait for ${cni}`);
        const ccmValues = ccm.inputs.values as {
            hostNetworking?: unknown;
            tolerations: { key: string; effect?: string }[];
        };
        assert.strictEqual(ccmValues.hostNetworking, true, "the CCM is host-networked");
        assert.ok(
            ccmValues.tolerations.some(
                (t) => t.key === "node.kubernetes.io/not-ready" && t.effect === "NoSchedule",
            ),
            "the CCM tolerates not-ready nodes",
        );
        const sideBySide = [
            "aws-cloud-controller-manager",
            "cluster-autoscaler",
            "kubelet-csr-approver",
        ];
        for (const a of ["cluster-autoscaler", "kubelet-csr-approver"])
            assert.ok(
                recording.dependsOn(release(a), release("tigera-operator")),
                `${a} waits for the CNI`,
            );
        for (const a of sideBySide) {
            for (const b of sideBySide)
                if (a !== b)
                    assert.ok(
                        !recording.dependsOn(release(a), release(b)),
                        `${a} does not wait for ${b}`,
                    );
        }
        assert.ok(
            !recording.dependsOn(
                release("metrics-server"),
                release("aws-cloud-controller-manager"),
            ),
            "metrics-server does not wait for the CCM",
        );
        assert.ok(recording.dependsOn(release("metrics-server"), release("kubelet-csr-approver")));
        assert.ok(
            !recording.dependsOn(
                release("tigera-operator"),
                release("aws-cloud-controller-manager"),
            ),
            "the CNI comes first",
        );
    });
});
