/**
 * GKE and AKS config: the defaults a small stack relies on, and one clear error
 * (naming the key) per kind of bad cluster input.
 */
import * as assert from "assert";
import { parseConfig } from "../config";
import { problemsOf, rejectsKey } from "./config-helpers";

const subscriptionId = "0b1c2d3e-4f50-4617-8283-94a5b6c7d8e9";

function gke(
    over: Record<string, unknown> = {},
    top: Record<string, unknown> = {},
): Record<string, unknown> {
    return {
        cluster: {
            provider: "gke",
            ...top,
            gke: { project: "my-project", region: "europe-west1", ...over },
        },
    };
}
function aks(
    over: Record<string, unknown> = {},
    top: Record<string, unknown> = {},
): Record<string, unknown> {
    return {
        cluster: {
            provider: "aks",
            ...top,
            aks: { subscriptionId, location: "westeurope", ...over },
        },
    };
}

describe("config: GKE cluster", function () {
    it("defaults to an own VPC, public nodes, REGULAR channel and no deletion protection", function () {
        const c = parseConfig(gke()).cluster;
        assert.strictEqual(c.provider, "gke");
        if (c.provider !== "gke") return;
        assert.deepStrictEqual(
            {
                network: c.gke.network,
                privateNodes: c.gke.privateNodes,
                channel: c.gke.releaseChannel,
                protect: c.gke.deletionProtection,
                zones: c.gke.zones,
            },
            {
                network: undefined,
                privateNodes: false,
                channel: "REGULAR",
                protect: false,
                zones: [],
            },
        );
    });

    it("accepts zones of the region and an existing network with named ranges", function () {
        const c = parseConfig(
            gke({
                zones: ["europe-west1-b", "europe-west1-c"],
                network: {
                    name: "shared",
                    subnetwork: "gke",
                    podsRangeName: "p",
                    servicesRangeName: "s",
                },
            }),
        ).cluster;
        assert.ok(c.provider === "gke" && c.gke.network?.podsRangeName === "p");
    });

    it("requires the project", function () {
        rejectsKey(gke({ project: undefined }), "cluster.gke.project", /is required/);
        rejectsKey(gke({ project: "" }), "cluster.gke.project", /is required: the GCP project id/);
    });

    it("requires a region that looks like one", function () {
        rejectsKey(gke({ region: undefined }), "cluster.gke.region", /is required/);
        rejectsKey(
            gke({ region: "europe-west1-b" }),
            "cluster.gke.region",
            /must be a GCP region such as europe-west1 \(got "europe-west1-b"\)/,
        );
    });

    it("rejects zones outside the region, including look-alike regions", function () {
        rejectsKey(
            gke({ zones: ["us-central1-a"] }),
            "cluster.gke.zones[0]",
            /is not a zone of region europe-west1/,
        );
        rejectsKey(
            gke({ zones: ["europe-west1-b", "europe-west10-a"] }),
            "cluster.gke.zones[1]",
            /is not a zone of region europe-west1 .*got "europe-west10-a"/,
        );
    });

    it("rejects a repeated zone", function () {
        rejectsKey(
            gke({ zones: ["europe-west1-b", "europe-west1-b"] }),
            "cluster.gke.zones",
            /must not repeat a zone/,
        );
    });

    it("needs both secondary range names of an existing network, or neither", function () {
        rejectsKey(
            gke({ network: { name: "n", subnetwork: "s", podsRangeName: "pods" } }),
            "cluster.gke.network.servicesRangeName",
            /is required when/,
        );
    });

    it("needs a /28 control-plane range for private nodes", function () {
        rejectsKey(
            gke({ privateNodes: true, masterIpv4CidrBlock: "172.16.0.0/24" }),
            "cluster.gke.masterIpv4CidrBlock",
            /must be a \/28 for private nodes/,
        );
    });

    it("rejects a master authorized network that is not a CIDR", function () {
        rejectsKey(
            gke({ masterAuthorizedNetworks: ["203.0.113.5"] }),
            "cluster.gke.masterAuthorizedNetworks[0]",
            /must be an IPv4 CIDR/,
        );
    });

    it("rejects an unknown disk type and an unknown key", function () {
        rejectsKey(
            gke({ diskType: "hyperdisk" }),
            "cluster.gke.diskType",
            /must be one of pd-standard, pd-balanced, pd-ssd/,
        );
        rejectsKey(
            gke({ deletionProtecton: true }),
            "cluster.gke",
            /unknown key\(s\) deletionProtecton/,
        );
    });

    it("rejects minNodes above maxNodes", function () {
        rejectsKey(
            gke({}, { nodePool: { minNodes: 5, maxNodes: 3 } }),
            "cluster.nodePool.minNodes",
            /must be <= maxNodes \(3\) \(got 5\)/,
        );
    });
});

