/**
 * The alert rules (pure): what an IRIS operator wants to be paged for, each with a runbook-style
 * description. IRIS metrics come from `/api/monitor/metrics` (names as InterSystems documents
 * them; `iris_instance` is added by our ServiceMonitors), mirror roles from the IKO pod label
 * `intersystems.com/mirrorRole` through kube-state-metrics, the rest from Longhorn, cert-manager
 * and kube-state-metrics (the backup sets' Jobs).
 */

export interface AlertRule {
    readonly alert: string;
    readonly expr: string;
    /** How long the condition must hold. */
    readonly for: string;
    readonly labels: { readonly severity: "critical" | "warning" };
    readonly annotations: { readonly summary: string; readonly description: string };
}

export interface RuleGroup {
    readonly name: string;
    readonly rules: readonly AlertRule[];
}

const rule = (
    alert: string,
    severity: AlertRule["labels"]["severity"],
    expr: string,
    forDuration: string,
    summary: string,
    description: string,
): AlertRule => ({
    alert,
    expr,
    for: forDuration,
    labels: { severity },
    annotations: { summary, description },
});

const mirrorRole = (role: string) =>
    `count by (namespace, label_intersystems_com_name) (kube_pod_labels{label_intersystems_com_mirrorrole="${role}"})`;

export const irisRules: RuleGroup = {
    name: "iris",
    rules: [
        rule(
            "IRISInstanceDown",
            "critical",
            'up{iris_instance!=""} == 0',
            "5m",
            "IRIS {{ $labels.iris_instance }} does not answer /api/monitor/metrics",
            "Prometheus cannot scrape the instance. Check the pod (`kubectl get pods -n {{ $labels.namespace }}`), `iris qlist` inside it, and the web gateway in front of it. If the pod runs but the endpoint fails, check that the /api/monitor web application is enabled.",
        ),
        rule(
            "IRISSystemStateSevere",
            "critical",
            'iris_system_state{iris_instance!=""} >= 2',
            "5m",
            "IRIS {{ $labels.iris_instance }} reports system state {{ $value }} (2 severe, 3 fatal)",
            "The IRIS System Monitor has raised a severe or fatal state. Read messages.log (`kubectl logs` or `iris console`) for the alert that caused it before restarting anything.",
        ),
        rule(
            "IRISMirrorBackupLost",
            "critical",
            `${mirrorRole("primary")} unless ${mirrorRole("backup")}`,
            "5m",
            "Mirror {{ $labels.label_intersystems_com_name }} has a primary but no backup member",
            "A mirror without an active backup has no failover. Check the other data pod and its mirror status (`/csp/bin/mirror_status.cxw` or the Mirror Monitor); a member stuck catching up usually needs its journal files, a lost one must be rebuilt from the primary.",
        ),
        rule(
            "IRISMirrorNoPrimary",
            "critical",
            `${mirrorRole("backup")} unless ${mirrorRole("primary")}`,
            "2m",
            "Mirror {{ $labels.label_intersystems_com_name }} has no primary",
            "No member is primary, so the instance serves nobody. Check the arbiter and both members' messages.log for why failover did not happen.",
        ),
        rule(
            "IRISJournalSpaceLow",
            "critical",
            'iris_jrn_free_space{id=~"primary|secondary"} < 5120',
            "10m",
            "IRIS {{ $labels.iris_instance }}: {{ $value }} MB free on the {{ $labels.id }} journal volume",
            "When the journal volume fills, IRIS freezes all updates. Expand the journal PVC (the class allows expansion), or purge journal files older than the last backup set (`^JRNUTIL`).",
        ),
        rule(
            "IRISWIJSpaceLow",
            "critical",
            'iris_jrn_free_space{id="WIJ"} < 2048',
            "10m",
            "IRIS {{ $labels.iris_instance }}: {{ $value }} MB free on the WIJ volume",
            "The write image journal needs room for a full write-daemon cycle. Expand the WIJ PVC before it fills.",
        ),
        rule(
            "IRISDatabaseNearMaxSize",
            "warning",
            "iris_db_size_mb / (iris_db_max_size_mb > 0) > 0.9",
            "30m",
            "Database {{ $labels.id }} of {{ $labels.iris_instance }} is above 90% of its maximum size",
            "Raise the database's maximum size, or free space (compact/truncate), before writes fail with <FILEFULL>.",
        ),
        rule(
            "IRISLicenseNearlyUsed",
            "warning",
            "iris_license_percent_used > 90",
            "15m",
            "IRIS {{ $labels.iris_instance }} uses {{ $value }}% of its licence units",
            "New connections are refused once the licence is used up. Find the sessions holding units (`$SYSTEM.License.ShowSummary()`), or extend the licence.",
        ),
        rule(
            "IRISCacheEfficiencyLow",
            "warning",
            "iris_cache_efficiency < 90",
            "30m",
            "IRIS {{ $labels.iris_instance }}: cache efficiency {{ $value }}",
            "Few global references are served from memory per physical read: the database cache (`cpf.globalBuffersMB`) is too small for the working set, or a query scans more than it should.",
        ),
        rule(
            "IRISWriteDaemonSlow",
            "warning",
            "iris_wd_cycle_time > 60000",
            "10m",
            "IRIS {{ $labels.iris_instance }}: write-daemon cycle took {{ $value }} ms",
            "Long write-daemon cycles mean the storage cannot keep up. Check Longhorn volume latency and replica rebuilds on the instance's node.",
        ),
        rule(
            "IRISECPConnectionsLost",
            "warning",
            "iris_ecp_conn < max_over_time(iris_ecp_conn[1h])",
            "10m",
            "IRIS {{ $labels.iris_instance }} has fewer ECP connections than an hour ago",
            "A compute node lost its ECP connection to the data server. Check the compute pods and the network between them and the data node.",
        ),
    ],
};

