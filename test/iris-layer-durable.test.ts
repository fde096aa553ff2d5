/**
 * The IRIS layer in durable standalone mode under mocks: the Deployment, its volume,
 * ordering, and where the password and its hash go.
 */
import * as assert from "assert";
import { valueOf } from "./mocks";
import { irisPasswordHash } from "../components/iris/password-hash";
import {
    assertNoSecretsOutsideSecrets,
    assertPasswordHash,
    build,
    get,
    licensed,
    runWithHash,
    T,
} from "./iris-layer-fixtures";

describe("IRIS layer: durable standalone mode", function () {
    it("runs community IRIS as a one-pod Recreate Deployment on a Retain-class PVC, after the add-ons", async function () {
        const { recording, result: layer } = await build(
            {
                iris: {
                    instances: [
                        {
                            name: "iris",
                            host: "iris-dev.example.com",
                            cpf: { globalBuffersMB: 128, gmheapMB: 64 },
                        },
                    ],
                },
            },
            ["irisPassword"],
        );
        const [storage, routing] = ["storage-ready", "routing-ready"].map((n) =>
            recording.get(T.configMap, n),
        );
        assert.ok(
            !recording.has(T.release) && !recording.has(T.irisCluster),
            "no operator in standalone mode",
        );
        assert.ok(
            !recording.resources.some(
                (r) => r.name.includes("pull") || r.name.endsWith("-license"),
            ),
            "community needs no pull secret or licence",
        );

        const pvc = recording.get(T.pvc, "iris-iris-iris-durable");
        assert.strictEqual(get(pvc.inputs, "spec", "storageClassName"), "iris-retain");
        assert.strictEqual(get(pvc.inputs, "spec", "resources", "requests", "storage"), "10Gi");
        assert.ok(recording.dependsOn(pvc, storage));
        assert.ok(
            !recording.dependsOn(pvc, routing),
            "the volume does not wait for ingress or issuers",
        );
        assert.strictEqual(pvc.protect, false);

        const dep = recording.get(T.deployment, "iris-iris-iris-deployment");
        assert.ok(recording.dependsOn(dep, pvc));
        assert.ok(recording.dependsOn(dep, storage));
        assert.ok(
            !recording.dependsOn(dep, routing),
            "IRIS starts without waiting for ingress or issuers",
        );
        assert.ok(
            recording.dependsOn(recording.get(T.ingress, "iris-iris-iris-ingress"), routing),
            "its Ingress waits for them",
        );
        assert.strictEqual(get(dep.inputs, "spec", "replicas"), 1);
        assert.strictEqual(get(dep.inputs, "spec", "strategy", "type"), "Recreate");
        const pod = get(dep.inputs, "spec", "template", "spec") as Record<string, unknown>;
        assert.deepStrictEqual(pod.securityContext, {
            runAsUser: 51773,
            runAsGroup: 51773,
            fsGroup: 51773,
            runAsNonRoot: true,
        });
        const c = get(pod, "containers", 0) as Record<string, unknown>;
        assert.deepStrictEqual(c.env, [
            { name: "ISC_DATA_DIRECTORY", value: "/durable/iris" },
            { name: "ISC_CPF_MERGE_FILE", value: "/iris-config/merge.cpf" },
        ]);
        assert.deepStrictEqual(get(c, "livenessProbe", "exec", "command"), [
            "sh",
            "-c",
            "iris qlist iris | grep -q running",
        ]);
        assert.strictEqual(get(c, "readinessProbe", "httpGet", "port"), 52773);
        assert.deepStrictEqual(get(c, "resources"), {
            requests: { cpu: "500m", memory: "2Gi" },
            limits: { memory: "4Gi" },
        });
        assert.strictEqual(c.args, undefined);
        assert.deepStrictEqual(get(pod, "volumes", 0), {
            name: "durable",
            persistentVolumeClaim: { claimName: "iris-durable" },
        });
        // Pulumi-named: a CPF change creates a new Secret, the pod template names it (IRIS restarts
        // with it) and the old Secret is deleted only afterwards.
        assert.deepStrictEqual(get(pod, "volumes", 1), {
            name: "config",
            secret: { secretName: "iris-iris-iris-cpf-4a7c9e1f" },
        });

        const cpf = recording.get(T.secret, "iris-iris-iris-cpf");
        const mergeFile = get(cpf.inputs, "stringData", "merge.cpf") as string;
        assertPasswordHash(mergeFile);
        assert.ok(mergeFile.includes("globals=0,0,128,0,0,0\ngmheap=65536"));
        assert.ok(
            !recording.resources.some((r) => r.type === T.configMap && !r.name.endsWith("-ready")),
            "no ConfigMap holds the merge file",
        );

        const svc = recording.get(T.service, "iris-iris-iris-service");
        assert.strictEqual(get(svc.inputs, "spec", "type"), "ClusterIP");
        assert.deepStrictEqual(
            (get(svc.inputs, "spec", "ports") as { port: number }[]).map((p) => p.port),
            [52773, 1972],
        );
        // The Deployment's 20-minute wait says when IRIS serves; the Service's own 10-minute wait
        // for a ready pod would fail a slow first start or a restore first.
        assert.strictEqual(
            get(svc.inputs, "metadata", "annotations", "pulumi.com/skipAwait"),
            "true",
        );
        const ing = recording.get(T.ingress, "iris-iris-iris-ingress");
        assert.deepStrictEqual(
            get(ing.inputs, "spec", "rules", 0, "http", "paths", 0, "backend", "service"),
            { name: "iris", port: { number: 52773 } },
        );
        assert.deepStrictEqual(await valueOf(layer.portalUrls), {
            "iris/iris": "https://iris-dev.example.com/csp/sys/UtilHome.csp",
        });
        assertNoSecretsOutsideSecrets(recording);
    });

    it("mounts the licence for a licensed image, uses the pull secret and protects the PVC and Deployment", async function () {
        const { recording, result: layer } = await build(
            {
                iko: { registry: { username: "me@example.com" } },
                iris: {
                    protect: true,
                    instances: [{ name: "lic", namespace: "apps", image: licensed }],
                },
            },
            ["irisPassword", "irisLicenseKey", "registryToken"],
        );
        const pod = get(
            recording.get(T.deployment, "iris-apps-lic-deployment").inputs,
            "spec",
            "template",
            "spec",
        ) as Record<string, unknown>;
        assert.deepStrictEqual(get(pod, "containers", 0, "args"), [
            "--key",
            "/iris-license/iris.key",
        ]);
        assert.deepStrictEqual(get(pod, "volumes", 2), {
            name: "license",
            secret: { secretName: "iris-apps-lic-license-4a7c9e1f" },
        });
        assert.deepStrictEqual(pod.imagePullSecrets, [{ name: "iris-pull-apps-4a7c9e1f" }]);
        assert.strictEqual(recording.get(T.pvc, "iris-apps-lic-durable").protect, true);
        assert.strictEqual(recording.get(T.deployment, "iris-apps-lic-deployment").protect, true);
        assert.ok(!recording.has(T.ingress), "no host, no Ingress");
        assert.deepStrictEqual(await valueOf(layer.portalUrls), {});
        assert.deepStrictEqual(layer.hostnames, []);
        assertNoSecretsOutsideSecrets(recording);
    });

    it("uses a given PasswordHash as is, without a salt resource", async function () {
        const hash = irisPasswordHash("given", "00".repeat(64));
        const { recording } = await runWithHash(hash);
        const mergeFile = get(
            recording.get(T.secret, "iris-iris-iris-cpf").inputs,
            "stringData",
            "merge.cpf",
        ) as string;
        assert.ok(mergeFile.startsWith(`[Startup]\nPasswordHash=${hash}\n`));
        assert.ok(!recording.has("random:index/randomBytes:RandomBytes"));
    });
});
