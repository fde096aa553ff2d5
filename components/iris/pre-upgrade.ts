/**
 * The pre-upgrade backup set: a Job that runs the backup-set script of the instance's CronJob
 * (same ServiceAccount, Roles, script and limits) before an IRIS image or IKO version change
 * reaches the workload, which depends on it.
 *
 * Its Pulumi name and Kubernetes name carry a hash of the upgrade target (image; for IKO also the
 * operator version), so a new target is a new Job: it runs, the workload waits for it, and the old
 * Job is deleted at the end of that `up` (Pulumi removes what the program no longer declares), so
 * Jobs do not pile up. `ignoreChanges: ["spec"]` keeps any other change (retain, freeze timeout,
 * a new script ConfigMap) from replacing, and so re-running, the Job of the current target: a new
 * resource starts from the current inputs, so nothing ignored is ever carried into a new Job.
 * A retry after a failed set is such a new resource: `upgrade.attempt` is part of the key.
 *
 * The kubernetes provider waits for a Job to complete and fails the step as soon as its `Failed`
 * condition is true (pulumi/pulumi-kubernetes provider/pkg/await/job.go, at the commit pinned in
 * toolchain/kubernetes-provider/go.mod), so a failed set stops the `up` before the workload.
 */
import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import * as batchv1 from "@pulumi/kubernetes/batch/v1";
import type * as k8sInput from "@pulumi/kubernetes/types/input";

/** The workload an upgrade changes, as kubectl names its resource type. */
export type UpgradeWorkload = "deployments.apps" | "irisclusters.intersystems.com";

/**
 * What the pre-upgrade set is keyed on: a new value is an upgrade (a new Job). `attempt`
 * (`upgrade.attempt`) makes a retry a new Job too; 0 adds nothing, so keys from before it stay.
 */
export function upgradeKey(
    mode: "iko" | "standalone",
    image: string,
    iko?: { chartVersion: string; operatorTag: string },
    attempt = 0,
): string {
    const target =
        mode === "iko" && iko
            ? `${image} iko=${iko.chartVersion} operator=${iko.operatorTag}`
            : image;
    return attempt > 0 ? `${target} attempt=${attempt}` : target;
}

/** `<instance>-pre-upgrade-<hash of key>` (at most 61 characters, a DNS label). */
export function preUpgradeJobName(instance: string, key: string): string {
    const hash = createHash("sha256").update(key).digest("hex").slice(0, 10);
    return `${instance.slice(0, 38).replace(/-+$/, "")}-pre-upgrade-${hash}`;
}

/**
 * The Job's command. A first deploy has no workload yet, so nothing to back up: the script
 * exits 0 then. `kubectl get --ignore-not-found -o name` prints nothing for an absent object and
 * fails for any other error (kubernetes/kubectl v0.35.4 pkg/cmd/get/get.go); before IKO is first
 * installed its CRD is absent and kubectl says "the server doesn't have a resource type"
 * (k8s.io/cli-runtime v0.35.4 pkg/resource/builder.go), which also means no IrisCluster exists.
 * Anything else (RBAC, API errors) fails the Job rather than skip the set.
 */
export function preUpgradeScript(backupScript: string): string {
    return [
        "set -euo pipefail",
        'what="pre-upgrade backup set of $NAMESPACE/$INSTANCE"',
        // stdout alone says whether it exists: kubectl writes warnings (API `Warning:` headers,
        // discovery cache notices) to stderr even when it succeeds.
        "errors=$(mktemp)",
        'if ! found=$(kubectl get "$WORKLOAD" "$INSTANCE" -n "$NAMESPACE" --ignore-not-found -o name 2>"$errors"); then',
        '  err=$(cat "$errors")',
        '  case "$err" in',
        '    *"the server doesn\'t have a resource type"*) found= ;;',
        '    *) echo "$what: cannot tell whether the instance exists: $err" >&2; exit 1 ;;',
        "  esac",
        "fi",
        'if [ -z "$found" ]; then',
        '  echo "$what: $WORKLOAD $INSTANCE does not exist yet (first deploy): nothing to back up"',
        "  exit 0",
        "fi",
        'echo "$what: taking a consistent set before the upgrade to $UPGRADE_TO"',
        `if ! bash ${backupScript}; then`,
        '  echo "$what FAILED: the upgrade to $UPGRADE_TO stops here; the workload is unchanged (docs/upgrades.md)" >&2',
        "  exit 1",
        "fi",
    ].join("\n");
}

export interface PreUpgradeArgs {
    /** Namespace of the instance and of the Job. */
    readonly namespace: string;
    /** Instance name: the Job's name prefix and the workload object `kubectl get` looks for. */
    readonly instance: string;
    /** What the set precedes (image, and IKO version for IKO instances). */
    readonly key: string;
    /** Resource type of the instance `kubectl get` checks (Deployment or IrisCluster); no such object yet: a first deploy, nothing to back up. */
    readonly workload: UpgradeWorkload;
    /** The backup CronJob's Job spec (the pre-upgrade Job runs the same pod). */
    readonly jobSpec: k8sInput.batch.v1.JobSpec;
    /** Labels of the backup CronJob; the Job adds `app.kubernetes.io/component: pre-upgrade`. */
    readonly labels: Record<string, string>;
    /** Seconds the Job may run (its activeDeadlineSeconds); Pulumi waits that long plus a margin. */
    readonly activeDeadlineSeconds: number;
}

/** The pre-upgrade Job (a child of `parent`; options carry provider and dependsOn). */
export function preUpgradeJob(
    name: string,
    args: PreUpgradeArgs,
    opts: pulumi.CustomResourceOptions,
): batchv1.Job {
    const jobName = preUpgradeJobName(args.instance, args.key);
    const labels = { ...args.labels, "app.kubernetes.io/component": "pre-upgrade" };
    const spec = pulumi.output(args.jobSpec).apply((s) => {
        const pod = s.template?.spec;
        if (!pod?.containers?.[0]) throw new Error("internal: backup Job spec without a container");
        const [backup, ...rest] = pod.containers;
        const script = backup.command?.[1] ?? "/scripts/backup.sh";
        return {
            ...s,
            template: {
                ...s.template,
                metadata: { ...s.template?.metadata, labels },
                spec: {
                    ...pod,
                    containers: [
                        {
                            ...backup,
                            command: ["bash", "-c", preUpgradeScript(script)],
                            env: [
                                ...(backup.env ?? []),
                                { name: "WORKLOAD", value: args.workload },
                                { name: "UPGRADE_TO", value: args.key },
                            ],
                        },
                        ...rest,
                    ],
                },
            },
        };
    });
    return new batchv1.Job(
        `${name}-${jobName.slice(jobName.lastIndexOf("-") + 1)}`,
        {
            metadata: {
                name: jobName,
                namespace: args.namespace,
                labels,
                annotations: {
                    "iris-platform.io/upgrade-to": args.key,
                    // Pulumi waits for the Job to complete: as long as a set may take.
                    "pulumi.com/timeoutSeconds": String(args.activeDeadlineSeconds + 300),
                },
            },
            spec,
        },
        // A retry is a new `upgrade.attempt` (a new URN, so built from the current spec): a
        // `--replace` keeps the URN and, spec being ignored, the spec in the state (Pulumi
        // ignoreChanges: https://www.pulumi.com/docs/iac/concepts/options/ignorechanges/).
        // deleteBeforeReplace: should one still be replaced, the same name must go first.
        { ...opts, ignoreChanges: ["spec"], deleteBeforeReplace: true },
    );
}
