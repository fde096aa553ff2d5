/**
 * The platform's own edges: layers wait for the layer below, DNS does not wait
 * for the cluster, and the nginx-ingress superserver route is created in the
 * IRIS namespace after both the controller and the IRIS layer.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { parseConfig } from "../config";
import { Platform } from "../components/platform";
import { runProgram, type Recording } from "./mocks";
import { testSecrets } from "./stack-files";

const secrets = {
    kubeconfig: pulumi.secret(testSecrets.kubeconfig),
    irisPassword: pulumi.secret(testSecrets.irisPassword),
};

const withDns = {
    cluster: { provider: "existing", existing: { ingressAddress: "203.0.113.7" } },
    dns: { enabled: true, provider: "aws", zone: "Z123", domain: "example.com" },
};

function existingPlatform(
    ingress: Record<string, unknown>,
    base: Record<string, unknown> = withDns,
): Promise<Recording> {
    const config = parseConfig(
        {
            ...base,
            ingress,
            iris: { instances: [{ name: "iris", namespace: "iris-ns", host: "iris.example.com" }] },
        },
        secrets,
    );
    return runProgram(() => new Platform("p", { config })).then((r) => r.recording);
}

describe("platform composition", function () {
    let r: Recording;
    before(async function () {
        r = await existingPlatform({ exposeSuperserver: true });
    });

    it("starts IRIS after its storage only, and its portal Ingress after the controller and issuers", function () {
        const deployment = r.ofType("kubernetes:apps/v1:Deployment")[0];
        assert.ok(deployment, "the IRIS Deployment exists");
        const release = (n: string) => r.get("kubernetes:helm.sh/v3:Release", n);
        assert.ok(
            r.dependsOn(deployment, release("p-longhorn-release")),
            "IRIS waits for Longhorn",
        );
        const storageClass = r.ofType("kubernetes:storage.k8s.io/v1:StorageClass")[0];
        assert.ok(r.dependsOn(deployment, storageClass), "IRIS waits for its StorageClass");
        const issuer = r.ofType("kubernetes:cert-manager.io/v1:ClusterIssuer")[0];
        // Side by side: IRIS does not need the ingress controller or the issuers to start.
        for (const other of [
            release("p-cert-manager-release"),
            release("p-ingress-release"),
            issuer,
        ]) {
            assert.ok(!r.dependsOn(deployment, other), `IRIS does not wait for ${other.name}`);
        }
        const ingress = r.ofType("kubernetes:networking.k8s.io/v1:Ingress")[0];
        for (const needed of [release("p-ingress-release"), issuer])
            assert.ok(r.dependsOn(ingress, needed), `the portal Ingress waits for ${needed.name}`);
        // Longhorn, the ingress controller and cert-manager install side by side after the cluster.
        const addons = [
            release("p-longhorn-release"),
            release("p-cert-manager-release"),
            release("p-ingress-release"),
        ];
        for (const a of addons)
            for (const b of addons)
                if (a !== b) assert.ok(!r.dependsOn(a, b), `${a.name} does not wait for ${b.name}`);
    });

    it("writes DNS records without waiting for the cluster or its add-ons", function () {
        const record = r.ofType("aws:route53/record:Record")[0];
        assert.ok(record, "a Route53 record exists");
        assert.deepStrictEqual(record.inputs.records, ["203.0.113.7"]);
        assert.strictEqual(
            r.dependsOn(record, r.ofType("iris-platform:cluster:ExistingCluster")[0]),
            false,
        );
        assert.strictEqual(r.dependsOn(record, r.ofType("iris-platform:addons:Ingress")[0]), false);
    });

    it("routes the superserver port to the first instance with a TransportServer after the controller and the IRIS namespace, not the workload", function () {
        const ts = r.ofType("kubernetes:k8s.nginx.org/v1:TransportServer")[0];
        assert.ok(ts, "a TransportServer exists");
        const metadata = ts.inputs.metadata as { namespace: string };
        assert.strictEqual(metadata.namespace, "iris-ns");
        assert.deepStrictEqual((ts.inputs.spec as { listener: unknown }).listener, {
            name: "iris-superserver",
            protocol: "TCP",
        });
        assert.ok(
            r.dependsOn(ts, r.ofType("iris-platform:addons:Ingress")[0]),
            "waits for the controller (its CRD)",
        );
        assert.ok(
            r.dependsOn(ts, r.get("kubernetes:core/v1:Namespace", "p-iris-namespace-iris-ns")),
            "waits for the IRIS namespace",
        );
        // A route to a Service needs the Service's namespace, not the pods behind it.
        const deployment = r.ofType("kubernetes:apps/v1:Deployment")[0];
        assert.ok(!r.dependsOn(ts, deployment), "does not wait for the IRIS workload");
    });

    it("creates no TransportServer when the superserver is not exposed", async function () {
        const off = await existingPlatform({});
        assert.strictEqual(off.ofType("kubernetes:k8s.nginx.org/v1:TransportServer").length, 0);
    });

    it("waits for the portal Ingress's address only where the controller can report one", async function () {
        const skipAwait = (rec: Recording) =>
            (
                rec.ofType("kubernetes:networking.k8s.io/v1:Ingress")[0].inputs.metadata as {
                    annotations: Record<string, string>;
                }
            ).annotations["pulumi.com/skipAwait"];
        assert.strictEqual(
            skipAwait(r),
            undefined,
            "LoadBalancer: the controller reports the address, Pulumi waits for it",
        );
        // NodePort (kind, bare metal): no address ever comes, and the wait would fail `up` after 10 minutes.
        assert.strictEqual(
            skipAwait(
                await existingPlatform(
                    { serviceType: "NodePort" },
                    { cluster: { provider: "existing" } },
                ),
            ),
            "true",
        );
    });
});
