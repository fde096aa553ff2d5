/**
 * Config errors of the ingress, certManager and dns sections: each names the
 * key to change, the bad value and what is allowed.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { parseConfig, type Secrets } from "../config";
import { rejects } from "./config-helpers";

const gke = { provider: "gke", gke: { project: "p", region: "europe-west1" } };
const aks = {
    provider: "aks",
    aks: { subscriptionId: "6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f", location: "westeurope" },
};
const existing = { provider: "existing" };
const kubeconfig: Secrets = { kubeconfig: pulumi.secret("k") };

describe("config: ingress, certManager, dns", function () {
    it("defaults: F5 controller, default class, LoadBalancer, staging issuer, DNS off", function () {
        const c = parseConfig({ cluster: gke });
        assert.deepStrictEqual(
            [
                c.ingress.controller,
                c.ingress.defaultClass,
                c.ingress.serviceType,
                c.ingress.exposeSuperserver,
                c.certManager.issuer,
                c.dns.enabled,
            ],
            ["nginx-ingress", true, "LoadBalancer", false, "letsencrypt-staging", false],
        );
    });

    it("rejects an unknown controller, naming the allowed ones", function () {
        rejects(
            { cluster: gke, ingress: { controller: "traefik" } },
            {},
            /^iris-platform:ingress\.controller: must be one of nginx-ingress, ingress-nginx \(got "traefik"\)/,
        );
    });

    it("DNS on without a zone", function () {
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

    it("accepts the production issuer with an email, and staging without one", function () {
        assert.strictEqual(
            parseConfig({
                cluster: gke,
                certManager: { issuer: "letsencrypt-prod", email: "ops@example.com" },
            }).certManager.issuer,
            "letsencrypt-prod",
        );
        assert.strictEqual(parseConfig({ cluster: gke }).certManager.email, undefined);
    });

    it("DNS on with ingress off", function () {
        rejects(
            { cluster: gke, ingress: { enabled: false }, dns: { enabled: true, zone: "z" } },
            {},
            /^iris-platform:dns\.enabled: needs ingress\.enabled/,
        );
    });

    it("DNS with a NodePort controller and no explicit address", function () {
        rejects(
            {
                cluster: gke,
                ingress: { serviceType: "NodePort" },
                dns: { enabled: true, zone: "z" },
            },
            {},
            /^iris-platform:ingress\.serviceType: leaves the reserved address unused/,
        );
    });

    it("existing cluster DNS without a provider", function () {
        rejects(
            { cluster: existing, dns: { enabled: true, zone: "Z1", address: "198.51.100.7" } },
            kubeconfig,
            /^iris-platform:dns\.provider: is required for an existing cluster: one of gcp, azure, aws/,
        );
    });

    it("existing cluster DNS without an address", function () {
        rejects(
            { cluster: existing, dns: { enabled: true, provider: "aws", zone: "Z1" } },
            kubeconfig,
            /^iris-platform:dns\.address: is required for an existing cluster \(or set cluster\.existing\.ingressAddress\)/,
        );
    });

    it("existing cluster DNS accepts cluster.existing.ingressAddress instead of dns.address", function () {
        const c = parseConfig(
            {
                cluster: { provider: "existing", existing: { ingressAddress: "198.51.100.7" } },
                dns: { enabled: true, provider: "aws", zone: "Z1" },
            },
            kubeconfig,
        );
        assert.strictEqual(c.dns.enabled, true);
    });

    it("Azure DNS without a resource group", function () {
        rejects(
            { cluster: aks, dns: { enabled: true, zone: "example.com" } },
            {},
            /^iris-platform:dns\.resourceGroupName: is required for Azure DNS/,
        );
    });

    it("Cloud DNS outside GKE without a project, Azure DNS outside AKS without a subscription", function () {
        rejects(
            { cluster: aks, dns: { enabled: true, provider: "gcp", zone: "z" } },
            {},
            /^iris-platform:dns\.project: is required for Cloud DNS outside GKE/,
        );
        rejects(
            {
                cluster: gke,
                dns: {
                    enabled: true,
                    provider: "azure",
                    zone: "example.com",
                    resourceGroupName: "rg",
                },
            },
            {},
            /^iris-platform:dns\.subscriptionId: is required for Azure DNS outside AKS/,
        );
    });

    it("a hostname outside the zone's domain (dns.hostnames and IRIS hosts)", function () {
        const dns = { enabled: true, zone: "example-com", domain: "example.com" };
        rejects(
            { cluster: gke, dns: { ...dns, hostnames: ["api.example.org"] } },
            {},
            /^iris-platform:dns\.hostnames\[0\]: is not inside the zone's domain example\.com \(got "api\.example\.org"\)/,
        );
        rejects(
            {
                cluster: gke,
                dns,
                iris: { instances: [{ name: "iris", host: "iris.example.net" }] },
            },
            { irisPassword: pulumi.secret("pw") },
            /^iris-platform:iris\.instances\[0\]\.host: is not inside the DNS zone's domain example\.com/,
        );
        // A look-alike suffix is not inside the domain.
        rejects(
            { cluster: gke, dns: { ...dns, hostnames: ["badexample.com"] } },
            {},
            /dns\.hostnames\[0\]: is not inside/,
        );
    });

    it("Azure DNS: the zone name is the domain; a different dns.domain is refused", function () {
        const base = { enabled: true, zone: "example.com", resourceGroupName: "rg" };
        rejects(
            { cluster: aks, dns: { ...base, hostnames: ["iris.example.org"] } },
            {},
            /dns\.hostnames\[0\]: is not inside the zone's domain example\.com/,
        );
        rejects(
            { cluster: aks, dns: { ...base, domain: "other.com" } },
            {},
            /^iris-platform:dns\.domain: must equal dns\.zone \(example\.com\) for Azure DNS/,
        );
    });

    it("rejects a malformed address and a too-short TTL", function () {
        rejects(
            { cluster: gke, dns: { address: "1.2.3" } },
            {},
            /^iris-platform:dns\.address: must be an IPv4 address/,
        );
        rejects({ cluster: gke, dns: { ttl: 5 } }, {}, /^iris-platform:dns\.ttl: /);
    });
});
