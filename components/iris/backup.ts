/**
 * Consistent backup sets of one IRIS instance: a CronJob running the backup-set script
 * (backup-script.ts) under its own ServiceAccount with the least RBAC it needs: exec into the
 * instance's pods and read their claims in the instance's namespace, read PVs, and make
 * Snapshots and Backups in Longhorn's namespace.
 *
 * Options: `provider` (the cluster's Kubernetes provider), `dependsOn` (the namespace).
 */
import * as pulumi from "@pulumi/pulumi";
import * as batchv1 from "@pulumi/kubernetes/batch/v1";
import * as corev1 from "@pulumi/kubernetes/core/v1";
import type * as k8sInput from "@pulumi/kubernetes/types/input";
import { childOptions } from "../providers";
import { renderBackupScript, thawTimeoutSeconds, type BackupEnv } from "./backup-script";
import { preUpgradeJob, type UpgradeWorkload } from "./pre-upgrade";
import { grantRules, jobContainer, jobVolumes } from "./kubectl-job";

/** When and how an instance's sets are taken (resolved from config). */
export interface BackupPlan {
    /** Cron of the set. */
    readonly schedule: string;
    /** Complete sets kept. */
    readonly retain: number;
    /** Seconds IRIS may stay frozen. */
    readonly freezeTimeoutSeconds: number;
}

export interface IrisBackupArgs {
    /** Namespace of the instance, where the CronJob, its ServiceAccount and its script go. */
    readonly namespace: string;
    /** Instance name. */
    readonly instance: string;
    /** Label selector of the instance's data pods. */
    readonly podSelector: string;
    /** IRIS container name; empty for the pod's default container. */
    readonly container: string;
    /** Schedule, sets kept and freeze timeout of the instance's backup sets. */
    readonly plan: BackupPlan;
    /** Longhorn's namespace (Snapshots and Backups). */
    readonly longhornNamespace: string;
    /** Take a set before this upgrade target reaches the workload (pre-upgrade.ts). */
    readonly preUpgrade?: {
        /** What the set precedes (image, and IKO version for IKO instances): a new key, a new Job. */
        readonly key: string;
        /** Resource type of the instance the pre-upgrade Job checks and may read. */
        readonly workload: UpgradeWorkload;
    };
}

/** Where backup sets live and which instances take them. */
export interface IrisBackups {
    readonly longhornNamespace: string;
    /** Longhorn replicas of a restored volume. */
    readonly replicas: number;
    /** `namespace/name` → plan, for each instance with backups on. */
    readonly plans: Readonly<Record<string, BackupPlan>>;
}

/** Seconds the backups of a set may take to reach the target. */
export const backupTimeoutSeconds = 3 * 3600;

/** A rule of the backup Job's Roles (plain values: the fake kubectl in the tests enforces them). */
export interface BackupRule {
    readonly apiGroups: string[];
    readonly resources: string[];
    readonly verbs: string[];
}

/**
 * The verbs each kubectl call of the backup script needs (kubernetes/kubectl kubernetes-1.35.0):
 * `get pods -l` lists, `get <name>` gets; `exec` gets the pod, then creates pods/exec
 * (pkg/cmd/exec/exec.go); `create -f -` creates; `wait` gets, lists and watches
 * (pkg/cmd/wait/condition.go getObjAndCheckCondition); `label` gets, then patches
 * (pkg/cmd/label/label.go); `delete` deletes.
 */
export function backupRules(workload?: UpgradeWorkload): {
    instance: BackupRule[];
    longhorn: BackupRule[];
    volumes: BackupRule[];
} {
    // The pre-upgrade Job first gets the workload it precedes (`kubectl get <type> <name>`).
    const [resource, group] = workload ? workload.split(/\.(.*)/) : [];
    return {
        instance: [
            ...(workload
                ? [
                      {
                          apiGroups: [group],
                          resources: [resource],
                          verbs: ["get"],
                      },
                  ]
                : []),
            { apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] },
            { apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] },
            { apiGroups: [""], resources: ["persistentvolumeclaims"], verbs: ["get"] },
            { apiGroups: [""], resources: ["events"], verbs: ["create"] },
        ],
        longhorn: [
            {
                apiGroups: ["longhorn.io"],
                resources: ["snapshots"],
                verbs: ["create", "get", "list", "watch", "delete"],
            },
            {
                apiGroups: ["longhorn.io"],
                resources: ["backups"],
                verbs: ["create", "get", "list", "patch", "delete"],
            },
        ],
        volumes: [{ apiGroups: [""], resources: ["persistentvolumes"], verbs: ["get"] }],
    };
}

/**
 * Time limits of a set's Job. The pod's grace period outlasts the freeze window plus the thaw
 * call, so a TERM (deadline, eviction, node drain) always leaves time to thaw; the Job's deadline
 * covers the freeze window, the backups' timeout and a margin for discovery and pruning.
 */
