/**
 * An instance's backup-set alerts (pure), from its CronJob's Jobs through kube-state-metrics
 * v2.20.0 (chart 8.4.0, kube-prometheus-stack 88.5.3):
 * - internal/store/job.go: `kube_job_failed{namespace,job_name,condition}` (1 on the condition
 *   status of the Job's Failed condition), `kube_job_status_start_time{namespace,job_name}`,
 *   `kube_job_owner{namespace,job_name,owner_kind,owner_name,owner_is_controller}`.
 * - internal/store/cronjob.go: `kube_cronjob_status_last_successful_time{namespace,cronjob}`
 *   (absent until a Job succeeds), `kube_cronjob_created{namespace,cronjob}`.
 * kube-prometheus-stack scrapes kube-state-metrics with `honorLabels: true`, so `namespace` is
 * the object's namespace.
 */
import { longestCronGapSeconds } from "../../domain/cron";
import { rule, type AlertRule, type RuleInstance } from "./rule";

type Backup = NonNullable<RuleInstance["backup"]>;

/** Hours, rounded up to a tenth, for messages. */
const hours = (s: number) => Math.ceil(s / 360) / 10;

/**
 * The age past which the last good set is overdue: the longest gap of the schedule, plus how
 * late and how long a run may be (the CronJob's starting deadline and the Job's active deadline).
 */
export function backupOverdueSeconds(b: Backup): number {
    return longestCronGapSeconds(b.schedule) + b.maxRunSeconds;
}

export function backupRules(
    i: RuleInstance,
    b: Backup,
    labels: Record<string, string>,
): AlertRule[] {
    const ns = i.namespace;
    const cj = `namespace="${ns}", cronjob="${b.cronJob}"`;
    const lastGood = `max by (namespace, cronjob) (kube_cronjob_status_last_successful_time{${cj}})`;
    const overdue = backupOverdueSeconds(b);
    // A failed Job (kept by failedJobsHistoryLimit) counts only until a later run succeeds.
    const failedJobStart =
        `max by (namespace, job_name) (kube_job_status_start_time{namespace="${ns}"}` +
        ` and on (namespace, job_name) (kube_job_failed{namespace="${ns}", condition="true"} == 1)` +
        ` and on (namespace, job_name) kube_job_owner{namespace="${ns}", owner_kind="CronJob", owner_name="${b.cronJob}"})`;
    return [
        rule(
            "IRISBackupSetFailed",
            "critical",
            `${failedJobStart} > scalar(max(kube_cronjob_status_last_successful_time{${cj}}) or vector(0))`,
            "1m",
            `Backup set job ${ns}/{{ $labels.job_name }} failed, and no set has succeeded since`,
            `The Job's Events say which: \`BackupSetFailed\` (the set was marked failed and does not count), \`ThawFailed\` (the set is complete but IRIS may still be frozen: check it now) or \`BackupPruneFailed\` (the set is complete; older sets stay). \`kubectl get events -n ${ns} --field-selector type=Warning\` and the Job's log say why (docs/backup.md). This clears when a later set succeeds.`,
            labels,
        ),
        rule(
            "IRISBackupSetMissing",
            "critical",
            `time() - ${lastGood} > ${overdue}` +
                ` or (time() - max by (namespace, cronjob) (kube_cronjob_created{${cj}}) > ${overdue}` +
                ` unless on (namespace, cronjob) ${lastGood})` +
                // The CronJob not reported at all (deleted, or kube-state-metrics not scraped):
                // no set is being made, and without this nothing above could ever fire.
                ` or absent(kube_cronjob_created{${cj}})`,
            "10m",
            `No good backup set of ${i.namespace}/${i.name} for over ${hours(overdue)} hours, or its CronJob is not seen`,
            `The schedule "${b.schedule}" should have produced a good set by now (its longest gap plus the run's deadlines: ${hours(overdue)} h), or kube-state-metrics does not report the CronJob ${b.cronJob} at all (deleted, or not scraped). The RPO is growing: check the CronJob's recent Jobs and Events (\`kubectl get cronjob,jobs -n ${ns}\`).`,
            { ...labels, cronjob: b.cronJob },
        ),
    ];
}
