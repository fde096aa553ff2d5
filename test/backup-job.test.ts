/**
 * The backup CronJob's limits and RBAC as the prod stack renders them (mocks), and the config
 * rules that keep a set whole: no sets of a sharded instance, labels that fit.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { backupTimeoutSeconds } from "../components/iris/backup";
import { thawTimeoutSeconds } from "../components/iris/backup-script";
import { buildStack } from "./build-stack";
import { one } from "./mocks";
import { allIrisSecrets, ikoOn, licensedImage, problemsOf, rejects } from "./config-helpers";

type JobSpec = {
    activeDeadlineSeconds: number;
    template: { spec: { terminationGracePeriodSeconds: number } };
};

describe("backup CronJob limits and RBAC (mocks)", function () {
    it("gives the pod time to thaw after TERM, and the Job time for the freeze and the backups", async function () {
        const r = (await buildStack("prod")).recording;
        const cron = one(r, "kubernetes:batch/v1:CronJob");
        const job = (cron.inputs.spec as { jobTemplate: { spec: JobSpec } }).jobTemplate.spec;
        const freeze = 60; // prod's backup.freezeTimeoutSeconds (the default)
        // Kubernetes' default grace period (30 s) is shorter than a freeze window plus a thaw.
        assert.ok(
            job.template.spec.terminationGracePeriodSeconds > freeze + thawTimeoutSeconds,
            `grace ${job.template.spec.terminationGracePeriodSeconds}`,
        );
        assert.ok(job.activeDeadlineSeconds > freeze + backupTimeoutSeconds);
    });

    it("lets kubectl wait watch Snapshots, and nothing in Longhorn's namespace beyond the script's calls", async function () {
        const r = (await buildStack("prod")).recording;
        const role = r
            .ofType("kubernetes:rbac.authorization.k8s.io/v1:Role")
            .find((x) => x.name.endsWith("backup-longhorn-role"));
        const rules = (role?.inputs.rules ?? []) as { resources: string[]; verbs: string[] }[];
        assert.deepStrictEqual(
            rules.map((x) => [x.resources, x.verbs]),
            [
                [["snapshots"], ["create", "get", "list", "watch", "delete"]],
                [["backups"], ["create", "get", "list", "patch", "delete"]],
            ],
        );
    });
});

describe("config: backup sets stay whole", function () {
    const gke = { provider: "gke", gke: { project: "p", region: "europe-west1" } };
    const s = (v: string) => pulumi.secret(v);
    const longhorn = { backup: { enabled: true, target: "s3://bucket@eu-west-1/" } };
    const secrets = {
        ...allIrisSecrets,
        backupAccessKeyId: s("id"),
        backupSecretAccessKey: s("k"),
    };
    const sharded = (backup?: object) => ({
        name: "iris",
        mode: "iko",
        image: licensedImage,
        data: { topology: "sharded" },
        ...(backup ? { backup } : {}),
    });

    it("refuses backup sets of a sharded instance, naming the key, unless switched off", function () {
        rejects(
            { cluster: gke, longhorn, iko: ikoOn, iris: { instances: [sharded()] } },
            secrets,
            /^iris-platform:iris\.instances\[0\]\.backup\.enabled: must be false for a sharded instance: backup sets freeze and snapshot one data node, not every shard/,
        );
        const off = {
            cluster: gke,
            longhorn,
            iko: ikoOn,
            iris: { instances: [sharded({ enabled: false })] },
        };
        assert.deepStrictEqual(problemsOf(off, secrets), []);
    });

    it("refuses a namespace and name too long for the set's instance label", function () {
        const name = "i".repeat(40);
        const namespace = "n".repeat(30);
        rejects(
            { cluster: gke, longhorn, iris: { instances: [{ name, namespace }] } },
            secrets,
            /iris\.instances\[0\]\.name: with namespace n+ makes the backup label value .* longer than 63 characters/,
        );
    });
});
