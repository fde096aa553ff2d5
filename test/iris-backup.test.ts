/**
 * Backup sets and restores under mocks: which stacks schedule sets (CronJob, its least RBAC,
 * schedule and retention), where a restore's volumes come from and what waits for it, and the
 * config errors that stop an impossible restore before anything runs.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { images } from "../versions";
import { restoredVolumeName } from "../components/iris/restore-script";
import { buildStack } from "./build-stack";
import { build, licensed, T } from "./iris-layer-fixtures";
import { one, type Recording } from "./mocks";
import { allIrisSecrets, ikoOn, mirroredIko, rejects } from "./config-helpers";

const B = {
    cronJob: "kubernetes:batch/v1:CronJob",
    job: "kubernetes:batch/v1:Job",
    role: "kubernetes:rbac.authorization.k8s.io/v1:Role",
    clusterRole: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
};
type Container = { image: string; env: { name: string; value: string }[]; securityContext: object };
type PodSpec = { serviceAccountName: string; containers: Container[] };

/** The restore Job (a stack with backups also has a pre-upgrade Job). */
const restoreJob = (r: Recording) => {
    const jobs = r.ofType(B.job).filter((j) => j.name.endsWith("-restore-job"));
    assert.strictEqual(
        jobs.length,
        1,
        r
            .ofType(B.job)
            .map((j) => j.name)
            .join(", "),
    );
    return jobs[0];
};
const envOf = (c: Container) => Object.fromEntries(c.env.map((e) => [e.name, e.value]));
const rulesOf = (r: Recording, type: string, nameEnd: string) =>
    (r.ofType(type).find((x) => x.name.endsWith(nameEnd))?.inputs.rules ?? []) as {
        resources: string[];
        verbs: string[];
    }[];

describe("IRIS backup sets (mocks)", function () {
    it("prod: one CronJob for the IKO instance, on longhorn.backup's schedule, keeping 14 sets", async function () {
        const r = (await buildStack("prod")).recording;
        const cron = one(r, B.cronJob);
        const spec = cron.inputs.spec as {
            schedule: string;
            concurrencyPolicy: string;
            jobTemplate: { spec: { backoffLimit: number; template: { spec: PodSpec } } };
        };
        assert.strictEqual(spec.schedule, "0 2 * * *");
        assert.strictEqual(spec.concurrencyPolicy, "Forbid");
        assert.strictEqual(spec.jobTemplate.spec.backoffLimit, 0);
        const pod = spec.jobTemplate.spec.template.spec;
        const c = pod.containers[0];
        assert.strictEqual(c.image, images.backupTools);
        assert.deepStrictEqual(envOf(c), {
            NAMESPACE: "iris",
            INSTANCE: "iris",
            POD_SELECTOR: "intersystems.com/name=iris,intersystems.com/component=data",
            CONTAINER: "",
            LONGHORN_NAMESPACE: "longhorn-system",
            RETAIN: "14",
            FREEZE_TIMEOUT: "60",
            BACKUP_TIMEOUT: "10800",
            HOME: "/tmp",
        });
        assert.strictEqual(pod.serviceAccountName, "iris-backup");
        assert.deepStrictEqual(c.securityContext, {
            runAsNonRoot: true,
            runAsUser: 65534,
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            capabilities: { drop: ["ALL"] },
        });
    });

    it("prod: the job may exec into IRIS pods and manage Longhorn snapshots and backups, nothing more", async function () {
        const r = (await buildStack("prod")).recording;
        const instance = rulesOf(r, B.role, "backup-instance-role");
        assert.deepStrictEqual(
            instance.map((x) => [x.resources, x.verbs]),
            [
                // The pre-upgrade Job's first call: does the IrisCluster exist yet?
                [["irisclusters"], ["get"]],
                [["pods"], ["get", "list"]],
                [["pods/exec"], ["create"]],
                [["persistentvolumeclaims"], ["get"]],
                [["events"], ["create"]],
            ],
        );
        const longhorn = r.ofType(B.role).find((x) => x.name.endsWith("backup-longhorn-role"));
        assert.strictEqual(
            (longhorn?.inputs.metadata as { namespace: string }).namespace,
            "longhorn-system",
        );
        assert.deepStrictEqual(rulesOf(r, B.clusterRole, "backup-volumes-role"), [
            { apiGroups: [""], resources: ["persistentvolumes"], verbs: ["get"] },
        ]);
        const everyVerb = r
            .ofType(B.role)
            .concat(r.ofType(B.clusterRole))
            .flatMap((x) => (x.inputs.rules as { verbs: string[] }[]).flatMap((y) => y.verbs));
        assert.ok(!everyVerb.includes("*"), "no wildcard verbs");
    });

    it("dev (no backup target) and an instance with backup.enabled false take no sets", async function () {
        assert.deepStrictEqual((await buildStack("dev")).recording.ofType(B.cronJob), []);
        const { recording } = await build(
            {
                longhorn: { backup: { enabled: true, target: "s3://bucket@eu-west-1/" } },
                iris: { instances: [{ name: "iris", backup: { enabled: false } }] },
            },
            ["irisPassword", "backupAccessKeyId", "backupSecretAccessKey"],
        );
        assert.deepStrictEqual(recording.ofType(B.cronJob), []);
    });
});

