/**
 * One IRIS instance's alert group (pure). Sources of the names used:
 * - IRIS metrics: InterSystems, "Monitoring InterSystems IRIS Using REST API", /api/monitor/metrics
 *   metric descriptions (https://docs.intersystems.com/irislatest/csp/docbook/DocBook.UI.Page.cls?KEY=GCM_rest).
 * - `iris_system_state` values: "System Monitor Health State" (GREEN 0, YELLOW 1, RED 2, and HUNG,
 *   which `$SYSTEM.Monitor.State()` returns as -1)
 *   (https://docs.intersystems.com/irislatest/csp/docbook/DocBook.UI.Page.cls?KEY=GCM_healthmon_sysmon_sysstatus).
 * - `up`: Prometheus's own per-target series (prometheus docs/concepts/jobs_instances.md).
 * - `iris_instance`: added by our ServiceMonitor relabeling (monitoring/index.ts).
 * - `kube_pod_labels`, `kube_job_*`, `kube_cronjob_*`: kube-state-metrics v2.20.0 (the app version
 *   of its chart 8.4.0, which kube-prometheus-stack 88.5.3 depends on), internal/store/pod.go,
 *   job.go, cronjob.go; pod label names as internal/store/utils.go `labelName` builds them.
 * - `kube_service_created{namespace,service,uid}`: the same kube-state-metrics,
 *   internal/store/service.go (value `CreationTimestamp.Unix()`; labels
 *   `descServiceLabelsDefaultLabels`), kept as scraped by the chart monitor's `honorLabels: true`.
 *
 * Every IRIS expression aggregates by `iris_instance`: N web-gateway replicas scrape the same data
 * server, so each series arrives N times (differing in `instance`/`pod`).
 */
import { backupRules } from "./backup-rules";
import {
    irisInstanceLabel,
    ksmPodLabel,
    rule,
    type AlertRule,
    type IrisPodLabels,
    type RuleGroup,
    type RuleInstance,
} from "./rule";

/** Free space below this share of the volume pages (journal and WIJ directories). */
export const volumeFreeFraction = 0.1;
/** Database size above this share of its configured maximum warns. */
export const databaseFullFraction = 0.9;

/**
 * Deploy grace: the alerts that a missing or not-yet-ready instance raises (IRISMetricsAbsent,
 * IRISInstanceDown, IRISMirrorNoPrimary, IRISMirrorBackupLost) stay silent this long after the
 * instance's metrics Service was created. Pulumi does not wait for the IrisCluster's pods, and IKO
 * takes 15–30 minutes to bring a mirrored instance up on a first deploy or a restore into a new
 * cluster: without the grace those four page for a deploy that is going fine.
 */
export const deployGraceSeconds = 30 * 60;

/**
 * `unless on ()` with this keeps the alert's own labels (the left side's) and drops it while the
 * instance's `<name>-metrics` Service is younger than the grace. The platform creates that Service
 * at the instance's first deploy (monitoring/index.ts), before any IRIS pod exists, so its age is
 * the deploy's; a Service deleted and recreated (a restore into a new cluster) starts a new grace.
 * kube-state-metrics v2.20.0 internal/store/service.go: `kube_service_created`, the Service's
 * `CreationTimestamp.Unix()`, labels `namespace`, `service`, `uid`.
 * `unless`, not `and`: when kube-state-metrics is not scraped the right side is empty and the
 * alerts fire as they would without the grace, so the main "IRIS is down" pages never depend on
 * kube-state-metrics (only the grace does).
 */
const afterDeployGrace = (i: RuleInstance): string =>
    ` unless on () (time() - kube_service_created{namespace="${i.namespace}", service="${i.name}-metrics"} <= ${deployGraceSeconds})`;
/** The sentence the gated alerts' descriptions end with. */
const graceNote = (i: RuleInstance): string =>
    ` Silent for the first ${deployGraceSeconds / 60} minutes after the Service ${i.name}-metrics was created (a first deploy or a restore, while the pods come up; kube-state-metrics's kube_service_created tells its age).`;

