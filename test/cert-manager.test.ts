/**
 * cert-manager: the pinned chart with its CRDs, the two Let's Encrypt
 * ClusterIssuers (HTTP-01) waiting for the chart's webhook, the refusal of the
 * removed DNS-01 option, and which issuer each stack's IRIS ingresses use.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { CertManager } from "../components/addons/cert-manager";
import {
    acmeServers,
    certManagerValues,
    clusterIssuerSpec,
} from "../components/addons/cert-manager-issuers";
import { parseConfig } from "../config";
import { charts } from "../versions";
import { loadStackFile } from "./stack-files";
import { runProgram } from "./mocks";
import { fakeCluster, fakeStates } from "./networking-fixtures";
import { chartValues, unknownValuesKeys } from "./values-keys";
import * as yaml from "js-yaml";

const releaseType = "kubernetes:helm.sh/v3:Release";
const issuerType = "kubernetes:cert-manager.io/v1:ClusterIssuer";
type Acme = {
    server: string;
    email?: string;
    privateKeySecretRef: { name: string };
    solvers: Record<string, unknown>[];
};

describe("cert-manager values and issuers", function () {
    it("installs the CRDs with the chart (crds.enabled) using only upstream keys", function () {
        assert.deepStrictEqual(certManagerValues(), { crds: { enabled: true, keep: true } });
        assert.deepStrictEqual(
            unknownValuesKeys(certManagerValues(), chartValues("cert-manager-v1.21.1")),
            [],
        );
    });

    it("staging and production issuers use the ACME v2 directories and an HTTP-01 solver on class nginx", function () {
        for (const name of ["letsencrypt-staging", "letsencrypt-prod"] as const) {
            const acme = clusterIssuerSpec({
                name,
                email: "ops@example.com",
                ingressClassName: "nginx",
            }).acme as Acme;
            assert.strictEqual(acme.server, acmeServers[name]);
            assert.strictEqual(acme.email, "ops@example.com");
            assert.strictEqual(acme.privateKeySecretRef.name, `${name}-account-key`);
            assert.deepStrictEqual(acme.solvers, [
                { http01: { ingress: { ingressClassName: "nginx" } } },
            ]);
        }
        assert.strictEqual(
            acmeServers["letsencrypt-prod"],
            "https://acme-v02.api.letsencrypt.org/directory",
        );
        assert.strictEqual(
            acmeServers["letsencrypt-staging"],
            "https://acme-staging-v02.api.letsencrypt.org/directory",
        );
    });

    it("refuses the removed certManager.dns01 by name, saying why and what to do", function () {
        const cluster = { provider: "gke", gke: { project: "proj", region: "europe-west1" } };
        assert.throws(
            () =>
                parseConfig({
                    cluster,
                    certManager: {
                        dns01: true,
                        azureIdentityClientId: "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
                    },
                }),
            (err: Error) =>
                /iris-platform:certManager\.dns01: was removed: its solvers had no credentials on any cloud .*HTTP-01/.test(
                    err.message,
                ) &&
                /iris-platform:certManager\.azureIdentityClientId: was removed together with certManager\.dns01/.test(
                    err.message,
                ),
        );
    });
});

describe("CertManager component", function () {
    it("installs the pinned chart in cert-manager and creates both ClusterIssuers after the Release", async function () {
        const { recording, result } = await runProgram(
            () => {
                const { cluster } = fakeCluster("gcp");
                return new CertManager(
                    "cm",
                    {
                        ingressClassName: "nginx",
                        issuer: "letsencrypt-prod",
                        email: "ops@example.com",
                    },
                    { provider: cluster.k8sProvider },
                );
            },
            { states: fakeStates },
        );
        const release = recording.get(releaseType, "cm-release");
        assert.deepStrictEqual(
            {
                chart: release.inputs.chart,
                version: release.inputs.version,
                repo: (release.inputs.repositoryOpts as { repo: string }).repo,
                ns: release.inputs.namespace,
            },
            {
                chart: "cert-manager",
                version: "v1.21.1",
                repo: "https://charts.jetstack.io",
                ns: "cert-manager",
            },
        );
        assert.strictEqual(charts.certManager.version, "v1.21.1");
        assert.ok(!release.inputs.skipAwait, "Release must wait for the webhook to serve");
        const issuers = recording.ofType(issuerType);
        assert.deepStrictEqual(
            issuers.map((i) => (i.inputs.metadata as { name: string }).name).sort(),
            ["letsencrypt-prod", "letsencrypt-staging"],
        );
        for (const issuer of issuers) {
            assert.ok(
                issuer.dependencies.includes(release.urn),
                `${issuer.name} must dependsOn the cert-manager Release`,
            );
            assert.strictEqual(recording.providerOf(issuer)?.name, "gke-k8s");
        }
        assert.strictEqual(result.clusterIssuer, "letsencrypt-prod");
    });
});

describe("issuer choice per stack", function () {
    // The stack files' own choice: staging while iterating (rate limits), production in prod.
    const expected: Record<string, string> = {
        "Pulumi.dev.yaml": "letsencrypt-staging",
        "Pulumi.prod.yaml": "letsencrypt-prod",
        "examples/Pulumi.aks.yaml": "letsencrypt-staging",
        "examples/Pulumi.existing.yaml": "letsencrypt-staging",
    };
    for (const [file, issuer] of Object.entries(expected)) {
        it(`${file} uses ${issuer}`, function () {
            const loaded = loadStackFile(file, []);
            const plain = Object.fromEntries(
                Object.entries(loaded.config)
                    .filter(
                        ([k]) =>
                            k.startsWith("iris-platform:") && !loaded.secretConfigKeys.includes(k),
                    )
                    .map(([k, v]) => [k.replace("iris-platform:", ""), yaml.load(v)]),
            );
            const secrets = {
                irisPassword: pulumi.secret("x"),
                irisLicenseKey: pulumi.secret("x"),
                registryToken: pulumi.secret("x"),
                kubeconfig: pulumi.secret("x"),
                chartRegistryPassword: pulumi.secret("x"),
                webgatewayPassword: pulumi.secret("x"),
                grafanaAdminPassword: pulumi.secret("x"),
                alertSmtpPassword: pulumi.secret("x"),
            };
            assert.strictEqual(parseConfig(plain, secrets).certManager.issuer, issuer);
        });
    }
});
