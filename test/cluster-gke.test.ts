/**
 * The GKE cluster component under mocks, for a dev-like and a prod-like config:
 * what exists, its key settings, the edges between resources, and the kubeconfig.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { GkeCluster } from "../components/cluster/gke";
import { isSecretValue, valueOf, type Recording } from "./mocks";
import { fake } from "./fakes/gcp";
import { T, dev, build, one } from "./cluster-gke-fixtures";

describe("GKE cluster: dev-like config", function () {
    let gke: GkeCluster;
    let recording: Recording;
    before(async function () {
        ({ gke, recording } = await build(dev));
    });

    it("creates its own VPC and a VPC-native subnet with pods and services ranges", function () {
        const subnet = one(recording, T.subnet).inputs;
        assert.strictEqual(subnet.region, "europe-west1");
        assert.strictEqual(subnet.ipCidrRange, "10.10.0.0/20");
        assert.deepStrictEqual(subnet.secondaryIpRanges, [
            { rangeName: "pods", ipCidrRange: "10.20.0.0/14" },
            { rangeName: "services", ipCidrRange: "10.24.0.0/20" },
        ]);
        assert.strictEqual(one(recording, T.network).inputs.autoCreateSubnetworks, false);
        const cluster = one(recording, T.cluster);
        assert.deepStrictEqual(cluster.inputs.ipAllocationPolicy, {
            clusterSecondaryRangeName: "pods",
            servicesSecondaryRangeName: "services",
        });
        assert.ok(recording.dependsOn(cluster, one(recording, T.subnet)));
    });

    it("creates a regional cluster without the default pool, with workload identity and no deletion protection", function () {
        const c = one(recording, T.cluster).inputs;
        assert.strictEqual(c.location, "europe-west1");
        assert.strictEqual(c.removeDefaultNodePool, true);
        assert.deepStrictEqual(c.releaseChannel, { channel: "REGULAR" });
        assert.strictEqual(c.minMasterVersion, "1.35");
        assert.deepStrictEqual(c.workloadIdentityConfig, {
            workloadPool: "dev-project.svc.id.goog",
        });
        assert.strictEqual(c.deletionProtection, false);
        assert.strictEqual(c.privateClusterConfig, undefined);
        assert.strictEqual(c.masterAuthorizedNetworksConfig, undefined);
    });

    it("runs even the transient default pool as the cluster's own node account, never the Compute default", function () {
        const cluster = one(recording, T.cluster);
        const sa = recording
            .ofType("gcp:serviceaccount/account:Account")
            .find((x) => x.inputs.accountId === "iris-dev-nodes");
        assert.ok(sa, "the node service account exists");
        assert.match(
            String((cluster.inputs.nodeConfig as { serviceAccount: string }).serviceAccount),
            /iris-dev-nodes@/,
        );
        assert.deepStrictEqual(cluster.ignoreChanges, ["nodeConfig"]);
        assert.ok(
            recording.dependsOn(cluster, recording.ofType("gcp:projects/iAMMember:IAMMember")[0]),
            "the account has its role first",
        );
    });

    it("runs an autoscaled Ubuntu node pool with auto-repair and auto-upgrade", function () {
        const pool = one(recording, T.nodePool);
        const cfg = pool.inputs.nodeConfig as Record<string, unknown>;
        assert.strictEqual(cfg.imageType, "UBUNTU_CONTAINERD");
        assert.strictEqual(cfg.machineType, "e2-standard-4");
        assert.deepStrictEqual(
            { size: cfg.diskSizeGb, type: cfg.diskType },
            { size: 100, type: "pd-balanced" },
        );
        assert.deepStrictEqual(cfg.workloadMetadataConfig, { mode: "GKE_METADATA" });
        assert.strictEqual(
            cfg.serviceAccount,
            "iris-dev-nodes@fake-project.iam.gserviceaccount.com",
        );
        assert.deepStrictEqual(pool.inputs.autoscaling, {
            totalMinNodeCount: 2,
            totalMaxNodeCount: 3,
            locationPolicy: "BALANCED",
        });
        assert.deepStrictEqual(pool.inputs.management, { autoRepair: true, autoUpgrade: true });
        assert.strictEqual(
            pool.inputs.nodeLocations,
            undefined,
            "no zones configured: GKE's default zones",
        );
        assert.strictEqual(pool.inputs.initialNodeCount, 1);
        assert.ok(pool.ignoreChanges.includes("initialNodeCount"));
        assert.ok(recording.dependsOn(pool, one(recording, T.cluster)));
    });

    it("creates no NAT or firewall for public nodes", function () {
        assert.deepStrictEqual(
            [T.router, T.nat, T.firewall].filter((t) => recording.has(t)),
            [],
        );
    });

    it("reserves a regional external address that does not wait for the cluster", function () {
        const address = one(recording, T.address);
        assert.deepStrictEqual(
            { region: address.inputs.region, type: address.inputs.addressType },
            { region: "europe-west1", type: "EXTERNAL" },
        );
        assert.strictEqual(recording.dependsOn(address, one(recording, T.cluster)), false);
        assert.strictEqual(recording.dependsOn(address, one(recording, T.nodePool)), false);
        assert.strictEqual(recording.dependsOn(address, one(recording, T.network)), false);
    });

    it("hands the address to the ingress layer", async function () {
        assert.deepStrictEqual(await valueOf(gke.ingress.addresses), [fake.ingressAddress]);
        assert.strictEqual(
            gke.ingress.loadBalancerIP && (await valueOf(gke.ingress.loadBalancerIP)),
            fake.ingressAddress,
        );
        assert.deepStrictEqual(await valueOf(gke.ingress.serviceAnnotations), {});
        assert.strictEqual(gke.ingress.preservesClientIp, true);
    });

    it("builds a secret kubeconfig from the endpoint and CA that uses gke-gcloud-auth-plugin", async function () {
        assert.strictEqual(await pulumi.isSecret(gke.kubeconfig), true);
        const text = await valueOf(gke.kubeconfig);
        assert.match(
            text,
            new RegExp(`server: https://${fake.clusterEndpoint.replace(/\./g, "\\.")}\\n`),
        );
        assert.ok(text.includes(`certificate-authority-data: ${fake.clusterCaBase64}`));
        assert.match(text, /command: gke-gcloud-auth-plugin/);
        assert.match(text, /current-context: gke_dev-project_europe-west1_iris-dev/);
        const provider = one(recording, T.k8s);
        assert.ok(
            isSecretValue(provider.rawInputs.kubeconfig),
            "the k8s provider must receive the kubeconfig as a secret",
        );
    });

    it("makes the Kubernetes provider wait for the node pool", function () {
        const provider = one(recording, T.k8s);
        assert.strictEqual(provider.name, "t-cluster-k8s");
        assert.ok(recording.dependsOn(provider, one(recording, T.nodePool)));
        assert.deepStrictEqual(gke.readiness.length, 1);
    });

    it("uses the explicit gcp provider for every cloud resource and exposes the cloud facts", function () {
        const gcp = recording.resources.filter((r) => r.custom && r.type.startsWith("gcp:"));
        assert.ok(gcp.length >= 7);
        for (const r of gcp)
            assert.strictEqual(recording.providerOf(r)?.name, "t-gcp", `${r.type} ${r.name}`);
        assert.deepStrictEqual(
            gke.cloud.cloud === "gcp" && { project: gke.cloud.project, region: gke.cloud.region },
            { project: "dev-project", region: "europe-west1" },
        );
    });
});
