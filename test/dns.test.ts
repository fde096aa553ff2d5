/**
 * DNS records on Cloud DNS, Azure DNS and Route53: record names per backend,
 * the zone and explicit provider, the reserved address as data, and no
 * dependency on the cluster (records propagate while the cluster builds).
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { Ingress } from "../components/addons/ingress";
import { DnsRecords, recordName, type DnsZone } from "../components/dns";
import { Platform } from "../components/platform";
import { parseConfig } from "../config";
import { runProgram, valueOf, type Recording } from "./mocks";
import {
    fakeCluster,
    fakeStates,
    fakeTypes,
    reservedIp,
    type FakeCloud,
} from "./networking-fixtures";
import { testSecrets } from "./stack-files";

const types = {
    gcp: "gcp:dns/recordSet:RecordSet",
    azure: "azure-native:dns:RecordSet",
    aws: "aws:route53/record:Record",
};
const hosts = ["iris.example.com", "portal.example.com"];

describe("DNS record names", function () {
    it("Cloud DNS: absolute with a trailing dot", function () {
        assert.strictEqual(recordName({ cloud: "gcp" }, "iris.example.com"), "iris.example.com.");
    });
    it("Azure DNS: relative to the zone, @ for the apex, refuses names outside it", function () {
        assert.strictEqual(
            recordName({ cloud: "azure", zoneName: "example.com" }, "iris.dev.example.com"),
            "iris.dev",
        );
        assert.strictEqual(
            recordName({ cloud: "azure", zoneName: "example.com" }, "example.com"),
            "@",
        );
        assert.throws(
            () => recordName({ cloud: "azure", zoneName: "example.com" }, "iris.example.org"),
            /not inside Azure DNS zone example.com/,
        );
    });
    it("Route53: the plain FQDN", function () {
        assert.strictEqual(recordName({ cloud: "aws" }, "iris.example.com"), "iris.example.com");
    });
});

/** DNS records (and an ingress controller beside them) on a fake cluster of `cloud`. */
async function build(cloud: FakeCloud): Promise<Recording> {
    const { recording } = await runProgram(
        () => {
            const { cluster } = fakeCluster(cloud);
            const ctx = cluster.cloud;
            let zone: DnsZone;
            if (ctx.cloud === "gcp") zone = { cloud: "gcp", managedZone: "example-com" };
            else if (ctx.cloud === "azure")
                zone = { cloud: "azure", zoneName: "example.com", resourceGroupName: "dns-rg" };
            else if (ctx.cloud === "aws") zone = { cloud: "aws", hostedZoneId: "Z123" };
            else throw new Error("fake clusters have a cloud");
            const endpoint = cluster.ingress;
            if (!endpoint) throw new Error("fake clusters reserve an address");
            // As in the platform: the controller waits for the cluster; the records must not.
            new Ingress(
                "ing",
                {
                    endpoint,
                    controller: "nginx-ingress",
                    replicas: 1,
                    defaultClass: true,
                    exposeSuperserver: false,
                },
                { provider: cluster.k8sProvider, dependsOn: cluster.readiness },
            );
            new DnsRecords(
                "dns",
                { zone, hostnames: [...hosts, hosts[0]], addresses: endpoint.addresses, ttl: 300 },
                { provider: ctx.provider },
            );
        },
        { states: fakeStates },
    );
    return recording;
}

