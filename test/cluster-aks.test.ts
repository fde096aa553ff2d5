/**
 * The AKS cluster component under mocks, for a dev-like and a prod-like config:
 * what exists, its key settings, the edges between resources, the kubeconfig,
 * and the ingress IP with the annotations the ingress controller must set.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { AksCluster, networkContributorRoleId } from "../components/cluster/aks";
import { isSecretValue, valueOf, type Recording } from "./mocks";
import { fake } from "./fakes/azure";
import { T, subscriptionId, dev, build, one, Profile } from "./cluster-aks-fixtures";

describe("AKS cluster: dev-like config", function () {
    let aks: AksCluster;
    let recording: Recording;
    before(async function () {
        ({ aks, recording } = await build(dev));
    });

    it("creates the resource group <name>-rg in the location", function () {
        const rg = one(recording, T.rg).inputs;
        assert.deepStrictEqual(
            { name: rg.resourceGroupName, location: rg.location },
            { name: "iris-dev-rg", location: "westeurope" },
        );
    });

    it("creates a cluster with a system-assigned identity, RBAC, the configured version and Azure CNI overlay", function () {
        const c = one(recording, T.cluster).inputs;
        assert.deepStrictEqual(c.identity, { type: "SystemAssigned" });
        assert.strictEqual(c.enableRBAC, true);
        assert.strictEqual(c.kubernetesVersion, "1.35");
        assert.strictEqual(c.resourceGroupName, "iris-dev-rg");
        assert.deepStrictEqual(c.sku, { name: "Base", tier: "Free" });
        const net = c.networkProfile as Profile;
        assert.deepStrictEqual(
            {
                plugin: net.networkPlugin,
                mode: net.networkPluginMode,
                pods: net.podCidr,
                lb: net.loadBalancerSku,
            },
            { plugin: "azure", mode: "overlay", pods: "192.168.0.0/16", lb: "standard" },
        );
        assert.strictEqual(c.apiServerAccessProfile, undefined);
    });

    it("keeps only a tainted Ubuntu system pool inline", function () {
        const pools = one(recording, T.cluster).inputs.agentPoolProfiles as Profile[];
        assert.strictEqual(pools.length, 1);
        assert.deepStrictEqual(
            {
                name: pools[0].name,
                mode: pools[0].mode,
                os: pools[0].osSKU,
                type: pools[0].type,
                count: pools[0].count,
                taints: pools[0].nodeTaints,
            },
            {
                name: "system",
                mode: "System",
                os: "Ubuntu",
                type: "VirtualMachineScaleSets",
                count: 1,
                taints: ["CriticalAddonsOnly=true:NoSchedule"],
            },
        );
    });

    it("adds an autoscaled Ubuntu user pool whose count the autoscaler owns", function () {
        const pool = one(recording, T.pool);
        const p = pool.inputs;
        assert.deepStrictEqual(
            {
                mode: p.mode,
                os: p.osSKU,
                type: p.type,
                auto: p.enableAutoScaling,
                min: p.minCount,
                max: p.maxCount,
                vm: p.vmSize,
                disk: p.osDiskSizeGB,
            },
            {
                mode: "User",
                os: "Ubuntu",
                type: "VirtualMachineScaleSets",
                auto: true,
                min: 2,
                max: 3,
                vm: "Standard_D4s_v5",
                disk: 100,
            },
        );
        assert.strictEqual(p.resourceName, "iris-dev");
        assert.strictEqual(p.availabilityZones, undefined);
        assert.ok(pool.ignoreChanges.includes("count"));
        assert.ok(recording.dependsOn(pool, one(recording, T.cluster)));
    });

    it("creates a Standard static public IP in our resource group, before and without the cluster", function () {
        const ip = one(recording, T.ip);
        assert.deepStrictEqual(
            {
                rg: ip.inputs.resourceGroupName,
                sku: ip.inputs.sku,
                method: ip.inputs.publicIPAllocationMethod,
            },
            { rg: "iris-dev-rg", sku: { name: "Standard", tier: "Regional" }, method: "Static" },
        );
        assert.strictEqual(recording.dependsOn(ip, one(recording, T.cluster)), false);
        assert.strictEqual(recording.dependsOn(ip, one(recording, T.pool)), false);
    });

    it("gives the cluster identity Network Contributor on our resource group", function () {
        const role = one(recording, T.role);
        assert.strictEqual(role.inputs.principalId, fake.clusterPrincipalId);
        assert.strictEqual(role.inputs.principalType, "ServicePrincipal");
        assert.strictEqual(
            role.inputs.roleDefinitionId,
            `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${networkContributorRoleId}`,
        );
        // Mocked ids are `<resource name>-id`: the scope is our resource group's id.
        assert.strictEqual(role.inputs.scope, `${one(recording, T.rg).name}-id`);
        assert.ok(recording.dependsOn(role, one(recording, T.cluster)));
    });

    it("tells the ingress layer which annotations take the IP, and waits for the role assignment", async function () {
        assert.deepStrictEqual(await valueOf(aks.ingress.serviceAnnotations), {
            "service.beta.kubernetes.io/azure-pip-name": "iris-dev-ingress",
            "service.beta.kubernetes.io/azure-load-balancer-resource-group": "iris-dev-rg",
            "service.beta.kubernetes.io/azure-load-balancer-health-probe-request-path": "/healthz",
        });
        assert.deepStrictEqual(await valueOf(aks.ingress.addresses), [fake.ingressAddress]);
        assert.strictEqual(
            aks.ingress.loadBalancerIP,
            undefined,
            "AKS takes the IP by name, not spec.loadBalancerIP",
        );
        assert.strictEqual(aks.ingress.preservesClientIp, true);
        // Add-ons (the ingress Service) wait for `readiness`: it must hold the role assignment and the user pool.
        const ready = await Promise.all(aks.readiness.map((r) => valueOf(r.urn)));
        assert.deepStrictEqual(
            ready.sort(),
            [one(recording, T.role).urn, one(recording, T.pool).urn].sort(),
        );
    });

    it("decodes the user kubeconfig from listManagedClusterUserCredentials and keeps it secret", async function () {
        assert.strictEqual(await pulumi.isSecret(aks.kubeconfig), true);
        const text = await valueOf(aks.kubeconfig);
        assert.match(text, /^apiVersion: v1/);
        assert.ok(text.includes(fake.kubeconfigMarker));
        assert.ok(text.includes("iris-dev.hcp.westeurope.azmk8s.io"));
        assert.ok(isSecretValue(one(recording, T.k8s).rawInputs.kubeconfig));
    });

    it("makes the Kubernetes provider wait for the user pool", function () {
        const provider = one(recording, T.k8s);
        assert.strictEqual(provider.name, "t-cluster-k8s");
        assert.ok(recording.dependsOn(provider, one(recording, T.pool)));
    });

    it("uses the explicit azure-native provider everywhere and exposes the cloud facts", async function () {
        for (const r of recording.resources.filter(
            (x) => x.custom && x.type.startsWith("azure-native:"),
        )) {
            assert.strictEqual(recording.providerOf(r)?.name, "t-azure", `${r.type} ${r.name}`);
        }
        assert.ok(aks.cloud.cloud === "azure");
        if (aks.cloud.cloud !== "azure") return;
        assert.deepStrictEqual(
            {
                sub: aks.cloud.subscriptionId,
                location: aks.cloud.location,
                rg: await valueOf(aks.cloud.resourceGroupName),
            },
            { sub: subscriptionId, location: "westeurope", rg: "iris-dev-rg" },
        );
    });
});
