/**
 * cert-manager: the pinned chart with its CRDs, the two Let's Encrypt
 * ClusterIssuers waiting for the chart's webhook, the optional DNS-01 solver
 * per cloud, and which issuer each stack's IRIS ingresses use.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { CertManager } from "../components/addons/cert-manager";
import { acmeServers, certManagerValues, clusterIssuerSpec, dns01SolverFor } from "../components/addons/cert-manager-issuers";
import { parseConfig } from "../config";
import { charts } from "../versions";
import { loadStackFile } from "./stack-files";
import { runProgram } from "./mocks";
import { fakeCluster, fakeStates } from "./networking-fixtures";
import { chartValues, unknownValuesKeys } from "./values-keys";
import * as yaml from "js-yaml";

const releaseType = "kubernetes:helm.sh/v3:Release";
const issuerType = "kubernetes:cert-manager.io/v1:ClusterIssuer";
type Acme = { server: string; email?: string; privateKeySecretRef: { name: string }; solvers: Record<string, unknown>[] };

describe("cert-manager values and issuers", function () {
    it("installs the CRDs with the chart (crds.enabled) using only upstream keys", function () {
        assert.deepStrictEqual(certManagerValues(), { crds: { enabled: true, keep: true } });
        assert.deepStrictEqual(unknownValuesKeys(certManagerValues(), chartValues("cert-manager-v1.21.1")), []);
    });

    it("staging and production issuers use the ACME v2 directories and an HTTP-01 solver on class nginx", function () {
        for (const name of ["letsencrypt-staging", "letsencrypt-prod"] as const) {
            const acme = clusterIssuerSpec({ name, email: "ops@example.com", ingressClassName: "nginx" }).acme as Acme;
            assert.strictEqual(acme.server, acmeServers[name]);
            assert.strictEqual(acme.email, "ops@example.com");
            assert.strictEqual(acme.privateKeySecretRef.name, `${name}-account-key`);
            assert.deepStrictEqual(acme.solvers, [{ http01: { ingress: { ingressClassName: "nginx" } } }]);
        }
        assert.strictEqual(acmeServers["letsencrypt-prod"], "https://acme-v02.api.letsencrypt.org/directory");
        assert.strictEqual(acmeServers["letsencrypt-staging"], "https://acme-staging-v02.api.letsencrypt.org/directory");
    });

    it("adds a DNS-01 solver restricted to the zone's domain", function () {
        const acme = clusterIssuerSpec({
            name: "letsencrypt-prod",
            ingressClassName: "nginx",
            dns01: { kind: "route53", domain: "example.com", region: "eu-west-1", hostedZoneId: "Z123" },
        }).acme as Acme;
        assert.deepStrictEqual(acme.solvers[1], {
            selector: { dnsZones: ["example.com"] },
            dns01: { route53: { region: "eu-west-1", hostedZoneID: "Z123" } },
        });
    });

    it("derives the DNS-01 solver from each cloud's DNS config", function () {
        const gke = parseConfig({
            cluster: { provider: "gke", gke: { project: "proj", region: "europe-west1" } },
            certManager: { dns01: true },
            dns: { enabled: true, zone: "example-com", domain: "example.com" },
        });
        assert.deepStrictEqual(dns01SolverFor(gke), { kind: "cloudDNS", domain: "example.com", project: "proj" });
        const aks = parseConfig({
            cluster: { provider: "aks", aks: { subscriptionId: "6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f", location: "westeurope" } },
            certManager: { dns01: true, azureIdentityClientId: "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d" },
            dns: { enabled: true, zone: "example.com", resourceGroupName: "dns-rg" },
        });
        assert.deepStrictEqual(dns01SolverFor(aks), {
            kind: "azureDNS",
            domain: "example.com",
            subscriptionId: "6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f",
            resourceGroupName: "dns-rg",
            hostedZoneName: "example.com",
            clientId: "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
        });
        const azureSpec = clusterIssuerSpec({ name: "letsencrypt-prod", ingressClassName: "nginx", dns01: dns01SolverFor(aks) }).acme as Acme;
        assert.deepStrictEqual((azureSpec.solvers[1].dns01 as { azureDNS: { managedIdentity: unknown } }).azureDNS.managedIdentity, {
            clientID: "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
        });
        const off = parseConfig({ cluster: { provider: "gke", gke: { project: "proj", region: "europe-west1" } }, dns: { enabled: true, zone: "z" } });
        assert.strictEqual(dns01SolverFor(off), undefined);
    });
});

describe("CertManager component", function () {
    it("installs the pinned chart in cert-manager and creates both ClusterIssuers after the Release", async function () {
        const { recording, result } = await runProgram(
            () => {
                const { cluster } = fakeCluster("gcp");
                return new CertManager("cm", { k8sProvider: cluster.k8sProvider, ingressClassName: "nginx", issuer: "letsencrypt-prod", email: "ops@example.com" });
            },
            { states: fakeStates },
        );
        const release = recording.get(releaseType, "cm-release");
        assert.deepStrictEqual(
            { chart: release.inputs.chart, version: release.inputs.version, repo: (release.inputs.repositoryOpts as { repo: string }).repo, ns: release.inputs.namespace },
            { chart: "cert-manager", version: "v1.21.1", repo: "https://charts.jetstack.io", ns: "cert-manager" },
        );
        assert.strictEqual(charts.certManager.version, "v1.21.1");
        assert.ok(!release.inputs.skipAwait, "Release must wait for the webhook to serve");
        const issuers = recording.ofType(issuerType);
        assert.deepStrictEqual(issuers.map((i) => (i.inputs.metadata as { name: string }).name).sort(), ["letsencrypt-prod", "letsencrypt-staging"]);
        for (const issuer of issuers) {
            assert.ok(issuer.dependencies.includes(release.urn), `${issuer.name} must dependsOn the cert-manager Release`);
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
                    .filter(([k]) => k.startsWith("iris-platform:") && !loaded.secretConfigKeys.includes(k))
                    .map(([k, v]) => [k.replace("iris-platform:", ""), yaml.load(v)]),
            );
            const secrets = { irisPassword: pulumi.secret("x"), irisLicenseKey: pulumi.secret("x"), registryToken: pulumi.secret("x"), kubeconfig: pulumi.secret("x"), chartRegistryPassword: pulumi.secret("x"), webgatewayPassword: pulumi.secret("x") };
            assert.strictEqual(parseConfig(plain, secrets).certManager.issuer, issuer);
        });
    }
});