for (const cloud of ["gcp", "azure", "aws"] as const) {
    describe(`DnsRecords on ${cloud}`, function () {
        let r: Recording;
        before(async function () {
            r = await build(cloud);
        });

        it("creates one A record per distinct hostname in the zone, with the cloud's explicit provider", function () {
            const records = r.ofType(types[cloud]);
            assert.deepStrictEqual(records.map((x) => x.name).sort(), [
                "dns-iris-example-com",
                "dns-portal-example-com",
            ]);
            for (const rec of records) assert.strictEqual(r.providerOf(rec)?.name, cloud);
            const rec = r.get(types[cloud], "dns-iris-example-com");
            const i = rec.inputs;
            if (cloud === "gcp") {
                assert.deepStrictEqual(
                    [i.managedZone, i.name, i.type, i.rrdatas, i.ttl],
                    ["example-com", "iris.example.com.", "A", [reservedIp], 300],
                );
            } else if (cloud === "azure") {
                assert.deepStrictEqual(
                    [
                        i.resourceGroupName,
                        i.zoneName,
                        i.relativeRecordSetName,
                        i.recordType,
                        i.aRecords,
                    ],
                    ["dns-rg", "example.com", "iris", "A", [{ ipv4Address: reservedIp }]],
                );
            } else {
                assert.deepStrictEqual(
                    [i.zoneId, i.name, i.type, i.records],
                    ["Z123", "iris.example.com", "A", [reservedIp]],
                );
            }
        });

        it("depends on the reserved address only: not on the cluster, its provider or the ingress controller", function () {
            const cluster = r.ofType(fakeTypes.cluster)[0];
            for (const rec of r.ofType(types[cloud])) {
                assert.ok(
                    r.dependsOn(rec, r.ofType(fakeTypes.address)[0]),
                    "fed by the reserved address",
                );
                assert.strictEqual(
                    r.dependsOn(rec, cluster),
                    false,
                    `${rec.name} waits for the cluster`,
                );
                assert.strictEqual(
                    r.dependsOn(rec, r.get("iris-platform:addons:Ingress", "ing")),
                    false,
                    `${rec.name} waits for the Service`,
                );
            }
            // Sanity check of the probe itself: the ingress controller does wait for the cluster.
            assert.ok(r.dependsOn(r.get("kubernetes:helm.sh/v3:Release", "ing-release"), cluster));
        });
    });
}

describe("DNS through the platform (existing cluster, Route53 zone)", function () {
    it("points every IRIS host and dns.hostnames at dns.address, without waiting for the cluster", async function () {
        const config = parseConfig(
            {
                cluster: { provider: "existing", name: "lab" },
                longhorn: { enabled: false },
                dns: {
                    enabled: true,
                    provider: "aws",
                    zone: "Z123",
                    domain: "example.com",
                    address: "198.51.100.7",
                    hostnames: ["api.example.com"],
                },
                iris: {
                    storageClassName: "standard",
                    instances: [{ name: "iris", host: "iris.example.com" }],
                },
            },
            {
                kubeconfig: pulumi.secret(testSecrets.kubeconfig),
                irisPassword: pulumi.secret("pw"),
            },
        );
        const { recording: r, result } = await runProgram(() => new Platform("p", { config }));
        const records = r.ofType(types.aws);
        assert.deepStrictEqual(records.map((x) => x.inputs.name).sort(), [
            "api.example.com",
            "iris.example.com",
        ]);
        const cluster = r.get("iris-platform:cluster:ExistingCluster", "p-cluster");
        for (const rec of records) {
            assert.deepStrictEqual(rec.inputs.records, ["198.51.100.7"]);
            assert.strictEqual(r.dependsOn(rec, cluster), false);
            assert.strictEqual(r.providerOf(rec)?.type, "pulumi:providers:aws");
        }
        assert.ok(result.ingressAddress, "the named address is an output");
        assert.strictEqual(await valueOf(result.ingressAddress), "198.51.100.7");
    });

    it("makes no records when DNS is off", async function () {
        const config = parseConfig(
            {
                cluster: { provider: "existing", existing: { ingressAddress: "198.51.100.7" } },
                longhorn: { enabled: false },
                iris: { storageClassName: "standard" },
            },
            { kubeconfig: pulumi.secret(testSecrets.kubeconfig) },
        );
        const { recording } = await runProgram(() => new Platform("p", { config }));
        assert.deepStrictEqual(
            recording.resources.filter((x) => x.type.startsWith("iris-platform:dns:")),
            [],
        );
    });

    it("exports no ingress address where an existing cluster has none (no undefined stack output)", async function () {
        const config = parseConfig(
            {
                cluster: { provider: "existing" },
                longhorn: { enabled: false },
                iris: { storageClassName: "standard" },
            },
            { kubeconfig: pulumi.secret(testSecrets.kubeconfig) },
        );
        const { result } = await runProgram(() => new Platform("p", { config }));
        assert.strictEqual(result.ingressAddress, undefined);
    });
});
