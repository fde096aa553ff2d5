/**
 * Safe upgrades under mocks: the pre-upgrade backup Job (what it runs, what waits for it, what
 * makes a new one) and the downgrade guard (the annotation every workload carries and the policy
 * the API server evaluates; the integration tier runs that policy for real).
 */
import * as assert from "assert";
import { preUpgradeJobName, preUpgradeScript } from "../components/iris/pre-upgrade";
import { downgradePolicySpec, irisVersionAnnotation } from "../components/iris/downgrade-guard";
import { build, licensed, T } from "./iris-layer-fixtures";
import { one, type RecordedResource, type Recording } from "./mocks";

const J = {
    job: "kubernetes:batch/v1:Job",
    cron: "kubernetes:batch/v1:CronJob",
    role: "kubernetes:rbac.authorization.k8s.io/v1:Role",
    policy: "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy",
    binding: "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding",
};
type Container = { command: string[]; env: { name: string; value: string }[] };
type JobSpec = {
    backoffLimit: number;
    activeDeadlineSeconds: number;
    template: { spec: { serviceAccountName: string; containers: Container[] } };
};
const target = { enabled: true, target: "s3://bucket@eu-west-1/" };
const backupSecrets = ["irisPassword", "backupAccessKeyId", "backupSecretAccessKey"] as const;
const ikoSecrets = [...backupSecrets, "irisLicenseKey", "registryToken"] as const;
const iko = { enabled: true, chart: { path: "./iko" }, registry: { username: "u" } };

const durable = (extra: Record<string, unknown> = {}) =>
    build({ longhorn: { backup: target }, iris: { instances: [{ name: "iris", ...extra }] } }, [
        ...backupSecrets,
    ]);
const ikoInstance = (extra: Record<string, unknown> = {}, ikoExtra = {}) =>
    build(
        {
            iko: { ...iko, ...ikoExtra },
            longhorn: { backup: target },
            iris: {
                instances: [
                    { name: "iris", mode: "iko", image: licensed, webgateway: { replicas: 0 } },
                ].map((i) => ({ ...i, ...extra })),
            },
        },
        [...ikoSecrets],
    );

const preUpgrade = (r: Recording): RecordedResource => one(r, J.job);
const envOf = (c: Container) => Object.fromEntries(c.env.map((e) => [e.name, e.value]));
const jobName = (j: RecordedResource) => (j.inputs.metadata as { name: string }).name;

describe("pre-upgrade backup set (mocks)", function () {
    this.timeout(60000);

    it("durable: the Deployment waits for a Job running the CronJob's set under its account, first checking the Deployment exists", async function () {
        const { recording: r } = await durable();
        const job = preUpgrade(r);
        const cronSpec = (one(r, J.cron).inputs.spec as { jobTemplate: { spec: JobSpec } })
            .jobTemplate.spec;
        const spec = job.inputs.spec as JobSpec;
        const c = spec.template.spec.containers[0];
        assert.deepStrictEqual(c.command, ["bash", "-c", preUpgradeScript("/scripts/backup.sh")]);
        const cronEnv = envOf(cronSpec.template.spec.containers[0]);
        assert.deepStrictEqual(envOf(c), {
            ...cronEnv,
            WORKLOAD: "deployments.apps",
            UPGRADE_TO: "containers.intersystems.com/intersystems/iris-community:2025.1",
        });
        assert.strictEqual(spec.template.spec.serviceAccountName, "iris-backup");
        assert.strictEqual(spec.backoffLimit, 0, "a failed set is not retried into a second one");
        assert.strictEqual(spec.activeDeadlineSeconds, cronSpec.activeDeadlineSeconds);
        const annotations = (job.inputs.metadata as { annotations: Record<string, string> })
            .annotations;
        assert.ok(
            Number(annotations["pulumi.com/timeoutSeconds"]) > spec.activeDeadlineSeconds,
            "Pulumi waits as long as the set may take",
        );
        assert.ok(r.dependsOn(one(r, T.deployment), job), "the Deployment waits for the set");
        const role = r.ofType(J.role).find((x) => x.name.endsWith("backup-instance-role"));
        assert.deepStrictEqual((role?.inputs.rules as unknown[])[0], {
            apiGroups: ["apps"],
            resources: ["deployments"],
            verbs: ["get"],
        });
    });

    it("IKO: the operator and the IrisCluster wait for it; it checks for the IrisCluster", async function () {
        const { recording: r } = await ikoInstance();
        const job = preUpgrade(r);
        const c = (job.inputs.spec as JobSpec).template.spec.containers[0];
        assert.strictEqual(envOf(c).WORKLOAD, "irisclusters.intersystems.com");
        assert.ok(r.dependsOn(one(r, T.irisCluster), job), "the IrisCluster waits for the set");
        const operator = one(r, T.release);
        assert.ok(r.dependsOn(operator, job), "an IKO upgrade waits for the set too");
    });

    it("a new image (or IKO version) is a new Job; other changes keep the Job and never re-run it", async function () {
        const base = preUpgrade((await durable()).recording);
        const newer = preUpgrade(
            (
                await durable({
                    image: "containers.intersystems.com/intersystems/iris-community:2025.2",
                })
            ).recording,
        );
        assert.notStrictEqual(
            newer.name,
            base.name,
            "a new Pulumi resource: created, then the old one deleted",
        );
        assert.notStrictEqual(jobName(newer), jobName(base));
        const tuned = preUpgrade(
            (await durable({ backup: { retain: 3, freezeTimeoutSeconds: 30 } })).recording,
        );
        assert.strictEqual(tuned.name, base.name);
        assert.strictEqual(jobName(tuned), jobName(base));
        assert.deepStrictEqual(tuned.ignoreChanges, ["spec"], "a changed spec is not a replace");

        const ikoBase = preUpgrade((await ikoInstance()).recording);
        const ikoNext = preUpgrade(
            (await ikoInstance({}, { chart: { path: "./iko", version: "3.8.43" } })).recording,
        );
        assert.notStrictEqual(ikoNext.name, ikoBase.name, "a new IKO version takes a set first");

        // A retry after a failed set: a new URN, so Pulumi builds it from the current spec.
        const zero = preUpgrade((await durable({ upgrade: { attempt: 0 } })).recording);
        assert.strictEqual(zero.name, base.name, "attempt 0 keeps the Job from before it existed");
        const retry = preUpgrade((await durable({ upgrade: { attempt: 1 } })).recording);
        assert.notStrictEqual(retry.name, base.name, "a new attempt is a new Pulumi resource");
        assert.notStrictEqual(jobName(retry), jobName(base));
    });

    it("job names stay DNS labels for the longest instance names", function () {
        const name = preUpgradeJobName("a".repeat(63), "x");
        assert.ok(name.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name), name);
        assert.notStrictEqual(preUpgradeJobName("iris", "a"), preUpgradeJobName("iris", "b"));
    });

    it("without backups there is no pre-upgrade Job (docs/upgrades.md says so)", async function () {
        const { recording: r } = await build({ iris: { instances: [{ name: "iris" }] } }, [
            "irisPassword",
        ]);
        assert.deepStrictEqual(r.ofType(J.job), []);
    });
});

