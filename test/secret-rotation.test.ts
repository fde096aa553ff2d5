/**
 * Every Secret or ConfigMap an IRIS pod mounts or pulls with, or IKO reads, is Pulumi-named: a change
 * is then a new object the IrisCluster or pod template names (rolling the pods), and
 * the old one is deleted last. A fixed name is deleted before its replacement and
 * rolls nothing (the proof against a real API server: e2e/existing-lifecycle.e2e.ts).
 */
import * as assert from "assert";
import type { Recording } from "./mocks";
import { build, get, licensed, T } from "./iris-layer-fixtures";

/** The fake provider's auto-name suffix (test/fakes/kubernetes.ts). */
const suffix = "-4a7c9e1f";

/** Asserts `ref` is the Pulumi-given name of a recorded `type` that sets no name itself. */
function assertPulumiNamed(recording: Recording, type: string, ref: unknown, what: string): void {
    assert.strictEqual(typeof ref, "string", `${what} names an object`);
    const name = String(ref);
    assert.ok(name.endsWith(suffix), `${what} is ${name}, a fixed name`);
    const resource = recording.get(type, name.slice(0, -suffix.length));
    assert.strictEqual(
        get(resource.inputs, "metadata", "name"),
        undefined,
        `${what}: ${resource.name} sets metadata.name`,
    );
}

describe("IRIS Secrets and ConfigMaps the workloads read are Pulumi-named (rotation without a gap)", function () {
    it("IKO: licenseKeySecret, webgateway.loginSecret and configSource", async function () {
        const { recording } = await build(
            {
                iko: {
                    enabled: true,
                    chart: { path: "./vendor/iris-operator" },
                    registry: { username: "me@example.com" },
                },
                iris: {
                    instances: [
                        {
                            name: "prod",
                            namespace: "iris",
                            mode: "iko",
                            image: licensed,
                            webgateway: { replicas: 1 },
                        },
                    ],
                },
            },
            ["irisPassword", "irisLicenseKey", "registryToken", "webgatewayPassword"],
        );
        const spec = recording.get(T.irisCluster, "iris-iris-prod-iriscluster").inputs.spec;
        const refs: [string, string, unknown][] = [
            ["licenseKeySecret", T.secret, get(spec, "licenseKeySecret", "name")],
            [
                "webgateway.loginSecret",
                T.secret,
                get(spec, "topology", "webgateway", "loginSecret", "name"),
            ],
            ["configSource", T.configMap, get(spec, "configSource", "name")],
            ["imagePullSecrets", T.secret, get(spec, "imagePullSecrets", 0, "name")],
            // The operator's own pull secret, in its namespace, through the chart's values.
            [
                "IKO values imagePullSecrets",
                T.secret,
                get(
                    recording.get(T.release, "iris-iko-release").inputs,
                    "values",
                    "imagePullSecrets",
                    0,
                    "name",
                ),
            ],
        ];
        for (const [what, type, ref] of refs) assertPulumiNamed(recording, type, ref, what);
    });

    it("durable: every Secret volume of the pod (CPF merge file, licence)", async function () {
        const { recording } = await build(
            {
                iko: { registry: { username: "me@example.com" } },
                iris: { instances: [{ name: "lic", namespace: "apps", image: licensed }] },
            },
            ["irisPassword", "irisLicenseKey", "registryToken"],
        );
        const volumes = get(
            recording.get(T.deployment, "iris-apps-lic-deployment").inputs,
            "spec",
            "template",
            "spec",
            "volumes",
        ) as { name: string; secret?: { secretName: string } }[];
        const secretVolumes = volumes.filter((v) => v.secret);
        assert.deepStrictEqual(
            secretVolumes.map((v) => v.name),
            ["config", "license"],
        );
        for (const v of secretVolumes)
            assertPulumiNamed(recording, T.secret, v.secret?.secretName, `volume ${v.name}`);
        const pulls = get(
            recording.get(T.deployment, "iris-apps-lic-deployment").inputs,
            "spec",
            "template",
            "spec",
            "imagePullSecrets",
        ) as { name: string }[];
        assert.strictEqual(pulls.length, 1);
        assertPulumiNamed(recording, T.secret, pulls[0].name, "imagePullSecrets");
    });
});