export function backupJobLimits(freezeTimeoutSeconds: number): {
    terminationGracePeriodSeconds: number;
    /** How late a run may start (the backup-age alert adds it to the deadline). */
    startingDeadlineSeconds: number;
    activeDeadlineSeconds: number;
} {
    return {
        terminationGracePeriodSeconds: freezeTimeoutSeconds + thawTimeoutSeconds + 30,
        startingDeadlineSeconds: 3600,
        activeDeadlineSeconds: freezeTimeoutSeconds + backupTimeoutSeconds + 900,
    };
}

/** The CronJob of an instance's backup sets (the backup-age alerts watch it by name). */
export const backupCronJobName = (instance: string): string => `${instance}-backup`;

export class IrisBackup extends pulumi.ComponentResource {
    public readonly cronJob: batchv1.CronJob;
    public readonly serviceAccount: corev1.ServiceAccount;
    /** The Job that takes a set before an upgrade (with `preUpgrade`); the workload waits for it. */
    public readonly preUpgradeJob?: batchv1.Job;

    constructor(name: string, args: IrisBackupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iris-platform:iris:IrisBackup", name, {}, opts);
        const k8s = childOptions(this, opts, { provider: "kubernetes" });
        const ns = args.namespace;
        const id = `iris-backup-${ns}-${args.instance}`;
        const labels = {
            "app.kubernetes.io/name": "iris-backup",
            "app.kubernetes.io/instance": args.instance,
        };

        this.serviceAccount = new corev1.ServiceAccount(
            `${name}-account`,
            { metadata: { name: `${args.instance}-backup`, namespace: ns, labels } },
            k8s,
        );
        const subject = { kind: "ServiceAccount", name: `${args.instance}-backup`, namespace: ns };
        const grant = (
            role: string,
            namespace: string | undefined,
            rules: k8sInput.rbac.v1.PolicyRule[],
        ) =>
            grantRules(`${name}-${role}`, id, namespace, rules, subject, labels, {
                ...k8s,
                dependsOn: [this.serviceAccount],
            });
        const rules = backupRules(args.preUpgrade?.workload);
        const grants = [
            grant("instance", ns, rules.instance),
            grant("longhorn", args.longhornNamespace, rules.longhorn),
            grant("volumes", undefined, rules.volumes),
        ];

        const script = new corev1.ConfigMap(
            `${name}-script`,
            { metadata: { namespace: ns, labels }, data: { "backup.sh": renderBackupScript() } },
            k8s,
        );
        const env: BackupEnv = {
            NAMESPACE: ns,
            INSTANCE: args.instance,
            POD_SELECTOR: args.podSelector,
            CONTAINER: args.container,
            LONGHORN_NAMESPACE: args.longhornNamespace,
            RETAIN: String(args.plan.retain),
            FREEZE_TIMEOUT: String(args.plan.freezeTimeoutSeconds),
            BACKUP_TIMEOUT: String(backupTimeoutSeconds),
        };
        const limits = backupJobLimits(args.plan.freezeTimeoutSeconds);
        const jobSpec: k8sInput.batch.v1.JobSpec = {
            // A failed set is reported, not retried into a second set.
            backoffLimit: 0,
            activeDeadlineSeconds: limits.activeDeadlineSeconds,
            template: {
                metadata: { labels },
                spec: {
                    terminationGracePeriodSeconds: limits.terminationGracePeriodSeconds,
                    serviceAccountName: this.serviceAccount.metadata.name,
                    restartPolicy: "Never",
                    containers: [jobContainer("backup", "backup.sh", { ...env })],
                    volumes: jobVolumes(script.metadata.name),
                },
            },
        };
        this.cronJob = new batchv1.CronJob(
            `${name}-cron`,
            {
                metadata: { name: backupCronJobName(args.instance), namespace: ns, labels },
                spec: {
                    schedule: args.plan.schedule,
                    timeZone: "Etc/UTC",
                    // One set at a time; a missed run is taken within the hour or skipped.
                    concurrencyPolicy: "Forbid",
                    startingDeadlineSeconds: limits.startingDeadlineSeconds,
                    successfulJobsHistoryLimit: 3,
                    failedJobsHistoryLimit: 5,
                    jobTemplate: { metadata: { labels }, spec: jobSpec },
                },
            },
            { ...k8s, dependsOn: [...k8s.dependsOn, ...grants] },
        );
        if (args.preUpgrade)
            this.preUpgradeJob = preUpgradeJob(
                `${name}-pre-upgrade`,
                {
                    namespace: ns,
                    instance: args.instance,
                    key: args.preUpgrade.key,
                    workload: args.preUpgrade.workload,
                    jobSpec,
                    labels,
                    activeDeadlineSeconds: limits.activeDeadlineSeconds,
                },
                { ...k8s, dependsOn: [...k8s.dependsOn, ...grants] },
            );
        this.registerOutputs({ cronJob: this.cronJob.metadata.name });
    }
}
