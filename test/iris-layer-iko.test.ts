/**
 * The IRIS layer in IKO mode under mocks (mirrored, licensed, web gateway, protected):
 * which objects exist, their key settings, ordering and where the secrets go.
 */
import * as assert from "assert";
import { isSecretValue, valueOf, type RecordedResource, type Recording } from "./mocks";
import { testSecrets } from "./stack-files";
import type { IrisLayer } from "../components/iris";
import { irisPasswordHash } from "../components/iris/password-hash";
import {
    assertNoSecretsOutsideSecrets,
    assertPasswordHash,
    build,
    get,
    licensed,
    T,
} from "./iris-layer-fixtures";

describe("IRIS layer: IKO mode (mirrored, licensed, web gateway, protected)", function () {
    let recording: Recording;
    let layer: IrisLayer;
    let cluster: RecordedResource;
    let storage: RecordedResource;
    let routing: RecordedResource;
    before(async function () {
        ({ recording, result: layer } = await build(
            {
                iko: {
                    enabled: true,
                    chart: { path: "./vendor/iris-operator" },
                    registry: { username: "me@example.com" },
                },
                iris: {
                    protect: true,
                    instances: [
                        {
                            name: "prod",
                            namespace: "iris",
                            mode: "iko",
                            image: licensed,
                            host: "iris.example.com",
                            data: { topology: "mirrored" },
                            compute: { replicas: 2 },
                            webgateway: { replicas: 2 },
                            storage: {
                                data: "200Gi",
                                wij: "20Gi",
                                journal1: "50Gi",
                                journal2: "40Gi",
                            },
                            resources: {
                                requests: { cpu: "2", memory: "16Gi" },
                                limits: { memory: "16Gi" },
                            },
                            preferredZones: ["eu-west-1a", "eu-west-1b"],
                            cpf: { globalBuffersMB: 8192, gmheapMB: 512 },
                        },
                    ],
                },
            },
            ["irisPassword", "irisLicenseKey", "registryToken", "webgatewayPassword"],
        ));
        [cluster, storage, routing] = ["cluster-ready", "storage-ready", "routing-ready"].map((n) =>
            recording.get(T.configMap, n),
        );
    });

    it("installs the operator chart from the local path into namespace iko, after the add-ons", function () {
        const release = recording.get(T.release, "iris-iko-release");
        assert.strictEqual(release.inputs.chart, "./vendor/iris-operator");
        assert.strictEqual(release.inputs.namespace, "iko");
        assert.strictEqual(release.inputs.skipAwait, false);
        assert.deepStrictEqual(get(release.inputs, "values", "imagePullSecrets"), [
            { name: "iris-pull-iko-4a7c9e1f" },
        ]);
        assert.deepStrictEqual(get(release.inputs, "values", "nodeSelector"), {
            "kubernetes.io/os": "linux",
            "kubernetes.io/arch": "amd64",
        });
        assert.ok(recording.dependsOn(release, cluster));
        // The operator needs neither the StorageClass nor the issuers: it installs while they do.
        assert.ok(
            !recording.dependsOn(release, storage) && !recording.dependsOn(release, routing),
            "the operator waits only for the cluster",
        );
        assert.ok(recording.dependsOn(release, recording.get(T.namespace, "iris-namespace-iko")));
        assert.ok(recording.dependsOn(release, recording.get(T.secret, "iris-pull-iko")));
    });

    it("puts a dockerconfigjson pull secret in the operator namespace and the IRIS namespace", function () {
        for (const ns of ["iko", "iris"]) {
            const s = recording.get(T.secret, `iris-pull-${ns}`);
            assert.strictEqual(s.inputs.type, "kubernetes.io/dockerconfigjson");
            assert.strictEqual(get(s.inputs, "metadata", "namespace"), ns);
            assert.ok(
                isSecretValue(s.rawInputs.stringData) ||
                    isSecretValue(get(s.rawInputs, "stringData", ".dockerconfigjson")),
            );
            const doc = JSON.parse(get(s.inputs, "stringData", ".dockerconfigjson") as string) as {
                auths: Record<string, { password: string }>;
            };
            assert.strictEqual(
                doc.auths["containers.intersystems.com"].password,
                testSecrets.registryToken,
            );
        }
    });

    it("creates the IrisCluster only after the operator Release, protected", function () {
        const ic = recording.get(T.irisCluster, "iris-iris-prod-iriscluster");
        assert.ok(recording.dependsOn(ic, recording.get(T.release, "iris-iko-release")));
        assert.ok(
            recording.dependsOn(ic, storage),
            "the IrisCluster's volumes need the StorageClass",
        );
        assert.ok(
            !recording.dependsOn(ic, routing),
            "the IrisCluster does not wait for ingress or issuers",
        );
        assert.strictEqual(ic.protect, true);
        assert.strictEqual(recording.get(T.namespace, "iris-namespace-iris").protect, true);
    });

    it("describes the mirrored topology with arbiter, compute, web gateway and per-volume storage on the IRIS class", function () {
        const spec = recording.get(T.irisCluster, "iris-iris-prod-iriscluster").inputs
            .spec as Record<string, unknown>;
        // Pulumi-named (like the CPF below): a new key is a new Secret the IrisCluster then names.
        assert.deepStrictEqual(spec.licenseKeySecret, { name: "iris-iris-prod-license-4a7c9e1f" });
        // Pulumi-named, so a CPF change is a new ConfigMap the IrisCluster then names.
        assert.deepStrictEqual(spec.configSource, { name: "iris-iris-prod-cpf-4a7c9e1f" });
        assert.strictEqual(
            get(recording.get(T.configMap, "iris-iris-prod-cpf").inputs, "metadata", "name"),
            undefined,
        );
        assert.deepStrictEqual(spec.imagePullSecrets, [{ name: "iris-pull-iris-4a7c9e1f" }]);
        assert.strictEqual(spec.storageClassName, "iris-retain");
        const data = get(spec, "topology", "data") as Record<string, unknown>;
        assert.strictEqual(data.image, licensed);
        assert.strictEqual(data.compatibilityVersion, "2025.1.0");
        assert.strictEqual(data.mirrored, true);
        assert.strictEqual(data.shards, undefined);
        assert.deepStrictEqual(data.storageDB, {
            resources: { requests: { storage: "200Gi" } },
            storageClassName: "iris-retain",
        });
        assert.deepStrictEqual(
            get(data, "storageJournal2", "resources", "requests", "storage"),
            "40Gi",
        );
        assert.deepStrictEqual(data.preferredZones, ["eu-west-1a", "eu-west-1b"]);
        assert.deepStrictEqual(get(data, "podTemplate", "spec", "resources"), {
            requests: { cpu: "2", memory: "16Gi" },
            limits: { memory: "16Gi" },
        });
        assert.strictEqual(
            get(spec, "topology", "arbiter", "image"),
            "containers.intersystems.com/intersystems/arbiter:2025.1",
        );
        assert.strictEqual(get(spec, "topology", "compute", "replicas"), 2);
        const wg = get(spec, "topology", "webgateway") as Record<string, unknown>;
        assert.strictEqual(wg.replicas, 2);
        assert.strictEqual(wg.type, "apache");
        assert.deepStrictEqual(wg.loginSecret, {
            name: "iris-iris-prod-webgateway-login-4a7c9e1f",
        });
    });

    it("keeps the licence, web gateway login and CPF hash in Secrets or secret outputs only", async function () {
        const lic = recording.get(T.secret, "iris-iris-prod-license");
        assert.strictEqual(get(lic.inputs, "stringData", "iris.key"), testSecrets.irisLicenseKey);
        const login = recording.get(T.secret, "iris-iris-prod-webgateway-login");
        assert.deepStrictEqual(login.inputs.stringData, {
            username: "CSPSystem",
            password: testSecrets.webgatewayPassword,
        });
        const cm = recording.get(T.configMap, "iris-iris-prod-cpf");
        assert.ok(
            isSecretValue(cm.rawInputs.data),
            "ConfigMap data holding the PasswordHash must be a Pulumi secret",
        );
        const data = cm.inputs.data as Record<string, string>;
        assertPasswordHash(data["common.cpf"]);
        // CSPSystem (the web gateway's login, untouched by PasswordHash) gets webgatewayPassword, hashed with its own salt.
        const csp =
            /\n\n\[Actions\]\nModifyUser:Name=CSPSystem,PasswordHash="([0-9a-f]+),([0-9a-f]+),10000,SHA512"\n$/.exec(
                data["common.cpf"],
            );
        assert.ok(csp, `no CSPSystem action in ${data["common.cpf"]}`);
        assert.strictEqual(
            `${csp[1]},${csp[2]},10000,SHA512`,
            irisPasswordHash(testSecrets.webgatewayPassword, csp[2]),
        );
        assert.strictEqual(data["data.cpf"], "[config]\nglobals=0,0,8192,0,0,0\ngmheap=524288\n");
        assertNoSecretsOutsideSecrets(recording);
    });

    it("exposes the web gateway through a TLS Ingress and reports the portal URL and host", async function () {
        const ing = recording.get(T.ingress, "iris-iris-prod-ingress");
        assert.strictEqual(
            get(ing.inputs, "metadata", "annotations", "cert-manager.io/cluster-issuer"),
            "letsencrypt-prod",
        );
        // nginx-ingress (F5) rejects a second Ingress for the same host: the solver path goes into this one.
        assert.strictEqual(
            get(ing.inputs, "metadata", "annotations", "acme.cert-manager.io/http01-edit-in-place"),
            "true",
        );
        assert.strictEqual(
            get(
                ing.inputs,
                "metadata",
                "annotations",
                "cert-manager.io/issue-temporary-certificate",
            ),
            "true",
        );
        assert.strictEqual(get(ing.inputs, "spec", "ingressClassName"), "nginx");
        assert.deepStrictEqual(get(ing.inputs, "spec", "tls"), [
            { hosts: ["iris.example.com"], secretName: "prod-tls" },
        ]);
        // Web-gateway nodes have their own Service; `<name>` fronts data node 1 (no port 80 without a sidecar).
        assert.deepStrictEqual(
            get(ing.inputs, "spec", "rules", 0, "http", "paths", 0, "backend", "service"),
            { name: "prod-webgateway", port: { number: 80 } },
        );
        // cert-manager's edit-in-place takes field ownership of spec.rules: the program's apply must win.
        assert.strictEqual(
            get(ing.inputs, "metadata", "annotations", "pulumi.com/patchForce"),
            "true",
        );
        assert.ok(
            recording.dependsOn(ing, routing),
            "the Ingress waits for the controller and the issuers",
        );
        assert.deepStrictEqual(await valueOf(layer.portalUrls), {
            "iris/prod": "https://iris.example.com/csp/sys/UtilHome.csp",
        });
        assert.deepStrictEqual(layer.hostnames, ["iris.example.com"]);
    });

    it("gives every Kubernetes object the cluster's provider", function () {
        for (const r of recording.resources.filter(
            (x) => x.custom && x.type.startsWith("kubernetes:"),
        )) {
            assert.strictEqual(
                recording.providerOf(r)?.type,
                "pulumi:providers:kubernetes",
                `${r.type} ${r.name}`,
            );
        }
        for (const r of recording.ofType("random:index/randomBytes:RandomBytes")) {
            assert.strictEqual(recording.providerOf(r)?.type, "pulumi:providers:random", r.name);
        }
    });
});
