/**
 * The bring-your-own cluster and the mocks helper every other test relies on.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ExistingCluster } from "../components/cluster/existing";
import { runProgram, valueOf } from "./mocks";

describe("existing cluster", function () {
    it("reads a kubeconfig file, uses the named context and keeps the content secret", async function () {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "iris-")), "config");
        fs.writeFileSync(file, "apiVersion: v1\nkind: Config\n# FROM-FILE\n");
        const { result, recording } = await runProgram(
            () =>
                new ExistingCluster("c", {
                    clusterName: "kind",
                    kubernetesVersion: "1.35",
                    kubeconfigPath: file,
                    context: "kind-iris",
                }),
        );
        const provider = recording.get("pulumi:providers:kubernetes", "c-k8s");
        assert.strictEqual(provider.inputs.context, "kind-iris");
        assert.match(String(provider.inputs.kubeconfig), /FROM-FILE/);
        assert.strictEqual(await pulumi.isSecret(result.kubeconfig), true);
        assert.strictEqual(result.ingress, undefined);
        assert.deepStrictEqual(result.cloud, { cloud: "none" });
    });

    it("fails with the key and the path when the kubeconfig file cannot be read", async function () {
        await assert.rejects(
            runProgram(
                () =>
                    new ExistingCluster("c", {
                        clusterName: "kind",
                        kubernetesVersion: "1.35",
                        kubeconfigPath: "/nonexistent/kubeconfig",
                    }),
            ),
            /iris-platform:cluster\.existing\.kubeconfigPath: cannot read "\/nonexistent\/kubeconfig"/,
        );
    });

    it("exposes a configured load-balancer address as the ingress endpoint", async function () {
        const { result } = await runProgram(
            () =>
                new ExistingCluster("c", {
                    clusterName: "lab",
                    kubernetesVersion: "1.35",
                    kubeconfig: pulumi.secret("k"),
                    ingressAddress: "192.0.2.10",
                }),
        );
        assert.ok(result.ingress);
        assert.deepStrictEqual(await valueOf(result.ingress.addresses), ["192.0.2.10"]);
        assert.strictEqual(
            await valueOf(result.ingress.loadBalancerIP as pulumi.Output<string>),
            "192.0.2.10",
        );
    });
});

describe("test mocks", function () {
    class Thing extends pulumi.CustomResource {
        constructor(name: string) {
            super("test:index:Thing", name, {});
        }
    }

    it("fails on a duplicate (type, name)", async function () {
        await assert.rejects(
            runProgram(() => [new Thing("same"), new Thing("same")]),
            /duplicate resource \(type, name\): test:index:Thing same/,
        );
    });

    it("fails on an invoke nobody mocked", async function () {
        await assert.rejects(
            runProgram(() =>
                pulumi.runtime
                    .invoke("test:index:unknownFunction", {})
                    .catch(() => "the program saw the failure"),
            ),
            /unmocked invoke test:index:unknownFunction/,
        );
    });
});
