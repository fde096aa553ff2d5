/**
 * program.ts's stack outputs are what the Platform component published (its registered
 * outputs) and what the config says: the kubeconfig (a secret), the ingress address and
 * the portal URLs. Swapping, dropping or hard-coding one of them fails here.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { program, type StackOutputs } from "../program";
import { isSecretValue, runProgram, unwrapSecrets } from "./mocks";
import { testSecrets } from "./stack-files";
import { buildStack } from "./build-stack";

// The mock monitor keeps each resource's registered outputs; internal to @pulumi/pulumi.
/* eslint-disable @typescript-eslint/no-require-imports */
const settings = require("@pulumi/pulumi/runtime/settings") as { getMonitor(): unknown };
const rpc = require("@pulumi/pulumi/runtime/rpc") as {
    deserializeProperties(s: unknown): Record<string, unknown>;
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** The value of a resolved output, and whether it is secret. */
async function settle<T>(o: pulumi.Output<T>): Promise<{ value: T; secret: boolean }> {
    const secret = await pulumi.isSecret(o);
    const value = await new Promise<T>((resolve) => o.apply((v) => resolve(v)));
    return { value, secret };
}

/** What the `iris` Platform component registered as its outputs. */
function platformOutputs(): Record<string, unknown> {
    const monitor = settings.getMonitor() as {
        getRegisteredResources(): Map<string, { urn: string; state: unknown }>;
    };
    const entry = [...monitor.getRegisteredResources().values()].find((r) =>
        r.urn.endsWith("::iris-platform:platform:Platform::iris"),
    );
    assert.ok(entry, "the Platform component is registered");
    return rpc.deserializeProperties(entry.state);
}

async function run(config: Record<string, unknown>) {
    const stackConfig: Record<string, string> = {
        "iris-platform:kubeconfig": testSecrets.kubeconfig,
        "iris-platform:irisPassword": testSecrets.irisPassword,
    };
    for (const [k, v] of Object.entries(config))
        stackConfig[`iris-platform:${k}`] = JSON.stringify(v);
    const { result } = await runProgram(program, {
        config: stackConfig,
        secretConfigKeys: ["iris-platform:kubeconfig", "iris-platform:irisPassword"],
    });
    return { outputs: result, published: platformOutputs() };
}

const instance = { name: "iris", namespace: "iris-ns", host: "iris.mycompany.test" };

describe("program.ts stack outputs are the Platform's", function () {
    let outputs: StackOutputs;
    let published: Record<string, unknown>;
    before(async function () {
        ({ outputs, published } = await run({
            cluster: {
                provider: "existing",
                name: "onprem",
                existing: { ingressAddress: "10.7.7.7" },
            },
            iris: { instances: [instance] },
        }));
    });

    it("kubeconfig: the cluster's admin kubeconfig, kept secret", async function () {
        const k = await settle(outputs.kubeconfig);
        assert.strictEqual(k.secret, true, "the kubeconfig output is a Pulumi secret");
        assert.strictEqual(k.value, testSecrets.kubeconfig);
        assert.ok(isSecretValue(published.kubeconfig), "the Platform published it as a secret");
        assert.strictEqual(unwrapSecrets(published.kubeconfig), k.value);
    });

    it("ingressAddress: the address the Platform published (the existing cluster's)", async function () {
        assert.ok(outputs.ingressAddress, "an ingressAddress output");
        const a = await settle(outputs.ingressAddress);
        assert.strictEqual(a.value, "10.7.7.7");
        assert.strictEqual(a.value, published.ingressAddress);
    });

    it("portalUrls: one HTTPS portal URL per instance with a host, as published", async function () {
        const u = await settle(outputs.portalUrls);
        assert.deepStrictEqual(u.value, {
            "iris-ns/iris": "https://iris.mycompany.test/csp/sys/UtilHome.csp",
        });
        assert.deepStrictEqual(u.value, published.portalUrls);
    });

    it("clusterName: the configured cluster name", function () {
        assert.strictEqual(outputs.clusterName, "onprem");
    });

    it("ingressAddress from dns.address when the cluster reserves none; absent when neither names one", async function () {
        const viaDns = await run({
            cluster: { provider: "existing" },
            ingress: { serviceType: "NodePort" },
            dns: { enabled: true, provider: "aws", zone: "Z123", address: "10.9.9.9" },
            iris: { instances: [instance] },
        });
        assert.ok(viaDns.outputs.ingressAddress);
        assert.strictEqual((await settle(viaDns.outputs.ingressAddress)).value, "10.9.9.9");
        assert.strictEqual(viaDns.published.ingressAddress, "10.9.9.9");

        const none = await run({
            cluster: { provider: "existing" },
            ingress: { serviceType: "NodePort" },
            iris: { instances: [instance] },
        });
        assert.ok(!("ingressAddress" in none.outputs), "no undefined ingressAddress output");
        assert.strictEqual(none.published.ingressAddress, undefined);
    });
});

describe("program.ts backupStore output (the DR path starts from it)", function () {
    it("prod (AWS): the bucket's target, region and name, kept on destroy; not secret", async function () {
        const { outputs, recording } = await buildStack("prod");
        assert.ok(outputs.backupStore, "a backupStore output");
        const b = await settle(outputs.backupStore);
        assert.strictEqual(b.secret, false);
        const bucket = recording.ofType("aws:s3/bucket:Bucket")[0];
        assert.ok(bucket.retainOnDelete, "the bucket outlives the stack");
        assert.deepStrictEqual(Object.keys(b.value).sort(), [
            "bucket",
            "cloud",
            "keptOnDestroy",
            "region",
            "target",
        ]);
        assert.strictEqual(b.value.cloud, "aws");
        assert.strictEqual(b.value.region, "eu-west-1");
        assert.strictEqual(b.value.keptOnDestroy, true);
        assert.strictEqual(b.value.target, `s3://${String(b.value.bucket)}@eu-west-1/`);
    });

    it("dev: no backups, no backupStore output", async function () {
        const { outputs } = await buildStack("dev");
        assert.ok(!("backupStore" in outputs));
    });
});
