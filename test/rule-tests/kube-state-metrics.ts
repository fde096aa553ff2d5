/**
 * kube-state-metrics series for the rule tests (see exporters.ts for the scrape labels), derived
 * from kube-state-metrics v2.20.0 sources, not from our rules.
 */
import { scraped, type InputSeries, type Target } from "./exporters";

/**
 * kube-state-metrics v2.20.0 as kube-prometheus-stack 88.5.3 scrapes it: its chart's
 * ServiceMonitor (kube-state-metrics 8.4.0 templates/servicemonitor.yaml: jobLabel
 * app.kubernetes.io/name, port `http`) with `honorLabels: true` (kube-prometheus-stack values.yaml
 * `kube-state-metrics.prometheus.monitor.http.honorLabels`).
 */
const ksm: Target = {
    namespace: "monitoring",
    service: "kube-prometheus-stack-kube-state-metrics",
    pod: "kube-prometheus-stack-kube-state-metrics-7d9c8b6f5-x2x4q",
    container: "kube-state-metrics",
    job: "kube-state-metrics",
    endpoint: "http",
    instance: "10.0.2.5:8080",
    honorLabels: true,
};

/**
 * `kube_pod_labels{namespace,pod,uid,label_*}` (internal/store/pod.go, wrapPodFunc) with the
 * allowlisted pod labels, named by internal/store/utils.go `labelName`: `intersystems.com/mirrorRole`
 * → `label_intersystems_com_mirror_role`. A label the pod lacks is not emitted.
 */
export function podLabels(
    namespace: string,
    pod: string,
    labels: { name?: string; mirrorRole?: string },
    values: string,
): InputSeries {
    // No label keys at all: a kube-state-metrics whose allowlist lacks them (its default).
    return scraped(
        ksm,
        "kube_pod_labels",
        {
            namespace,
            pod,
            uid: `uid-${pod}`,
            ...(labels.name ? { label_intersystems_com_name: labels.name } : {}),
            ...(labels.mirrorRole ? { label_intersystems_com_mirror_role: labels.mirrorRole } : {}),
        },
        values,
    );
}

/**
 * A Job as internal/store/job.go reports it: `kube_job_status_start_time`, `kube_job_owner`,
 * and for a failed Job `kube_job_failed{condition}` (one series per status true/false/unknown,
 * utils.go addConditionMetrics), for a complete one `kube_job_complete{condition}`.
 */
export function job(
    namespace: string,
    name: string,
    o: { cronJob: string; startTime: number; outcome: "failed" | "complete"; values?: string },
): InputSeries[] {
    const l = { namespace, job_name: name };
    const v = (x: number | string) => o.values ?? `${x}x300`;
    const condition = o.outcome === "failed" ? "kube_job_failed" : "kube_job_complete";
    return [
        scraped(ksm, "kube_job_status_start_time", l, v(o.startTime)),
        scraped(
            ksm,
            "kube_job_owner",
            { ...l, owner_kind: "CronJob", owner_name: o.cronJob, owner_is_controller: "true" },
            v(1),
        ),
        ...(["true", "false", "unknown"] as const).map((c) =>
            scraped(ksm, condition, { ...l, condition: c }, v(c === "true" ? 1 : 0)),
        ),
    ];
}

/** internal/store/cronjob.go: last successful time is absent until a Job succeeds. */
export function cronJob(
    namespace: string,
    name: string,
    o: { created: number; lastSuccessful?: string },
): InputSeries[] {
    const l = { namespace, cronjob: name };
    return [
        scraped(ksm, "kube_cronjob_created", l, `${o.created}x300`),
        ...(o.lastSuccessful
            ? [scraped(ksm, "kube_cronjob_status_last_successful_time", l, o.lastSuccessful)]
            : []),
    ];
}

/**
 * internal/store/service.go: `kube_service_created{namespace,service,uid}`, the Service's
 * creation time in Unix seconds (`descServiceLabelsDefaultLabels`), from the first scrape on.
 */
export function serviceCreated(namespace: string, service: string, created: number): InputSeries {
    return scraped(
        ksm,
        "kube_service_created",
        { namespace, service, uid: `uid-${service}` },
        `${created}x300`,
    );
}