export const platformRules: RuleGroup = {
    name: "iris-platform",
    rules: [
        rule(
            "LonghornVolumeDegraded",
            "warning",
            'longhorn_volume_robustness{state="degraded"} == 1',
            "15m",
            "Longhorn volume {{ $labels.volume }} is degraded",
            "A replica is missing; Longhorn rebuilds it when a node has room. A volume degraded for long usually means too few schedulable nodes for longhorn.replicaCount.",
        ),
        rule(
            "LonghornVolumeFaulted",
            "critical",
            'longhorn_volume_robustness{state="faulted"} == 1',
            "1m",
            "Longhorn volume {{ $labels.volume }} is faulted",
            "No healthy replica is left: the workload on it is down. Follow Longhorn's 'volume faulted' recovery, and restore from the latest backup set if no replica can be salvaged.",
        ),
        rule(
            "LonghornBackupFailed",
            "warning",
            "longhorn_backup_state == 4",
            "1m",
            "Longhorn backup {{ $labels.backup }} of {{ $labels.volume }} failed",
            "Check the backup target and its credentials (Secret longhorn-backup-credentials); the backup set it belongs to is marked failed.",
        ),
        rule(
            "IRISBackupSetFailed",
            "critical",
            'kube_job_status_failed{job_name=~".+-backup-[0-9]+"} > 0',
            "1m",
            "Backup set job {{ $labels.namespace }}/{{ $labels.job_name }} failed",
            "The set was marked failed and does not count. `kubectl get events -n {{ $labels.namespace }} --field-selector reason=BackupSetFailed` says why (docs/backup.md).",
        ),
        rule(
            "IRISBackupSetMissing",
            "critical",
            'time() - max by (namespace, cronjob) (kube_cronjob_status_last_successful_time{cronjob=~".+-backup"}) > 26 * 3600',
            "30m",
            "No good backup set of {{ $labels.namespace }}/{{ $labels.cronjob }} for over 26 hours",
            "The RPO is growing. Check the CronJob's recent Jobs and Events; a daily schedule should never be this old (adjust the threshold for other schedules).",
        ),
        rule(
            "CertificateExpiresSoon",
            "warning",
            "certmanager_certificate_expiration_timestamp_seconds - time() < 14 * 86400",
            "1h",
            "Certificate {{ $labels.namespace }}/{{ $labels.name }} expires in under 14 days",
            "cert-manager renews 30 days ahead, so this one is failing to renew: `kubectl describe certificate -n {{ $labels.namespace }} {{ $labels.name }}` and its CertificateRequest/Challenge say why (often the HTTP-01 solver cannot be reached).",
        ),
    ],
};

export const ruleGroups: readonly RuleGroup[] = [irisRules, platformRules];
