/**
 * Longhorn as each committed stack file configures it: replicas, backup targets, retention.
 */
import * as assert from "assert";
import { type Recording } from "./mocks";
import { buildLonghornFromStack, one, T, type Values } from "./longhorn-fixtures";
import { buildStack } from "./build-stack";

describe("Longhorn in the stack files", function () {
    it("prod (AWS): 3 replicas, backups to a created S3 bucket kept 14 days, no VolumeSnapshotClass on kubeadm", async function () {
        const r = await buildLonghornFromStack("prod");
        const v = one(r, T.release).inputs.values as Values;
        assert.strictEqual(v.persistence.defaultClassReplicaCount, 3);
        assert.strictEqual(
            (one(r, T.storageClass).inputs.parameters as Record<string, string>).numberOfReplicas,
            "3",
        );
        assert.match(
            String(v.defaultBackupStore?.backupTarget),
            /^s3:\/\/iris-prod-longhorn-\w+@eu-west-1\/$/,
        );
        assert.strictEqual(r.ofType("aws:s3/bucket:Bucket").length, 1);
        const tasks = r.ofType(T.recurringJob).map((j) => (j.inputs.spec as { task: string }).task);
        assert.deepStrictEqual(tasks, ["snapshot-cleanup"]);
        assert.deepStrictEqual(r.ofType(T.snapshotClass), []);
    });

    it("dev (GKE): Longhorn without backups", async function () {
        const r = await buildLonghornFromStack("dev");
        assert.strictEqual(r.ofType(T.release).length, 1);
        for (const t of [T.store, T.secret, T.recurringJob, T.snapshotClass])
            assert.deepStrictEqual(r.ofType(t), [], t);
    });

    describe("aks example through index.ts", function () {
        let r: Recording;
        before(async function () {
            ({ recording: r } = await buildStack("aks"));
        });

        it("installs Longhorn after the AKS cluster and backs up to a storage account built alongside it", function () {
            const release = r.ofType(T.release).find((x) => x.inputs.chart === "longhorn");
            assert.ok(release, "no Longhorn release");
            const cluster = one(r, "azure-native:containerservice:ManagedCluster");
            assert.ok(r.dependsOn(release, cluster));
            const account = one(r, "azure-native:storage:StorageAccount");
            assert.ok(
                !r.dependsOn(account, cluster),
                "the storage account must not wait for the cluster",
            );
            assert.strictEqual(r.providerOf(account)?.type, "pulumi:providers:azure-native");
            assert.strictEqual(r.ofType(T.snapshotClass).length, 1);
        });
    });

    it("existing example: Longhorn off (kind has no iSCSI), no Longhorn resources", async function () {
        const { recording: r } = await buildStack("existing");
        assert.deepStrictEqual(r.ofType(T.longhorn), []);
        assert.ok(
            !r
                .ofType(T.storageClass)
                .some((x) => (x.inputs.metadata as { name: string }).name === "iris-retain"),
        );
        assert.ok(!r.ofType(T.release).some((x) => x.inputs.chart === "longhorn"));
    });
});
