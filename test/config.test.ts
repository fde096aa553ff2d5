/**
 * The config module: defaults for a minimal stack, a frozen typed result, and
 * one clear error per kind of bad input (key, bad value, what is allowed).
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { parseConfig, type Secrets } from "../config";
import { isCommunityImage } from "../domain/iris";
import { rejects } from "./config-helpers";

const gke = { provider: "gke", gke: { project: "p", region: "europe-west1" } };
const password: Secrets = { irisPassword: pulumi.secret("pw") };

describe("config", function () {
    it("fills defaults so a small stack needs only the cluster keys", function () {
        const c = parseConfig({ cluster: gke });
        assert.strictEqual(c.cluster.name, "iris");
        assert.strictEqual(c.cluster.kubernetesVersion, "1.35");
        assert.deepStrictEqual(
            { min: c.cluster.nodePool.minNodes, max: c.cluster.nodePool.maxNodes },
            { min: 2, max: 3 },
        );
        assert.strictEqual(c.longhorn.enabled, true);
        assert.strictEqual(c.ingress.controller, "nginx-ingress");
        assert.strictEqual(c.certManager.issuer, "letsencrypt-staging");
        assert.strictEqual(c.dns.enabled, false);
        assert.strictEqual(c.iko.enabled, false);
        assert.deepStrictEqual(c.iris.instances, []);
    });

    it("returns a deeply frozen object", function () {
        const c = parseConfig({ cluster: gke });
        assert.ok(
            Object.isFrozen(c) && Object.isFrozen(c.cluster) && Object.isFrozen(c.cluster.nodePool),
        );
        assert.throws(() => {
            (c.cluster.nodePool as { maxNodes: number }).maxNodes = 99;
        }, TypeError);
    });

    it("keeps secrets as the given Pulumi secret outputs", async function () {
        const c = parseConfig({ cluster: gke }, password);
        assert.ok(c.secrets.irisPassword);
        assert.strictEqual(await pulumi.isSecret(c.secrets.irisPassword), true);
    });

    it("rejects a missing cluster section", function () {
        rejects({}, {}, /^iris-platform:cluster: is required/);
    });

    it("rejects an unknown provider, naming the allowed ones", function () {
        rejects(
            { cluster: { provider: "eks" } },
            {},
            /^iris-platform:cluster\.provider: must be one of gke, aks, aws, existing \(got "eks"\)$/,
        );
    });

    it("rejects a misspelt key instead of ignoring it", function () {
        rejects(
            { cluster: gke, longhorn: { replicas: 3 } },
            {},
            /^iris-platform:longhorn: unknown key\(s\) replicas/,
        );
    });

    it("rejects min > max nodes and desired outside the range", function () {
        rejects(
            { cluster: { ...gke, nodePool: { minNodes: 5, maxNodes: 2 } } },
            {},
            /cluster\.nodePool\.minNodes: must be <= maxNodes \(2\) \(got 5\)/,
        );
        rejects(
            { cluster: { ...gke, nodePool: { minNodes: 1, maxNodes: 3, desiredNodes: 7 } } },
            {},
            /cluster\.nodePool\.desiredNodes: must be between minNodes \(1\) and maxNodes \(3\) \(got 7\)/,
        );
    });

    it("rejects fewer minimum nodes than Longhorn replicas, except when Longhorn is off or the cluster is not ours", function () {
        rejects(
            {
                cluster: { ...gke, nodePool: { minNodes: 2, maxNodes: 5 } },
                longhorn: { replicaCount: 3 },
            },
            {},
            /^iris-platform:cluster\.nodePool\.minNodes: must be at least longhorn\.replicaCount \(3\): each replica needs its own node \(got 2\)$/,
        );
        assert.doesNotThrow(() =>
            parseConfig({
                cluster: { ...gke, nodePool: { minNodes: 1 } },
                longhorn: { enabled: false },
            }),
        );
        assert.doesNotThrow(() =>
            parseConfig(
                { cluster: { provider: "existing" }, longhorn: { replicaCount: 3 } },
                { kubeconfig: pulumi.secret("k") },
            ),
        );
    });

    it("rejects an unsupported Kubernetes version, listing the supported ones", function () {
        rejects(
            { cluster: { ...gke, kubernetesVersion: "1.29" } },
            {},
            /cluster\.kubernetesVersion: must be one of 1\.34, 1\.35, 1\.36 \(got "1\.29"\)/,
        );
    });

    it("rejects a bad type with the value it got", function () {
        rejects(
            { cluster: { ...gke, nodePool: { maxNodes: "three" } } },
            {},
            /cluster\.nodePool\.maxNodes: .*number.* \(got "three"\)/,
        );
    });

    it("existing cluster: needs a kubeconfig secret or a path, not both", function () {
        rejects(
            { cluster: { provider: "existing" } },
            {},
            /cluster\.existing\.kubeconfigPath: is required unless the `kubeconfig` secret is set/,
        );
        rejects(
            { cluster: { provider: "existing", existing: { kubeconfigPath: "~/.kube/config" } } },
            { kubeconfig: pulumi.secret("k") },
            /cluster\.existing\.kubeconfigPath: conflicts with the `kubeconfig` secret/,
        );
        assert.doesNotThrow(() =>
            parseConfig({ cluster: { provider: "existing" } }, { kubeconfig: pulumi.secret("k") }),
        );
    });

    it("DNS enabled without a zone", function () {
        rejects(
            { cluster: gke, dns: { enabled: true } },
            {},
            /^iris-platform:dns\.zone: is required when dns\.enabled is true/,
        );
    });

    it("production issuer without an email", function () {
        rejects(
            { cluster: gke, certManager: { issuer: "letsencrypt-prod" } },
            {},
            /^iris-platform:certManager\.email: is required with issuer letsencrypt-prod/,
        );
    });

    it("a mirrored IRIS on a community image", function () {
        const instances = [{ name: "iris", mode: "iko", data: { topology: "mirrored" } }];
        rejects(
            {
                cluster: gke,
                iko: { enabled: true, chart: { path: "./c" }, registry: { username: "u" } },
                iris: { instances },
            },
            { ...password, registryToken: pulumi.secret("t") },
            /iris\.instances\[0\]\.data\.topology: is not possible with community image .*iris-community.* \(got "mirrored"\)/,
        );
    });

    it("IRIS instances without a password secret", function () {
        rejects(
            { cluster: gke, iris: { instances: [{ name: "iris" }] } },
            {},
            /^iris-platform:iris\.instances: need the `irisPassword`/,
        );
    });

    it("reports every problem at once", function () {
        const problems = rejects(
            {
                cluster: { ...gke, nodePool: { minNodes: 4, maxNodes: 1 } },
                dns: { enabled: true },
                certManager: { issuer: "letsencrypt-prod" },
            },
            {},
            /minNodes/,
            /dns\.zone/,
            /certManager\.email/,
        );
        assert.strictEqual(problems.length, 3);
    });

    it("never echoes secret values in errors", function () {
        try {
            parseConfig(
                { cluster: { provider: "nope" } },
                { irisPassword: pulumi.secret("SENTINEL-IRIS-PASSWORD") },
            );
        } catch (err) {
            assert.ok(!String((err as Error).message).includes("SENTINEL"));
            return;
        }
        assert.fail("config was accepted");
    });

    it("recognises community images", function () {
        assert.strictEqual(
            isCommunityImage("containers.intersystems.com/intersystems/iris-community:2025.1"),
            true,
        );
        assert.strictEqual(
            isCommunityImage(
                "containers.intersystems.com/intersystems/irishealth-community:2025.1",
            ),
            true,
        );
        assert.strictEqual(
            isCommunityImage("containers.intersystems.com/intersystems/iris:2025.1"),
            false,
        );
    });
});