export function irisInstanceRules(i: RuleInstance, podLabels: IrisPodLabels): RuleGroup {
    const id = irisInstanceLabel(i);
    const sel = (extra = "") => `{iris_instance="${id}"${extra}}`;
    // Every alert names the instance and its namespace (Alertmanager groups by namespace).
    const labels = { iris_instance: id, namespace: i.namespace };
    const r = (...a: Parameters<typeof rule>): AlertRule =>
        rule(a[0], a[1], a[2], a[3], a[4], a[5], { ...labels, ...a[6] });
    const threshold = (mib: number) => Math.round(mib * volumeFreeFraction);
    const v = i.journalVolumesMiB;
    const rules: AlertRule[] = [
        r(
            "IRISMetricsAbsent",
            "critical",
            // No target at all: the Service selects no pod, or the monitor is not picked up.
            `absent(up${sel()})` + afterDeployGrace(i),
            "10m",
            `IRIS ${id} has no metrics target`,
            `Prometheus has no scrape target for ${id}: the Service ${i.name}-metrics selects no pod, or the ServiceMonitor ${i.name}-iris is not selected. Check \`kubectl get endpoints -n ${i.namespace} ${i.name}-metrics\` and Prometheus's targets page.` +
                graceNote(i),
        ),
        r(
            "IRISInstanceDown",
            "critical",
            `(max by (iris_instance) (up${sel()}) == 0)` + afterDeployGrace(i),
            "5m",
            `IRIS ${id} does not answer /api/monitor/metrics`,
            `No scrape of ${id} succeeds. Check the pods (\`kubectl get pods -n ${i.namespace}\`), \`iris qlist\` inside the data pod, and the web gateway in front of it; if the pod runs but the endpoint fails, check that the /api/monitor web application is enabled and its login.` +
                graceNote(i),
        ),
        r(
            "IRISMetricsIncomplete",
            "warning",
            // A metric the alerts below read is missing while the instance is scraped (renamed in
            // this IRIS version, or left out of /api/monitor's metric set): those alerts could
            // never fire. One series per missing metric, named in the `metric` label.
            readMetrics(i)
                .map(
                    (m) =>
                        `(label_replace(max by (iris_instance) (up${sel()}) == 1, "metric", "${m}", "iris_instance", ".*")` +
                        ` unless on (iris_instance) group by (iris_instance) (${m}${sel()}))`,
                )
                .join(" or "),
            "30m",
            `IRIS ${id} does not report {{ $labels.metric }}`,
            `/api/monitor/metrics of ${id} answers but has no {{ $labels.metric }}, so the alerts that read it cannot fire. Compare the metric names your IRIS version documents (InterSystems, "Monitoring InterSystems IRIS Using REST API") with docs/monitoring.md.`,
        ),
        r(
            "IRISInstanceHung",
            "critical",
            // HUNG (-1): global updates are blocked (journal daemon, write daemon or free buffers).
            `min by (iris_instance) (iris_system_state${sel()}) < 0`,
            "2m",
            `IRIS ${id} is hung (system state -1)`,
            `Global updates are blocked on ${id}. messages.log names the cause (journal or write daemon stalled, free buffers critical, a switch set); a journal volume that is full or an external freeze not thawed are the usual ones here.`,
        ),
        r(
            "IRISSystemStateAlert",
            "critical",
            `max by (iris_instance) (iris_system_state${sel()}) >= 2`,
            "5m",
            `IRIS ${id} reports system state 2 (alert)`,
            `The IRIS System Monitor raised its health state to RED (it clears 30 minutes after the last alert). Read messages.log (\`iris console\` or \`kubectl logs\`) and /api/monitor/alerts for the alerts that raised it before restarting anything.`,
        ),
        r(
            "IRISJournalSpaceLow",
            "critical",
            // iris_jrn_free_space{id,dir}: MB free under each journal directory and the WIJ.
            `min by (iris_instance, id) (iris_jrn_free_space${sel(', id="primary"')}) < ${threshold(v.primary)}` +
                ` or min by (iris_instance, id) (iris_jrn_free_space${sel(', id="secondary"')}) < ${threshold(v.secondary)}`,
            "10m",
            `IRIS ${id}: under 10% free on the {{ $labels.id }} journal volume`,
            `Under ${threshold(v.primary)} MB (primary) / ${threshold(v.secondary)} MB (secondary) free, 10% of the volumes (${Math.round(v.primary)} / ${Math.round(v.secondary)} MiB). When journaling cannot write, IRIS freezes all updates. Expand the journal PVC (the class allows expansion), or purge journal files older than the last backup set (^JRNUTIL).`,
        ),
        r(
            "IRISWIJSpaceLow",
            "critical",
            `min by (iris_instance, id) (iris_jrn_free_space${sel(', id="WIJ"')}) < ${threshold(v.WIJ)}`,
            "10m",
            `IRIS ${id}: under 10% free on the WIJ volume`,
            `Under ${threshold(v.WIJ)} MB free of ${Math.round(v.WIJ)} MiB. The write image journal needs room for a full write-daemon cycle; expand the WIJ PVC before it fills.`,
        ),
        r(
            "IRISDatabaseNearMaxSize",
            "warning",
            // iris_db_size_mb{id,dir} but iris_db_max_size_mb{id}: match ignoring dir; max 0 = no limit.
            `max by (iris_instance, id, dir) (iris_db_size_mb${sel()})` +
                ` / ignoring (dir) group_left () max by (iris_instance, id) (iris_db_max_size_mb${sel()} > 0)` +
                ` > ${databaseFullFraction}`,
            "30m",
            `Database {{ $labels.id }} of ${id} is above 90% of its maximum size`,
            `Writes fail with <FILEFULL> at the maximum. Raise the database's maximum size, or free space (compact/truncate), in time.`,
        ),
        r(
            "IRISLicenseNearlyUsed",
            "warning",
            `max by (iris_instance) (iris_license_percent_used${sel()}) > 90`,
            "15m",
            `IRIS ${id} uses over 90% of its licence units`,
            `New connections are refused once the licence is used up. Find the sessions holding units ($SYSTEM.License.ShowSummary()), or extend the licence.`,
        ),
        r(
            "IRISWriteDaemonSlow",
            "warning",
            // iris_wd_cycle_time: milliseconds the last write-daemon cycle took.
            `max by (iris_instance) (iris_wd_cycle_time${sel()}) > 60000`,
            "10m",
            `IRIS ${id}: write-daemon cycles take over 60 s`,
            `Long write-daemon cycles mean the storage cannot keep up. Check Longhorn volume latency and replica rebuilds on the instance's node.`,
        ),
    ];
    if (i.computeReplicas > 0)
        rules.push(
            r(
                "IRISECPServerConnectionsLow",
                "warning",
                // iris_ecps_conn: client connections to this (data) server; iris_ecp_conn is the
                // application-server side, which the data server does not report.
                `max by (iris_instance) (iris_ecps_conn${sel()}) < ${i.computeReplicas}`,
                "10m",
                `IRIS ${id}: fewer than ${i.computeReplicas} ECP application servers connected`,
                `The data server serves fewer ECP clients than the ${i.computeReplicas} compute nodes configured. Check the compute pods (\`kubectl get pods -n ${i.namespace} -l ${podLabels.component}=compute\`) and the network between them and the data node.`,
            ),
        );
    if (i.mirrored) rules.push(...mirrorRules(i, podLabels, r));
    if (i.backup) rules.push(...backupRules(i, i.backup, labels));
    return { name: irisRuleGroupName(i.namespace, i.name), rules };
}

