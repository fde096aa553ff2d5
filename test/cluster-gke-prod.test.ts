/**
 * The GkeCluster component under mocks: prod-like config, an existing network, and its pure helpers.
 */
import * as assert from "assert";
import { initialNodesPerZone, nodeServiceAccountId } from "../components/cluster/gke";
import { gkeKubeconfig } from "../components/cluster/kubeconfig";
import { type Recording } from "./mocks";
import { T, dev, prod, build, one } from "./cluster-gke-fixtures";

describe("GKE cluster: prod-like config", function () {
    let recording: Recording;
    before(async function () {
        ({ recording } = await build(prod));
    });

    it("protects the cluster from deletion and pins the STABLE channel and the configured version", function () {
        const c = one(recording, T.cluster).inputs;
        assert.strictEqual(c.deletionProtection, true);
        assert.deepStrictEqual(c.releaseChannel, { channel: "STABLE" });
        assert.strictEqual(c.minMasterVersion, "1.34");
    });

    it("makes nodes private behind authorized networks, with Cloud NAT for egress", function () {
        const c = one(recording, T.cluster);
        assert.deepStrictEqual(c.inputs.privateClusterConfig, {
            enablePrivateNodes: true,
            enablePrivateEndpoint: false,
            masterIpv4CidrBlock: "172.16.0.0/28",
        });
        assert.deepStrictEqual(c.inputs.masterAuthorizedNetworksConfig, {
            cidrBlocks: [{ cidrBlock: "203.0.113.0/24", displayName: "authorized-0" }],
        });
        assert.ok(
            recording.dependsOn(c, one(recording, T.nat)),
            "nodes must not boot before NAT exists",
        );
        const fw = one(recording, T.firewall).inputs;
        assert.deepStrictEqual(fw.sourceRanges, ["172.16.0.0/28"]);
    });

    it("spreads the pool over the configured zones with total min/max", function () {
        const pool = one(recording, T.nodePool).inputs;
        assert.deepStrictEqual(pool.nodeLocations, [
            "europe-west1-b",
            "europe-west1-c",
            "europe-west1-d",
        ]);
        assert.deepStrictEqual(pool.autoscaling, {
            totalMinNodeCount: 3,
            totalMaxNodeCount: 9,
            locationPolicy: "BALANCED",
        });
        assert.strictEqual(pool.initialNodeCount, 1);
        const cfg = pool.nodeConfig as Record<string, unknown>;
        assert.deepStrictEqual(
            {
                image: cfg.imageType,
                machine: cfg.machineType,
                disk: cfg.diskSizeGb,
                type: cfg.diskType,
            },
            { image: "UBUNTU_CONTAINERD", machine: "n2-standard-8", disk: 200, type: "pd-ssd" },
        );
    });

    it("still reserves the address independently of the cluster and the network", function () {
        const address = one(recording, T.address);
        for (const t of [T.cluster, T.nodePool, T.nat, T.network])
            assert.strictEqual(recording.dependsOn(address, one(recording, t)), false, t);
    });
});

describe("GKE cluster: existing network", function () {
    it("creates no network and lets GKE make the secondary ranges from the CIDRs", async function () {
        const { recording } = await build({
            ...dev,
            gke: { ...dev.gke, network: { name: "shared-vpc", subnetwork: "gke-subnet" } },
        });
        assert.strictEqual(recording.has(T.network) || recording.has(T.subnet), false);
        const c = one(recording, T.cluster).inputs;
        assert.deepStrictEqual(
            { network: c.network, subnetwork: c.subnetwork },
            { network: "shared-vpc", subnetwork: "gke-subnet" },
        );
        assert.deepStrictEqual(c.ipAllocationPolicy, {
            clusterIpv4CidrBlock: "10.20.0.0/14",
            servicesIpv4CidrBlock: "10.24.0.0/20",
        });
    });

    it("uses named secondary ranges when given", async function () {
        const network = {
            name: "shared-vpc",
            subnetwork: "gke-subnet",
            podsRangeName: "gke-pods",
            servicesRangeName: "gke-svc",
        };
        const { recording } = await build({ ...dev, gke: { ...dev.gke, network } });
        assert.deepStrictEqual(one(recording, T.cluster).inputs.ipAllocationPolicy, {
            clusterSecondaryRangeName: "gke-pods",
            servicesSecondaryRangeName: "gke-svc",
        });
    });
});

describe("GKE helpers", function () {
    it("starts each zone with enough nodes for the total minimum", function () {
        assert.deepStrictEqual(
            [
                initialNodesPerZone(0, 3),
                initialNodesPerZone(3, 3),
                initialNodesPerZone(4, 3),
                initialNodesPerZone(2, 1),
            ],
            [1, 1, 2, 2],
        );
    });

    it("keeps the node service-account id within GCP's 6-30 characters", function () {
        const long = nodeServiceAccountId("a-very-long-cluster-name-for-production");
        assert.ok(long.length <= 30 && /^[a-z][-a-z0-9]*[a-z0-9]$/.test(long), long);
        assert.strictEqual(nodeServiceAccountId("iris"), "iris-nodes");
    });

    it("refuses to build a kubeconfig without endpoint or CA", function () {
        assert.throws(
            () => gkeKubeconfig({ contextName: "c", endpoint: "", caCertificateBase64: "x" }),
            /endpoint is empty/,
        );
        assert.throws(
            () => gkeKubeconfig({ contextName: "c", endpoint: "1.2.3.4", caCertificateBase64: "" }),
            /CA certificate is empty/,
        );
    });
});
