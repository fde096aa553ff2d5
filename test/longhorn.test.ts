/**
 * Longhorn layer per cloud: chart pin and values, the IRIS StorageClass, the
 * backup target/Secret/RecurringJobs/VolumeSnapshotClass, and the edges between
 * them. Built from real config (`parseConfig`) on a fake `Cluster` per cloud
 * (test/longhorn-fixtures.ts) so these tests do not depend on the cluster components.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { charts } from "../versions";
import { longhornValues, resolveLonghornOptions } from "../components/addons/longhorn-values";
import { isSecretValue, type Recording } from "./mocks";
import { chartValues, unknownValuesKeys } from "./values-keys";
import { buildLonghorn, one, T, type Values } from "./longhorn-fixtures";

describe("Longhorn values (pure)", function () {
    const options = resolveLonghornOptions(
        {
            replicaCount: 3,
            defaultClass: false,
            nodeDownPodDeletionPolicy: "delete-both-statefulset-and-deployment-pod",
            dataLocality: "best-effort",
            backup: { enabled: true },
        },
        "aws",
    );

    it("uses only keys of the upstream 1.12.1 values.yaml", function () {
        const values = longhornValues(options, { target: "s3://b@eu-west-1/" });
        assert.deepStrictEqual(
            unknownValuesKeys(values, chartValues(`longhorn-${charts.longhorn.version}`)),
            [],
        );
    });

    it("derives autoscaler and snapshot-class defaults from the cloud", function () {
        const base = {
            replicaCount: 2,
            defaultClass: false,
            nodeDownPodDeletionPolicy: "do-nothing",
            dataLocality: "disabled",
        } as const;
        const on = { ...base, backup: { enabled: true } };
        assert.deepStrictEqual(
            (["gke", "aks", "aws", "existing"] as const).map((c) => [
                resolveLonghornOptions(on, c).clusterAutoscaler,
                resolveLonghornOptions(on, c).volumeSnapshotClass,
            ]),
            [
                [true, true],
                [true, true],
                [true, false],
                [false, false],
            ],
        );
        assert.strictEqual(
            resolveLonghornOptions({ ...base, backup: { enabled: false } }, "gke")
                .volumeSnapshotClass,
            false,
        );
        assert.strictEqual(
            resolveLonghornOptions(
                { ...on, clusterAutoscaler: true, volumeSnapshotClass: true },
                "existing",
            ).volumeSnapshotClass,
            true,
        );
    });
});

describe("Longhorn component", function () {
    describe("GKE, backups off (dev)", function () {
        let r: Recording;
        before(async function () {
            r = await buildLonghorn("gke", { replicaCount: 2 });
        });

        it("installs the pinned chart into longhorn-system, after the cluster", function () {
            const release = one(r, T.release);
            assert.strictEqual(release.inputs.chart, "longhorn");
            assert.strictEqual(release.inputs.version, "1.12.1");
            assert.deepStrictEqual(release.inputs.repositoryOpts, {
                repo: "https://charts.longhorn.io",
            });
            assert.strictEqual(release.inputs.namespace, "longhorn-system");
            assert.strictEqual(
                (one(r, T.namespace).inputs.metadata as { name: string }).name,
                "longhorn-system",
            );
            assert.ok(r.dependsOn(release, r.get("test:cluster:Ready", "cluster-ready")));
            assert.ok(
                r.dependsOn(one(r, T.namespace), r.get("test:cluster:Ready", "cluster-ready")),
                "the namespace itself waits for the cluster",
            );
        });

        it("sets replica count, node-down and drain policies, autoscaler, default class", function () {
            const v = one(r, T.release).inputs.values as Values;
            assert.strictEqual(v.persistence.defaultClassReplicaCount, 2);
            assert.strictEqual(v.persistence.defaultClass, false);
            assert.strictEqual(v.defaultSettings.defaultReplicaCount, '{"v1":"2","v2":"2"}');
            assert.strictEqual(
                v.defaultSettings.nodeDownPodDeletionPolicy,
                "delete-both-statefulset-and-deployment-pod",
            );
            assert.strictEqual(
                v.defaultSettings.nodeDrainPolicy,
                "block-for-eviction-if-contains-last-replica",
            );
            assert.strictEqual(v.defaultSettings.kubernetesClusterAutoscalerEnabled, true);
            assert.strictEqual(v.defaultBackupStore, undefined);
        });

        it("creates the IRIS Retain StorageClass after the chart", function () {
            const sc = one(r, T.storageClass);
            assert.strictEqual((sc.inputs.metadata as { name: string }).name, "iris-retain");
            assert.strictEqual(sc.inputs.provisioner, "driver.longhorn.io");
            assert.strictEqual(sc.inputs.reclaimPolicy, "Retain");
            assert.strictEqual(sc.inputs.allowVolumeExpansion, true);
            const p = sc.inputs.parameters as Record<string, string>;
            assert.strictEqual(p.numberOfReplicas, "2");
            assert.strictEqual(p.dataLocality, "best-effort");
            assert.strictEqual(p.staleReplicaTimeout, "2880");
            assert.deepStrictEqual(JSON.parse(p.recurringJobSelector), [
                { name: "iris", isGroup: true },
            ]);
            assert.ok(r.dependsOn(sc, one(r, T.release)));
        });

        it("creates no backup store, Secret, RecurringJob or VolumeSnapshotClass", function () {
            for (const t of [T.store, T.secret, T.recurringJob, T.snapshotClass])
                assert.deepStrictEqual(r.ofType(t), [], t);
        });

        it("gives every Kubernetes resource the cluster's provider", function () {
            const k8s = r.resources.filter((x) => x.custom && x.type.startsWith("kubernetes:"));
            assert.ok(k8s.length >= 3);
            for (const x of k8s)
                assert.strictEqual(r.providerOf(x)?.name, "fake-k8s", `${x.type} ${x.name}`);
        });
    });

    for (const [cloud, target] of [
        ["gke", /^s3:\/\/iris-backup-bucket-fake1234@europe-west1\/$/],
        ["aks", /^azblob:\/\/longhorn-backups@core\.windows\.net\/$/],
        ["aws", /^s3:\/\/iris-prod-longhorn-fake1234@eu-west-1\/$/],
    ] as const) {
        describe(`${cloud}, backups on`, function () {
            let r: Recording;
            before(async function () {
                r = await buildLonghorn(cloud, {
                    replicaCount: 3,
                    backup: { enabled: true, retain: 14 },
                });
            });

            it("points the chart's default backup store at the created store and credential Secret", function () {
                const v = one(r, T.release).inputs.values as Values;
                assert.match(String(v.defaultBackupStore?.backupTarget), target);
                assert.strictEqual(
                    v.defaultBackupStore?.backupTargetCredentialSecret,
                    "longhorn-backup-credentials",
                );
                const secret = one(r, T.secret);
                assert.deepStrictEqual(secret.inputs.metadata, {
                    name: "longhorn-backup-credentials",
                    namespace: "longhorn-system",
                });
                assert.ok(
                    r.dependsOn(one(r, T.release), secret),
                    "the chart starts with its credentials in place",
                );
            });

            it("schedules only the snapshot cleanup on the iris group: no per-volume backup of IRIS volumes", function () {
                const jobs = r
                    .ofType(T.recurringJob)
                    .map((j) => j.inputs.spec as Record<string, unknown>);
                assert.deepStrictEqual(
                    jobs.map((j) => [j.task, j.cron, j.groups]),
                    [["snapshot-cleanup", "0 4 * * *", ["iris"]]],
                );
            });

            it("makes every custom resource wait for the chart that serves its CRD", function () {
                const crs = [...r.ofType(T.recurringJob), ...r.ofType(T.snapshotClass)];
                assert.ok(crs.length >= 1);
                for (const cr of crs) assert.ok(r.dependsOn(cr, one(r, T.release)), cr.name);
            });

            it("keeps the cloud store independent of the cluster", function () {
                const ready = r.get("test:cluster:Ready", "cluster-ready");
                const store = one(r, T.store);
                const cloudSide = r.descendantsOf(store.urn).filter((x) => x.custom);
                assert.ok(cloudSide.length >= 3);
                for (const x of cloudSide)
                    assert.ok(!r.dependsOn(x, ready), `${x.type} ${x.name} waits for the cluster`);
            });

            it(`${cloud === "aws" ? "has no" : "has a"} VolumeSnapshotClass (snapshot CRDs ${cloud === "aws" ? "absent on kubeadm" : "shipped"})`, function () {
                const classes = r.ofType(T.snapshotClass);
                if (cloud === "aws") return assert.deepStrictEqual(classes, []);
                assert.strictEqual(classes.length, 1);
                assert.strictEqual(classes[0].inputs.driver, "driver.longhorn.io");
                assert.deepStrictEqual(classes[0].inputs.parameters, { type: "bak" });
            });
        });
    }

    describe("existing cluster, S3-compatible target", function () {
        let r: Recording;
        before(async function () {
            r = await buildLonghorn(
                "existing",
                {
                    backup: {
                        enabled: true,
                        target: "s3://backups@us-east-1/iris/",
                        endpoint: "https://minio.example.com:9000",
                    },
                },
                {
                    backupAccessKeyId: pulumi.secret("SENTINEL-BACKUP-KEY-ID"),
                    backupSecretAccessKey: pulumi.secret("SENTINEL-BACKUP-SECRET"),
                },
            );
        });

        it("uses the given target and endpoint, creates no cloud store", function () {
            const v = one(r, T.release).inputs.values as Values;
            assert.strictEqual(v.defaultBackupStore?.backupTarget, "s3://backups@us-east-1/iris/");
            assert.deepStrictEqual(r.ofType(T.store), []);
            assert.strictEqual(
                (one(r, T.secret).inputs.stringData as Record<string, string>).AWS_ENDPOINTS,
                "https://minio.example.com:9000",
            );
        });

        it("keeps the credentials secret in the Secret and out of the chart values", function () {
            const raw = one(r, T.secret).rawInputs.stringData as Record<string, unknown>;
            assert.ok(
                isSecretValue(raw) ||
                    (isSecretValue(raw.AWS_ACCESS_KEY_ID) &&
                        isSecretValue(raw.AWS_SECRET_ACCESS_KEY)),
            );
            const others = r.resources.filter((x) => x.type !== T.secret);
            assert.ok(!JSON.stringify(others.map((x) => x.inputs)).includes("SENTINEL-BACKUP"));
        });

        it("does not tell Longhorn about an autoscaler nor create a VolumeSnapshotClass", function () {
            assert.strictEqual(
                (one(r, T.release).inputs.values as Values).defaultSettings
                    .kubernetesClusterAutoscalerEnabled,
                false,
            );
            assert.deepStrictEqual(r.ofType(T.snapshotClass), []);
        });
    });

    it("keeps Longhorn's own class as default and honours a custom class name when configured", async function () {
        const r = await buildLonghorn("aws", {
            defaultClass: true,
            storageClassName: "iris-data",
            dataLocality: "disabled",
        });
        assert.strictEqual(
            (one(r, T.release).inputs.values as Values).persistence.defaultClass,
            true,
        );
        const sc = one(r, T.storageClass);
        assert.strictEqual((sc.inputs.metadata as { name: string }).name, "iris-data");
        assert.strictEqual(
            (sc.inputs.parameters as Record<string, string>).dataLocality,
            "disabled",
        );
    });
});
