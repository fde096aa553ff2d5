/**
 * Builds the IRIS layer under mocks on a fake existing cluster with a hand-made
 * add-ons result (markers for what each object may wait for), and checks shared
 * by its tests.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as corev1 from "@pulumi/kubernetes/core/v1";
import { parseConfig, type SecretKey } from "../config";
import { ExistingCluster } from "../components/cluster/existing";
import { sourceFrom } from "../components/chart-sources";
import { IrisLayer } from "../components/iris";
import { irisBackups } from "../components/iris/args";
import { acmeIngressAnnotations } from "../components/addons/cert-manager-issuers";
import { stackBackupSets } from "./rules-input";
import { irisPasswordHash } from "../components/iris/password-hash";
import { isSecretValue, runProgram, type Recording } from "./mocks";
import { testSecrets } from "./stack-files";

export const T = {
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
export const licensed = "containers.intersystems.com/intersystems/iris:2025.1";

export async function build(plain: Record<string, unknown>, secretNames: SecretKey[]) {
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
                certificateAnnotations: acmeIngressAnnotations("letsencrypt-prod"),
                ingressClassName: "nginx",
                ikoChart: config.iko.chart.path
                    ? sourceFrom(config.iko.chart, config.iko.chart.name, config.iko.chart.version)
                    : undefined,
                storageReady: [storageReady],
                routingReady: [routingReady],
                backups: irisBackups(config, stackBackupSets(config)),
            },
            { provider: cluster.k8sProvider, dependsOn: [clusterReady] },
        );
    });
}

/** Everything but Secrets and providers: no secret value may appear in their inputs. */
export function assertNoSecretsOutsideSecrets(recording: Recording): void {
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
export function assertPasswordHash(cpf: string): void {
    const m = /PasswordHash=([0-9a-f]+),([0-9a-f]+),10000,SHA512/.exec(cpf);
    assert.ok(m, `no PasswordHash in ${cpf}`);
    assert.strictEqual(m[2].length, 128, "salt is 64 bytes");
    assert.strictEqual(
        `${m[1]},${m[2]},10000,SHA512`,
        irisPasswordHash(testSecrets.irisPassword, m[2]),
    );
}

export const get = (o: unknown, ...keys: (string | number)[]): unknown =>
    keys.reduce<unknown>((v, k) => (v as Record<string | number, unknown> | undefined)?.[k], o);

export async function runWithHash(hash: string) {
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