/** A durable instance restored from `set`, with a backup target. */
async function restored(instance: Record<string, unknown>, secrets = ["irisPassword"] as const) {
    return build(
        {
            longhorn: { backup: { enabled: true, target: "s3://bucket@eu-west-1/" } },
            iris: { instances: [{ name: "iris", ...instance }] },
        },
        [...secrets, "backupAccessKeyId", "backupSecretAccessKey"],
    );
}

describe("IRIS restoreFrom (mocks)", function () {
    it("durable: a restore Job runs first; the claim binds to the PV it makes and never moves off it", async function () {
        const { recording: r } = await restored({ restoreFrom: { set: "20261129T030000Z" } });
        const job = restoreJob(r);
        const pod = (job.inputs.spec as { template: { spec: PodSpec } }).template.spec;
        const env = envOf(pod.containers[0]);
        assert.strictEqual(env.SET, "20261129T030000Z");
        assert.strictEqual(env.SOURCE, "iris.iris");
        assert.strictEqual(env.TARGET_KIND, "standalone");
        assert.strictEqual(env.STORAGE_CLASS, "iris-retain");
        const pvc = one(r, T.pvc);
        assert.strictEqual(
            (pvc.inputs.spec as { volumeName: string }).volumeName,
            restoredVolumeName("iris", "iris-durable"),
        );
        assert.deepStrictEqual(pvc.ignoreChanges, ["spec.volumeName"]);
        assert.ok(r.dependsOn(pvc, job), "the claim waits for the restore");
        const longhorn = r.get("kubernetes:core/v1:ConfigMap", "storage-ready");
        assert.ok(r.dependsOn(job, longhorn), "the restore waits for Longhorn (its Volume CRD)");
        assert.ok(r.dependsOn(one(r, T.deployment), job), "IRIS starts after the restore");
        const timeout = (job.inputs.metadata as { annotations: Record<string, string> })
            .annotations["pulumi.com/timeoutSeconds"];
        assert.ok(Number(timeout) >= 3600, "Pulumi waits as long as a restore may take");
    });

    it("IKO: the IrisCluster waits for the restore, which creates the claims the operator adopts", async function () {
        const { recording: r } = await build(
            {
                iko: { enabled: true, chart: { path: "./iko" }, registry: { username: "u" } },
                longhorn: { backup: { enabled: true, target: "s3://bucket@eu-west-1/" } },
                iris: {
                    instances: [
                        {
                            name: "iris",
                            mode: "iko",
                            image: licensed,
                            webgateway: { replicas: 0 },
                            restoreFrom: { set: "latest", instance: "prod-iris/iris" },
                        },
                    ],
                },
            },
            [
                "irisPassword",
                "irisLicenseKey",
                "registryToken",
                "backupAccessKeyId",
                "backupSecretAccessKey",
            ],
        );
        const job = restoreJob(r);
        const env = envOf(
            (job.inputs.spec as { template: { spec: PodSpec } }).template.spec.containers[0],
        );
        assert.strictEqual(env.SOURCE, "prod-iris.iris");
        assert.strictEqual(env.TARGET_KIND, "iko");
        assert.ok(r.dependsOn(one(r, T.irisCluster), job));
        const rules = rulesOf(r, B.clusterRole, "restore-volumes-role");
        assert.deepStrictEqual(rules[0].verbs, ["get", "create"]);
    });

    it("without restoreFrom there is no restore Job and the claim names no volume", async function () {
        const { recording: r } = await restored({});
        assert.deepStrictEqual(
            r.ofType(B.job).filter((j) => j.name.endsWith("-restore-job")),
            [],
        );
        assert.strictEqual(
            (one(r, T.pvc).inputs.spec as { volumeName?: string }).volumeName,
            undefined,
        );
    });
});

describe("config: backups and restoreFrom", function () {
    const gke = { provider: "gke", gke: { project: "p", region: "europe-west1" } };
    const s = (v: string) => pulumi.secret(v);
    const target = { enabled: true, target: "s3://bucket@eu-west-1/" };
    const keys = { backupAccessKeyId: s("id"), backupSecretAccessKey: s("key") };

    it("refuses restoreFrom and backup.enabled without a backup target", function () {
        rejects(
            {
                cluster: gke,
                iris: { instances: [{ name: "iris", restoreFrom: { set: "latest" } }] },
            },
            allIrisSecrets,
            /^iris-platform:iris\.instances\[0\]\.restoreFrom: needs longhorn\.backup\.enabled: sets are read from the stack's backup target \(got "latest"\)/,
        );
        rejects(
            { cluster: gke, iris: { instances: [{ name: "iris", backup: { enabled: true } }] } },
            allIrisSecrets,
            /^iris-platform:iris\.instances\[0\]\.backup\.enabled: needs longhorn\.backup\.enabled/,
        );
    });

    it("refuses a malformed set id and restoring a mirrored instance from one set", function () {
        rejects(
            {
                cluster: gke,
                longhorn: { backup: target },
                iris: { instances: [{ name: "iris", restoreFrom: { set: "yesterday" } }] },
            },
            { ...allIrisSecrets, ...keys },
            /iris\.instances\[0\]\.restoreFrom\.set: must be latest or a set id such as 20261130T030000Z/,
        );
        rejects(
            {
                cluster: gke,
                longhorn: { backup: target },
                iko: ikoOn,
                iris: { instances: [mirroredIko({ restoreFrom: { set: "latest" } })] },
            },
            { ...allIrisSecrets, ...keys },
            /restoreFrom: cannot rebuild a mirrored instance: a set holds one data node's volumes/,
        );
    });
});
