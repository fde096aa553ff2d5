/**
 * A dev-sized AWS stack (1 control-plane node, 2 zones, one NAT, community
 * IRIS) builds the whole platform on the kubeadm cluster under mocks, and
 * every Kubernetes resource waits for the API server to answer /readyz.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { parseConfig } from "../config";
import { Platform } from "../components/platform";
import { runProgram, type RecordedResource, type Recording } from "./mocks";
import { testSecrets } from "./stack-files";

const devAws = {
    cluster: {
        provider: "aws",
        name: "iris-awsdev",
        nodePool: { machineType: "m6i.xlarge", minNodes: 2, maxNodes: 3 },
        aws: {
            region: "eu-central-1",
            availabilityZones: ["eu-central-1a", "eu-central-1b"],
            adminCidrs: ["198.51.100.7/32"],
        },
    },
    certManager: { issuer: "letsencrypt-staging", email: "ops@example.com" },
    dns: { enabled: true, zone: "Z0123456789ABCDEFGHIJ", domain: "example.com" },
    iris: { instances: [{ name: "iris", host: "iris-dev.example.com" }] },
};

describe("AWS dev-sized stack with the whole platform (mocks)", function () {
    let r: Recording;
    before(async function () {
        ({ recording: r } = await runProgram(
            () =>
                new Platform("iris", {
                    config: parseConfig(devAws, {
                        irisPassword: pulumi.secret(testSecrets.irisPassword),
                    }),
                }),
            { stack: "awsdev" },
        ));
    });

    it("builds one control-plane node, the worker group and the kubeadm add-ons", function () {
        assert.strictEqual(r.ofType("aws:ec2/instance:Instance").length, 1);
        assert.strictEqual(r.ofType("aws:autoscaling/group:Group").length, 1);
        assert.strictEqual(r.ofType("iris-platform:cluster:AwsSystemAddons").length, 1);
    });

    it("starts the platform's add-ons after the CNI and the cloud controller, beside the other system add-ons", function () {
        const release = (n: string) => r.get("kubernetes:helm.sh/v3:Release", n);
        const longhorn = release("iris-longhorn-release");
        for (const needed of ["tigera-operator", "aws-cloud-controller-manager"]) {
            assert.ok(
                r.dependsOn(longhorn, release(`iris-kubeadm-addons-${needed}`)),
                `Longhorn waits for ${needed}`,
            );
        }
        for (const beside of ["cluster-autoscaler", "kubelet-csr-approver", "metrics-server"]) {
            assert.ok(
                !r.dependsOn(longhorn, release(`iris-kubeadm-addons-${beside}`)),
                `Longhorn does not wait for ${beside}`,
            );
        }
    });

    it("puts every Kubernetes resource on the cluster's provider, after /readyz", function () {
        const readyz = r.resources.find(
            (x) => x.name === "iris-cluster-readyz",
        ) as RecordedResource;
        assert.ok(readyz);
        const k8s = r.resources.filter((x) => x.custom && x.type.startsWith("kubernetes:"));
        assert.ok(k8s.length > 5, `only ${k8s.length} Kubernetes resources`);
        for (const x of k8s) {
            assert.strictEqual(r.providerOf(x)?.name, "iris-cluster-k8s", `${x.type} ${x.name}`);
            assert.ok(r.dependsOn(x, readyz), `${x.type} ${x.name} does not wait for /readyz`);
        }
    });

    it("gives tls and random resources explicit providers of their own package", function () {
        for (const x of r.resources.filter((y) => y.custom && /^(tls|random):/.test(y.type))) {
            assert.strictEqual(
                r.providerOf(x)?.type,
                `pulumi:providers:${x.type.split(":")[0]}`,
                `${x.type} ${x.name}`,
            );
        }
    });
});
