/**
 * The AksCluster component under mocks: prod-like config and its pure helpers.
 */
import * as assert from "assert";
import { aksIngressAnnotations } from "../components/cluster/aks";
import { decodeAksKubeconfig } from "../components/cluster/kubeconfig";
import { type Recording } from "./mocks";
import { T, prod, build, one, Profile } from "./cluster-aks-fixtures";

describe("AKS cluster: prod-like config", function () {
    let recording: Recording;
    before(async function () {
        ({ recording } = await build(prod));
    });

    it("uses the named resource group, the Standard tier and API server authorized ranges", function () {
        assert.strictEqual(one(recording, T.rg).inputs.resourceGroupName, "iris-prod-platform");
        const c = one(recording, T.cluster).inputs;
        assert.deepStrictEqual(c.sku, { name: "Base", tier: "Standard" });
        assert.deepStrictEqual(c.apiServerAccessProfile, {
            authorizedIPRanges: ["203.0.113.0/24"],
        });
        assert.strictEqual(c.kubernetesVersion, "1.34");
    });

    it("uses kubenet when asked", function () {
        const net = one(recording, T.cluster).inputs.networkProfile as Profile;
        assert.deepStrictEqual(
            { plugin: net.networkPlugin, mode: net.networkPluginMode },
            { plugin: "kubenet", mode: undefined },
        );
    });

    it("spreads both pools and the IP over the zones", function () {
        const system = (one(recording, T.cluster).inputs.agentPoolProfiles as Profile[])[0];
        assert.deepStrictEqual(
            { zones: system.availabilityZones, count: system.count, vm: system.vmSize },
            { zones: ["1", "2", "3"], count: 3, vm: "Standard_D4s_v5" },
        );
        const user = one(recording, T.pool).inputs;
        assert.deepStrictEqual(
            {
                zones: user.availabilityZones,
                min: user.minCount,
                max: user.maxCount,
                count: user.count,
                vm: user.vmSize,
                os: user.osSKU,
            },
            {
                zones: ["1", "2", "3"],
                min: 3,
                max: 9,
                count: 3,
                vm: "Standard_E8s_v5",
                os: "Ubuntu",
            },
        );
        assert.deepStrictEqual(one(recording, T.ip).inputs.zones, ["1", "2", "3"]);
    });

    it("still creates the IP without any dependency on the cluster", function () {
        assert.strictEqual(
            recording.dependsOn(one(recording, T.ip), one(recording, T.cluster)),
            false,
        );
    });
});

describe("AKS helpers", function () {
    it("decodes a base64 kubeconfig and rejects empty or non-kubeconfig answers", function () {
        const yaml = "apiVersion: v1\nkind: Config\n";
        assert.strictEqual(
            decodeAksKubeconfig([
                { name: "clusterUser", value: Buffer.from(yaml).toString("base64") },
            ]),
            yaml,
        );
        assert.throws(() => decodeAksKubeconfig([]), /returned no kubeconfig/);
        assert.throws(
            () => decodeAksKubeconfig([{ value: Buffer.from("hello").toString("base64") }]),
            /not a kubeconfig/,
        );
    });

    it("names the IP and its resource group in the annotations", function () {
        const a = aksIngressAnnotations("pip", "rg");
        assert.strictEqual(a["service.beta.kubernetes.io/azure-pip-name"], "pip");
        assert.strictEqual(
            a["service.beta.kubernetes.io/azure-load-balancer-resource-group"],
            "rg",
        );
    });
});