describe("config: AKS cluster", function () {
    it("defaults to Azure CNI overlay, one system node, the Free tier and <name>-rg", function () {
        const c = parseConfig(aks()).cluster;
        assert.ok(c.provider === "aks");
        if (c.provider !== "aks") return;
        assert.deepStrictEqual(
            {
                plugin: c.aks.networkPlugin,
                system: c.aks.systemPool,
                tier: c.aks.tier,
                rg: c.aks.resourceGroupName,
            },
            {
                plugin: "azure-overlay",
                system: { vmSize: "Standard_D2s_v5", count: 1 },
                tier: "Free",
                rg: undefined,
            },
        );
    });

    it("requires the subscription id, as a UUID", function () {
        rejectsKey(aks({ subscriptionId: undefined }), "cluster.aks.subscriptionId", /is required/);
        rejectsKey(
            aks({ subscriptionId: "my-subscription" }),
            "cluster.aks.subscriptionId",
            /must be the Azure subscription id \(a UUID\)/,
        );
    });

    it("requires the location", function () {
        rejectsKey(aks({ location: undefined }), "cluster.aks.location", /is required/);
        rejectsKey(
            aks({ location: "West Europe" }),
            "cluster.aks.location",
            /must be an Azure location such as westeurope/,
        );
    });

    it("rejects zones Azure does not have, and repeated zones", function () {
        rejectsKey(aks({ zones: ["1", "4"] }), "cluster.aks.zones[1]", /must be one of 1, 2, 3/);
        rejectsKey(aks({ zones: ["1", "1"] }), "cluster.aks.zones", /must not repeat a zone/);
    });

    it("rejects a DNS service IP outside the service CIDR", function () {
        rejectsKey(
            aks({ serviceCidr: "10.0.0.0/16", dnsServiceIp: "10.1.0.10" }),
            "cluster.aks.dnsServiceIp",
            /must lie inside serviceCidr 10.0.0.0\/16/,
        );
    });

    it("rejects an unknown network plugin and a bad authorized range", function () {
        rejectsKey(
            aks({ networkPlugin: "azure" }),
            "cluster.aks.networkPlugin",
            /must be one of azure-overlay, kubenet/,
        );
        rejectsKey(
            aks({ apiServerAuthorizedIpRanges: ["office"] }),
            "cluster.aks.apiServerAuthorizedIpRanges[0]",
            /must be an IPv4 CIDR/,
        );
    });

    it("rejects minNodes above maxNodes and a system pool of 0", function () {
        rejectsKey(
            aks({}, { nodePool: { minNodes: 4, maxNodes: 2 } }),
            "cluster.nodePool.minNodes",
            /must be <= maxNodes \(2\)/,
        );
        rejectsKey(aks({ systemPool: { count: 0 } }), "cluster.aks.systemPool.count", /got 0/);
    });

    it("rejects a provider-specific section on the wrong provider", function () {
        const found = problemsOf({
            cluster: { provider: "aks", gke: { project: "p", region: "europe-west1" } },
        });
        assert.ok(
            found.some((l) => l.startsWith("iris-platform:cluster: unknown key(s) gke")),
            found.join("\n"),
        );
        assert.ok(
            found.some((l) => l.startsWith("iris-platform:cluster.aks: is required")),
            found.join("\n"),
        );
    });
});

describe("config: network ranges on GKE and AKS (as on AWS)", function () {
    it("GKE: subnet, pod, service and control-plane ranges must not overlap", function () {
        rejectsKey(
            gke({ podsCidr: "10.10.0.0/16" }),
            "cluster.gke.podsCidr",
            /overlaps subnetCidr \(10\.10\.0\.0\/20\)/,
        );
        rejectsKey(
            gke({ servicesCidr: "10.20.0.0/20" }),
            "cluster.gke.servicesCidr",
            /overlaps podsCidr \(10\.20\.0\.0\/14\)/,
        );
        rejectsKey(
            gke({ privateNodes: true, masterIpv4CidrBlock: "10.10.0.16/28" }),
            "cluster.gke.masterIpv4CidrBlock",
            /overlaps subnetCidr/,
        );
        rejectsKey(
            gke({ subnetCidr: "10.10.0.1/20" }),
            "cluster.gke.subnetCidr",
            /has host bits set/,
        );
    });

    it("GKE: ranges the cluster does not use are not checked (existing network, named secondary ranges)", function () {
        const network = {
            name: "vpc",
            subnetwork: "sub",
            podsRangeName: "p",
            servicesRangeName: "s",
        };
        assert.deepStrictEqual(problemsOf(gke({ network, podsCidr: "10.10.0.0/16" })), []);
        assert.deepStrictEqual(
            problemsOf(gke({ masterIpv4CidrBlock: "10.10.0.16/28" })),
            [],
            "public nodes use no control-plane range",
        );
    });

    it("AKS: pod and service ranges must not overlap each other or the managed node network", function () {
        rejectsKey(
            aks({ podCidr: "10.224.0.0/16" }),
            "cluster.aks.podCidr",
            /overlaps the AKS managed node network \(10\.224\.0\.0\/12\)/,
        );
        rejectsKey(
            aks({ serviceCidr: "192.168.0.0/20", dnsServiceIp: "192.168.0.10" }),
            "cluster.aks.serviceCidr",
            /overlaps podCidr \(192\.168\.0\.0\/16\)/,
        );
        assert.deepStrictEqual(problemsOf(aks()), []);
    });
});
