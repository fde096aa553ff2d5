/**
 * The platform's alert group (pure): Longhorn volumes and backups, cert-manager certificates.
 * - Longhorn v1.12.1 longhorn-manager metrics_collector/volume_collector.go:
 *   `longhorn_volume_robustness{node,volume,pvc,pvc_namespace,state}` is label-based, one series
 *   per state (unknown, healthy, degraded, faulted; k8s/pkg/apis/longhorn/v1beta2/volume.go) with
 *   1 on the current one; `longhorn_volume_last_backup_at{node,volume,pvc,pvc_namespace}` (Unix
 *   seconds of the backup volume's last backup, 0 when none). Emitted by the manager that owns
 *   the volume only.
 * - backup_collector.go: `longhorn_backup_state{volume,backup,recurring_job}`, 0 New, 1 Pending,
 *   2 InProgress, 3 Completed, 4 Error, 5 Unknown (`getBackupStateValue`); `volume` is the
 *   Backup's `backup-volume` label, which backup_controller.go resolves as the volume's name.
 * - cert-manager v1.21.1 internal/collectors/certificate_collector.go:
 *   `certmanager_certificate_expiration_timestamp_seconds{name,namespace,issuer_*}` and
 *   `certmanager_certificate_ready_status{name,namespace,condition,issuer_*}` (one series per
 *   condition True/False/Unknown, 1 on the Ready condition's status). Our ServiceMonitor
 *   does not honour labels, so Prometheus moves the certificate's `namespace` to
 *   `exported_namespace` (prometheus docs/configuration/configuration.md, `honor_labels`).
 */
import { rule, type AlertRule, type RuleGroup, type RulesInput } from "./rule";

/** How far back a Longhorn backup's first Error is looked for (its time is not a metric). */
export const backupErrorLookback = "7d";

export function platformRules(input: RulesInput): RuleGroup {
    const rules: AlertRule[] = [];
    if (input.longhorn) {
        const robustness = (state: string) =>
            `max by (volume, pvc, pvc_namespace) (longhorn_volume_robustness{state="${state}"}) == 1`;
        // When each backup was first seen in Error (within the lookback).
        const errorSince = `min by (volume, backup) (min_over_time(timestamp(longhorn_backup_state == 4)[${backupErrorLookback}:5m]))`;
        rules.push(
            rule(
                "LonghornVolumeDegraded",
                "warning",
                robustness("degraded"),
                "15m",
                "Longhorn volume {{ $labels.volume }} ({{ $labels.pvc_namespace }}/{{ $labels.pvc }}) is degraded",
                "A replica is missing; Longhorn rebuilds it when a node has room. A volume degraded for long usually means too few schedulable nodes for longhorn.replicaCount.",
            ),
            rule(
                "LonghornVolumeFaulted",
                "critical",
                robustness("faulted"),
                "1m",
                "Longhorn volume {{ $labels.volume }} ({{ $labels.pvc_namespace }}/{{ $labels.pvc }}) is faulted",
                "No healthy replica is left: the workload on it is down. Follow Longhorn's 'volume faulted' recovery, and restore from the latest backup set if no replica can be salvaged.",
            ),
            rule(
                "LonghornBackupFailed",
                "warning",
                // Resolves once the volume's last backup is newer than the failure (a later one
                // completed), not only when the failed Backup is pruned.
                `${errorSince} unless on (volume, backup) (${errorSince} < on (volume) group_left () max by (volume) (longhorn_volume_last_backup_at))`,
                "1m",
                "Longhorn backup {{ $labels.backup }} of volume {{ $labels.volume }} failed, and none has completed since",
                "Check the backup target and its credentials (Secret longhorn-backup-credentials) and `kubectl get backups.longhorn.io -n longhorn-system {{ $labels.backup }} -o yaml` (status.error). A backup set it belongs to is marked failed.",
            ),
        );
    }
    if (input.certManager)
        rules.push(
            rule(
                "CertificateExpiresSoon",
                "warning",
                // 0 until the certificate is first issued (`updateCertificateExpiry`): CertificateNotReady.
                "min by (exported_namespace, name) (certmanager_certificate_expiration_timestamp_seconds > 0) - time() < 14 * 86400",
                "1h",
                "Certificate {{ $labels.exported_namespace }}/{{ $labels.name }} expires in under 14 days",
                "cert-manager renews 30 days ahead, so this one is failing to renew: `kubectl describe certificate -n {{ $labels.exported_namespace }} {{ $labels.name }}` and its CertificateRequest/Challenge say why (often the HTTP-01 solver cannot be reached).",
            ),
            rule(
                "CertificateNotReady",
                "warning",
                'max by (exported_namespace, name) (certmanager_certificate_ready_status{condition="False"}) == 1',
                "1h",
                "Certificate {{ $labels.exported_namespace }}/{{ $labels.name }} has not been Ready for an hour",
                "Its host is served without a valid certificate. `kubectl describe certificate -n {{ $labels.exported_namespace }} {{ $labels.name }}` and its CertificateRequest/Order/Challenge say why (DNS not pointing at the ingress yet, HTTP-01 unreachable, ACME rate limits).",
            ),
        );
    return { name: "iris-platform", rules };
}