/** The rule group of one IRIS instance. */
export const irisRuleGroupName = (namespace: string, name: string): string =>
    `iris-${namespace}-${name}`;

/** The IRIS metrics this instance's alerts read (the ECP one only with compute nodes). */
function readMetrics(i: RuleInstance): string[] {
    return [
        "iris_system_state",
        "iris_jrn_free_space",
        "iris_db_size_mb",
        "iris_license_percent_used",
        "iris_wd_cycle_time",
        ...(i.computeReplicas > 0 ? ["iris_ecps_conn"] : []),
    ];
}

/**
 * Mirror roles from IKO's mirror-role pod label (`podLabels.mirrorRole`; values `primary`/`backup`, as
 * the backup script also reads them) through kube-state-metrics: `label_` + snake case of the
 * sanitized key (kube-state-metrics v2.20.0 internal/store/utils.go `labelName`, `toSnakeCase`),
 * with the pod's `namespace`, `pod`, `uid`. Exported only for keys in `metricLabelsAllowlist`
 * (`createPrometheusLabelKeysValues`: a key the pod lacks, or one not allowed, is left out).
 * `absent()`: a role no pod of the instance carries, however that comes about — the member is
 * gone, or kube-state-metrics does not export these labels (a stock one in `existing` mode) —
 * pages, rather than the alert never being able to fire. `absent()` yields its selector's equality
 * labels (`namespace` among them; prometheus promql/functions.go createLabelsForAbsentFunction),
 * and `unless on ()` keeps them. Gated by the deploy grace (`afterDeployGrace`); a
 * kube-state-metrics that is not scraped at all still makes them page (nothing to see).
 */
function mirrorRules(
    i: RuleInstance,
    labels: IrisPodLabels,
    r: (...a: Parameters<typeof rule>) => AlertRule,
) {
    const [name, role] = [ksmPodLabel(labels.instance), ksmPodLabel(labels.mirrorRole)];
    const noPod = (value: string) =>
        `absent(kube_pod_labels{namespace="${i.namespace}", ${name}="${i.name}", ${role}="${value}"})` +
        afterDeployGrace(i);
    const id = irisInstanceLabel(i);
    return [
        r(
            "IRISMirrorBackupLost",
            "critical",
            noPod("backup"),
            "5m",
            `Mirror ${id} has no backup member`,
            `No pod of ${id} is labelled ${labels.mirrorRole}=backup: a mirror without an active backup has no failover. Check the other data pod and its mirror status (/csp/bin/mirror_status.cxw or the Mirror Monitor); a member stuck catching up usually needs its journal files, a lost one must be rebuilt from the primary. If both data pods run, kube-state-metrics does not export the pod labels ${labels.instance} and ${labels.mirrorRole} (its metricLabelsAllowlist; docs/monitoring.md).${graceNote(i)}`,
        ),
        r(
            "IRISMirrorNoPrimary",
            "critical",
            noPod("primary"),
            "2m",
            `Mirror ${id} has no primary`,
            `No pod of ${id} is labelled ${labels.mirrorRole}=primary, so the instance serves nobody. Check the arbiter and both members' messages.log for why failover did not happen. If the instance serves, kube-state-metrics does not export the pod labels ${labels.instance} and ${labels.mirrorRole} (its metricLabelsAllowlist; docs/monitoring.md).${graceNote(i)}`,
        ),
    ];
}
