/**
 * Cluster config rules every cloud applies alike: the API server is never opened to the
 * whole internet (AWS always refused it; GKE and AKS now do too), and AKS's DNS Service
 * address is never one the API server reserves in the Service range.
 */
import * as assert from "assert";
import { parseConfig } from "../config";
import { rejectsKey } from "./config-helpers";

const subscriptionId = "0b1c2d3e-4f50-4617-8283-94a5b6c7d8e9";
const gke = (over: Record<string, unknown>) => ({
    cluster: { provider: "gke", gke: { project: "p", region: "europe-west1", ...over } },
});
const aks = (over: Record<string, unknown>) => ({
    cluster: { provider: "aks", aks: { subscriptionId, location: "westeurope", ...over } },
});
const aws = (over: Record<string, unknown>) => ({
    cluster: {
        provider: "aws",
        nodePool: { machineType: "m6i.xlarge" },
        aws: {
            region: "eu-west-1",
            availabilityZones: ["eu-west-1a", "eu-west-1b"],
            adminCidrs: ["203.0.113.0/24"],
            ...over,
        },
    },
});

describe("config: API server ranges never the whole internet, on every cloud", function () {
    const cases: [string, (v: string[]) => Record<string, unknown>, string][] = [
        ["AWS adminCidrs", (v) => aws({ adminCidrs: v }), "cluster.aws.adminCidrs"],
        [
            "GKE masterAuthorizedNetworks",
            (v) => gke({ masterAuthorizedNetworks: v }),
            "cluster.gke.masterAuthorizedNetworks",
        ],
        [
            "AKS apiServerAuthorizedIpRanges",
            (v) => aks({ apiServerAuthorizedIpRanges: v }),
            "cluster.aks.apiServerAuthorizedIpRanges",
        ],
    ];
    for (const [what, config, key] of cases) {
        it(`${what}: refuses a /0 by its index, accepts a real range`, function () {
            rejectsKey(
                config(["198.51.100.0/24", "0.0.0.0/0"]),
                `${key}[1]`,
                /0\.0\.0\.0\/0.*must not open the API server to the whole internet|must not open the API server to the whole internet/,
            );
            assert.doesNotThrow(() => parseConfig(config(["198.51.100.0/24"])));
        });
    }
});

describe("config: AKS dnsServiceIp is never an address Kubernetes reserves in serviceCidr", function () {
    it("refuses the network address", function () {
        rejectsKey(
            aks({ serviceCidr: "10.0.0.0/16", dnsServiceIp: "10.0.0.0" }),
            "cluster.aks.dnsServiceIp",
            /is the network address of serviceCidr 10\.0\.0\.0\/16: use another address inside it, such as 10\.0\.0\.10/,
        );
    });
    it("refuses the first address (the `kubernetes` Service's ClusterIP)", function () {
        rejectsKey(
            aks({ serviceCidr: "10.0.0.0/16", dnsServiceIp: "10.0.0.1" }),
            "cluster.aks.dnsServiceIp",
            /is the first address \(the `kubernetes` Service's\) of serviceCidr 10\.0\.0\.0\/16/,
        );
    });
    it("refuses the broadcast address", function () {
        rejectsKey(
            aks({ serviceCidr: "10.0.0.0/24", dnsServiceIp: "10.0.0.255" }),
            "cluster.aks.dnsServiceIp",
            /is the broadcast address of serviceCidr 10\.0\.0\.0\/24/,
        );
    });
    it("still refuses an address outside the range, and accepts .2 and the default .10", function () {
        rejectsKey(
            aks({ serviceCidr: "10.0.0.0/16", dnsServiceIp: "10.1.0.10" }),
            "cluster.aks.dnsServiceIp",
            /must lie inside serviceCidr 10\.0\.0\.0\/16/,
        );
        for (const ip of ["10.0.0.2", "10.0.0.10", "10.0.255.254"])
            assert.doesNotThrow(
                () => parseConfig(aks({ serviceCidr: "10.0.0.0/16", dnsServiceIp: ip })),
                ip,
            );
        const c = parseConfig(aks({})).cluster;
        assert.strictEqual(c.provider === "aks" && c.aks.dnsServiceIp, "10.0.0.10");
    });
});
