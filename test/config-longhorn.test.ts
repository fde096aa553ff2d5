/** Config errors of the `longhorn` section: each names the key, the value and what is allowed. */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { parseConfig, type Secrets } from "../config";
import { clusterConfigs } from "./longhorn-fixtures";
import { problemsOf, rejects } from "./config-helpers";

const existing = { ...clusterConfigs.existing, existing: { kubeconfigPath: "~/.kube/config" } };
const credentials: Secrets = {
    backupAccessKeyId: pulumi.secret("id"),
    backupSecretAccessKey: pulumi.secret("secret"),
};

describe("config: longhorn", function () {
    it("defaults: enabled, 2 replicas, iris-retain, node-down policy for both workload kinds, backups off but retained", function () {
        const c = parseConfig({ cluster: clusterConfigs.gke });
        assert.strictEqual(c.longhorn.enabled, true);
        assert.strictEqual(c.longhorn.replicaCount, 2);
        assert.strictEqual(c.longhorn.storageClassName, "iris-retain");
        assert.strictEqual(
            c.longhorn.nodeDownPodDeletionPolicy,
            "delete-both-statefulset-and-deployment-pod",
        );
        assert.strictEqual(c.longhorn.dataLocality, "best-effort");
        assert.strictEqual(c.longhorn.backup.enabled, false);
        assert.strictEqual(c.longhorn.backup.retainStore, true);
    });

    it("accepts backups on a cloud cluster without a target (the store is created)", function () {
        assert.deepStrictEqual(
            problemsOf({ cluster: clusterConfigs.aws, longhorn: { backup: { enabled: true } } }),
            [],
        );
    });

    it("rejects backups on an existing cluster without a target", function () {
        rejects(
            { cluster: existing, longhorn: { backup: { enabled: true } } },
            credentials,
            /^iris-platform:longhorn\.backup\.target: is required for backups on an existing cluster/,
        );
    });

    it("rejects a target without the two credential secrets", function () {
        rejects(
            {
                cluster: existing,
                longhorn: { backup: { enabled: true, target: "s3://backups@us-east-1/" } },
            },
            { backupAccessKeyId: pulumi.secret("id") },
            /^iris-platform:longhorn\.backup\.target: needs the backupAccessKeyId and backupSecretAccessKey secrets \(got "s3:\/\/backups@us-east-1\/"\)/,
        );
    });

    it("rejects backups with Longhorn off", function () {
        rejects(
            {
                cluster: clusterConfigs.gke,
                longhorn: { enabled: false, backup: { enabled: true } },
            },
            {},
            /^iris-platform:longhorn\.backup\.enabled: needs longhorn\.enabled/,
        );
    });

    for (const bad of [
        "s3://backups",
        "http://minio:9000/backups",
        "s3://Backups@us-east-1/",
        "azblob://c@core.windows.net",
    ]) {
        it(`rejects the backup target ${bad}`, function () {
            rejects(
                { cluster: existing, longhorn: { backup: { enabled: true, target: bad } } },
                credentials,
                new RegExp(
                    `^iris-platform:longhorn\\.backup\\.target: must look like s3://bucket@region/ .*\\(got ${JSON.stringify(JSON.stringify(bad)).slice(1, -1).replace(/[/.]/g, "\\$&")}\\)`,
                ),
            );
        });
    }

    it("accepts s3 and azblob targets with a path", function () {
        for (const target of [
            "s3://backups@us-east-1/iris/",
            "azblob://longhorn@core.windows.net/",
        ]) {
            assert.deepStrictEqual(
                problemsOf(
                    { cluster: existing, longhorn: { backup: { enabled: true, target } } },
                    credentials,
                ),
                [],
            );
        }
    });

    it("rejects an endpoint without an s3 target", function () {
        rejects(
            {
                cluster: clusterConfigs.aws,
                longhorn: { backup: { enabled: true, endpoint: "https://minio.example.com" } },
            },
            {},
            /^iris-platform:longhorn\.backup\.endpoint: needs an s3:\/\/ longhorn\.backup\.target/,
        );
    });

    it("rejects a VolumeSnapshotClass without backups", function () {
        rejects(
            { cluster: clusterConfigs.gke, longhorn: { volumeSnapshotClass: true } },
            {},
            /^iris-platform:longhorn\.volumeSnapshotClass: needs longhorn\.backup\.enabled/,
        );
    });

    it("rejects a schedule that is not five-field cron", function () {
        rejects(
            { cluster: clusterConfigs.gke, longhorn: { backup: { schedule: "daily at 3" } } },
            {},
            /^iris-platform:longhorn\.backup\.schedule: must be a five-field cron expression .*\(got "daily at 3"\)/,
        );
    });

    it("rejects an unknown data locality and a replica count out of range", function () {
        rejects(
            { cluster: clusterConfigs.gke, longhorn: { dataLocality: "strict-local" } },
            {},
            /^iris-platform:longhorn\.dataLocality: must be one of disabled, best-effort/,
        );
        rejects(
            { cluster: clusterConfigs.gke, longhorn: { replicaCount: 7 } },
            {},
            /^iris-platform:longhorn\.replicaCount: .*\(got 7\)/,
        );
    });
});
