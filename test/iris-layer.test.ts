/**
 * The IRIS layer under mocks, in both modes, on a fake existing cluster with a
 * hand-made add-ons result: which objects exist, their key settings, ordering
 * and where the secrets go.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as corev1 from "@pulumi/kubernetes/core/v1";
import { parseConfig, type SecretKey } from "../config";
import { ExistingCluster } from "../components/cluster/existing";
import { sourceFrom } from "../components/chart-sources";
import { IrisLayer } from "../components/iris";
import { irisPasswordHash } from "../components/iris/password-hash";
import { isSecretValue, runProgram, valueOf, type RecordedResource, type Recording } from "./mocks";
import { testSecrets } from "./stack-files";

const T = {
    release: "kubernetes:helm.sh/v3:Release",
    irisCluster: "kubernetes:intersystems.com/v1alpha1:IrisCluster",
    secret: "kubernetes:core/v1:Secret",
    configMap: "kubernetes:core/v1:ConfigMap",
    namespace: "kubernetes:core/v1:Namespace",
    pvc: "kubernetes:core/v1:PersistentVolumeClaim",
    service: "kubernetes:core/v1:Service",
    deployment: "kubernetes:apps/v1:Deployment",
    ingress: "kubernetes:networking.k8s.io/v1:Ingress",
};
const licensed = "containers.intersystems.com/intersystems/iris:2025.1";

async function build(plain: Record<string, unknown>, secretNames: SecretKey[]) {
    return runProgram(() => {
        const secrets = Object.fromEntries(
            secretNames.map((k) => [k, pulumi.secret(testSecrets[k])]),
        );
        const config = parseConfig(
            { cluster: { provider: "existing" }, ...plain },
            { kubeconfig: pulumi.secret(testSecrets.kubeconfig), ...secrets },
        );
        const cluster = new ExistingCluster("c", {
            clusterName: "c",
            kubernetesVersion: "1.35",
            kubeconfig: config.secrets.kubeconfig,
        });
        // Markers for what each kind of IRIS object may wait for.
        const marker = (n: string) =>
            new corev1.ConfigMap(n, { data: {} }, { provider: cluster.k8sProvider });
        const [clusterReady, storageReady, routingReady] = [
            marker("cluster-ready"),
            marker("storage-ready"),
            marker("routing-ready"),
        ];
        return new IrisLayer(
            "iris",
            {
                iko: config.iko,
                iris: config.iris,
                secrets: config.secrets,
                storageClassName: "iris-retain",
                clusterIssuer: "letsencrypt-prod",
                ingressClassName: "nginx",
                ikoChart: config.iko.chart.path
                    ? sourceFrom(config.iko.chart, config.iko.chart.name, config.iko.chart.version)
                    : undefined,
                storageReady: [storageReady],
                routingReady: [routingReady],
            },
            { provider: cluster.k8sProvider, dependsOn: [clusterReady] },
        );
    });
}

/** Everything but Secrets and providers: no secret value may appear in their inputs. */
function assertNoSecretsOutsideSecrets(recording: Recording): void {
    const sentinels = Object.values(testSecrets);
    for (const r of recording.resources) {
        if (r.type === T.secret || r.type.startsWith("pulumi:providers:")) continue;
        const text = JSON.stringify(r.inputs);
        for (const s of sentinels)
            assert.ok(!text.includes(s.trim()), `${r.type} ${r.name} contains a secret value`);
        assert.ok(!text.includes("SENTINEL"), `${r.type} ${r.name} contains a sentinel`);
    }
    for (const s of recording.ofType(T.secret)) {
        const data = s.rawInputs.stringData;
        if (isSecretValue(data)) continue;
        for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
            if (k !== "username")
                assert.ok(isSecretValue(v), `${s.name} stringData.${k} is not a Pulumi secret`);
        }
    }
}

/** Checks a CPF's PasswordHash is the test password hashed with the salt it names. */
function assertPasswordHash(cpf: string): void {
    const m = /PasswordHash=([0-9a-f]+),([0-9a-f]+),10000,SHA512/.exec(cpf);
    assert.ok(m, `no PasswordHash in ${cpf}`);
    assert.strictEqual(m[2].length, 128, "salt is 64 bytes");
    assert.strictEqual(
        `${m[1]},${m[2]},10000,SHA512`,
        irisPasswordHash(testSecrets.irisPassword, m[2]),
    );
}

const get = (o: unknown, ...keys: (string | number)[]): unknown =>
    keys.reduce<unknown>((v, k) => (v as Record<string | number, unknown> | undefined)?.[k], o);

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
            { name: "intersystems-pull-secret" },
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
        assert.deepStrictEqual(spec.licenseKeySecret, { name: "prod-license" });
        // Pulumi-named, so a CPF change is a new ConfigMap the IrisCluster then names.
        assert.deepStrictEqual(spec.configSource, { name: "iris-iris-prod-cpf-4a7c9e1f" });
        assert.strictEqual(
            get(recording.get(T.configMap, "iris-iris-prod-cpf").inputs, "metadata", "name"),
            undefined,
        );
        assert.deepStrictEqual(spec.imagePullSecrets, [{ name: "intersystems-pull-secret" }]);
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
        assert.deepStrictEqual(wg.loginSecret, { name: "prod-webgateway-login" });
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
            secret: { secretName: "lic-license" },
        });
        assert.deepStrictEqual(pod.imagePullSecrets, [{ name: "intersystems-pull-secret" }]);
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

async function runWithHash(hash: string) {
    return runProgram(() => {
        const config = parseConfig(
            { cluster: { provider: "existing" }, iris: { instances: [{ name: "iris" }] } },
            {
                kubeconfig: pulumi.secret(testSecrets.kubeconfig),
                irisPasswordHash: pulumi.secret(hash),
            },
        );
        const cluster = new ExistingCluster("c", {
            clusterName: "c",
            kubernetesVersion: "1.35",
            kubeconfig: config.secrets.kubeconfig,
        });
        return new IrisLayer(
            "iris",
            {
                iko: config.iko,
                iris: config.iris,
                secrets: config.secrets,
                storageClassName: "standard",
                storageReady: [],
                routingReady: [],
            },
            { provider: cluster.k8sProvider },
        );
    });
}