describe("downgrade guard (mocks)", function () {
    this.timeout(60000);

    it("every workload carries its IRIS release, and waits for the policy binding", async function () {
        const d = (await durable()).recording;
        const i = (await ikoInstance({ compatibilityVersion: "2025.1.2" })).recording;
        const annotations = (x: RecordedResource) =>
            (x.inputs.metadata as { annotations: Record<string, string> }).annotations;
        assert.strictEqual(annotations(one(d, T.deployment))[irisVersionAnnotation], "2025.1.0");
        assert.strictEqual(annotations(one(i, T.irisCluster))[irisVersionAnnotation], "2025.1.2");
        for (const [r, type] of [
            [d, T.deployment],
            [i, T.irisCluster],
        ] as const) {
            const binding = one(r, J.binding);
            assert.ok(r.dependsOn(one(r, type), binding));
            assert.deepStrictEqual(
                (binding.inputs.spec as { validationActions: string[] }).validationActions,
                ["Deny"],
            );
        }
    });

    it("the policy watches updates of Deployments and IrisClusters and compares releases numerically", function () {
        const spec = downgradePolicySpec();
        assert.deepStrictEqual(
            spec.matchConstraints.resourceRules.map((r) => [
                r.apiGroups[0],
                r.resources[0],
                r.operations,
            ]),
            [
                ["apps", "deployments", ["UPDATE"]],
                ["intersystems.com", "irisclusters", ["UPDATE"]],
            ],
        );
        const text = JSON.stringify(spec.variables);
        assert.match(text, /int\(variables\.next\.split\('\.'\)\[0\]\) \* 1000000/);
        assert.strictEqual(spec.failurePolicy, "Fail");
    });

    it("the policy denies dropping the release, tolerates a malformed one, and evaluates only the platform's IRIS workloads", function () {
        const spec = downgradePolicySpec();
        // The API server runs this expression for real in test/e2e/upgrade.e2e.ts; here its
        // shape: no release before passes, a release before needs one now, no lower.
        assert.strictEqual(
            spec.validations[0].expression,
            "variables.lastOrdinal == 0 || (variables.nextOrdinal != 0 && variables.nextOrdinal >= variables.lastOrdinal)",
        );
        for (const v of spec.variables.filter((x) => x.name.endsWith("Ordinal")))
            assert.match(
                v.expression,
                /^!variables\.(next|last)\.matches\('\^\[0-9\]\{1,4\}\[\.\]\[0-9\]\{1,3\}\[\.\]\[0-9\]\{1,3\}\$'\) \? 0 : int\(/,
                "int() only after the value matched Y.M.P (a CEL error would deny the update)",
            );
        assert.deepStrictEqual(spec.matchConstraints.objectSelector, {
            matchLabels: {
                "app.kubernetes.io/name": "iris",
                "app.kubernetes.io/managed-by": "pulumi",
            },
        });
    });
});
