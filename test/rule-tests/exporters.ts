/**
 * Series shaped as the real exporters emit them, with the labels Prometheus adds when it scrapes
 * them through a ServiceMonitor — the input of the promtool rule tests. Derived from upstream, not
 * from our rules; each shape cites its source. Values are promtool expanding notation
 * (prometheus v0.316.0 docs/configuration/unit_testing_rules.md, `<series>`).
 */

export interface InputSeries {
    readonly series: string;
    readonly values: string;
}

const render = (name: string, labels: Record<string, string>, values: string): InputSeries => ({
    series: `${name}{${Object.entries(labels)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(", ")}}`,
    values,
});

/**
 * Target labels prometheus-operator v0.93.1 gives a ServiceMonitor endpoint
 * (pkg/prometheus/promcfg.go `generateServiceMonitorConfig`): namespace, service, pod, container,
 * job (the Service's name, or its `jobLabel` label), endpoint (the port name); Prometheus adds
 * instance (the address). With `honorLabels: false` a scraped label of the same name is kept as
 * `exported_<name>` (prometheus docs/configuration/configuration.md, `honor_labels`).
 */
export interface Target {
    readonly namespace: string;
    readonly service: string;
    readonly pod: string;
    readonly container: string;
    readonly job: string;
    readonly endpoint: string;
    readonly instance: string;
    /** Labels the monitor's relabelings add (ours: `iris_instance`). */
    readonly extra?: Record<string, string>;
    /** The monitor honours scraped labels (kube-state-metrics in kube-prometheus-stack). */
    readonly honorLabels?: boolean;
}

export function scraped(t: Target, name: string, labels: Record<string, string>, values: string) {
    const target: Record<string, string> = {
        container: t.container,
        endpoint: t.endpoint,
        instance: t.instance,
        job: t.job,
        namespace: t.namespace,
        pod: t.pod,
        service: t.service,
        ...t.extra,
    };
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(labels))
        if (k in target && !t.honorLabels) out[`exported_${k}`] = v;
        else out[k] = v;
    for (const [k, v] of Object.entries(target)) if (!(k in out)) out[k] = v;
    return render(name, out, values);
}

/**
 * A one-hot series of a state sequence: "degradedx60 healthyx239" gives, for state `healthy`,
 * "0x60 1x239" (exporters that emit one series per state, 1 on the current one).
 */
function oneHot(sequence: string, state: string): string {
    return sequence
        .split(" ")
        .map((part) => {
            const m = /^(\w+)x(\d+)$/.exec(part);
            if (!m) throw new Error(`state sequence part ${part}: expected <state>x<n>`);
            return `${m[1] === state ? 1 : 0}x${m[2]}`;
        })
        .join(" ");
}

/** `up` of a target: Prometheus's own series (docs/concepts/jobs_instances.md). */
const up = (t: Target, values: string) => scraped(t, "up", {}, values);

/**
 * An IRIS instance's `/api/monitor/metrics` (InterSystems "Monitoring InterSystems IRIS Using
 * REST API", GCM_rest), scraped once per web-gateway replica through our `<name>-metrics`
 * Service and `<name>-iris` ServiceMonitor (monitoring/index.ts: port `metrics`, relabeling
 * `iris_instance=<namespace>/<name>`). Label sets as documented: `iris_db_size_mb{id,dir}`,
 * `iris_db_max_size_mb{id}`, `iris_jrn_free_space{id,dir}` with id WIJ/primary/secondary.
 */
export interface IrisValues {
    readonly up: string;
    readonly systemState: string;
    readonly journalFree: {
        readonly primary: string;
        readonly secondary: string;
        readonly WIJ: string;
    };
    readonly dbSizeMb: string;
    readonly dbMaxSizeMb: string;
    readonly licensePercentUsed: string;
    readonly wdCycleTime: string;
    readonly ecpsConn: string;
}

export function irisScrape(
    inst: { namespace: string; name: string },
    targets: number,
    via: "webgateway" | "private web server",
    v: IrisValues,
): InputSeries[] {
    const out: InputSeries[] = [];
    // Pod, container names and `dir` paths are illustrative: no rule reads them.
    const gateway = via === "webgateway";
    for (let g = 0; g < targets; g++) {
        const t: Target = {
            namespace: inst.namespace,
            service: `${inst.name}-metrics`,
            pod: gateway ? `${inst.name}-webgateway-${g}` : `${inst.name}-7c9d5b8f6d-qx2lm`,
            container: gateway ? "webgateway" : "iris",
            job: `${inst.name}-metrics`,
            endpoint: "metrics",
            instance: `10.0.1.${10 + g}:${gateway ? 80 : 52773}`,
            extra: { iris_instance: `${inst.namespace}/${inst.name}` },
        };
        out.push(
            up(t, v.up),
            scraped(t, "iris_system_state", {}, v.systemState),
            scraped(
                t,
                "iris_jrn_free_space",
                { id: "WIJ", dir: "/irissys/wij/" },
                v.journalFree.WIJ,
            ),
            scraped(
                t,
                "iris_jrn_free_space",
                { id: "primary", dir: "/irissys/journal1/" },
                v.journalFree.primary,
            ),
            scraped(
                t,
                "iris_jrn_free_space",
                { id: "secondary", dir: "/irissys/journal2/" },
                v.journalFree.secondary,
            ),
            scraped(
                t,
                "iris_db_size_mb",
                { id: "USER", dir: "/irissys/data/IRIS/mgr/user/" },
                v.dbSizeMb,
            ),
            scraped(
                t,
                "iris_db_size_mb",
                { id: "IRISSYS", dir: "/irissys/data/IRIS/mgr/" },
                "120x300",
            ),
            scraped(t, "iris_db_max_size_mb", { id: "USER" }, v.dbMaxSizeMb),
            scraped(t, "iris_db_max_size_mb", { id: "IRISSYS" }, "0x300"),
            scraped(t, "iris_license_percent_used", {}, v.licensePercentUsed),
            scraped(t, "iris_wd_cycle_time", {}, v.wdCycleTime),
            scraped(t, "iris_ecps_conn", {}, v.ecpsConn),
            scraped(t, "iris_cache_efficiency", {}, "1500x300"),
            scraped(t, "iris_process_count", {}, "60x300"),
        );
    }
    return out;
}

/**
 * longhorn-manager v1.12.1 as our `longhorn-manager` ServiceMonitor scrapes it (port `manager`):
 * metrics_collector/volume_collector.go and backup_collector.go label sets.
 */
const longhornManager: Target = {
    namespace: "longhorn-system",
    service: "longhorn-backend",
    pod: "longhorn-manager-abcde",
    container: "longhorn-manager",
    job: "longhorn-backend",
    endpoint: "manager",
    instance: "10.0.3.7:9500",
};

export function longhornVolume(
    volume: string,
    pvc: { namespace: string; name: string },
    o: { robustness: string; lastBackupAt: string },
): InputSeries[] {
    const l = { node: "worker-1", volume, pvc: pvc.name, pvc_namespace: pvc.namespace };
    // One series per robustness state, 1 on the current one (collectVolumeRobustness).
    const states = ["unknown", "healthy", "degraded", "faulted"];
    return [
        ...states.map((s) =>
            scraped(
                longhornManager,
                "longhorn_volume_robustness",
                { ...l, state: s },
                oneHot(o.robustness, s),
            ),
        ),
        scraped(longhornManager, "longhorn_volume_last_backup_at", l, o.lastBackupAt),
    ];
}

/** `longhorn_backup_state{volume,backup,recurring_job}`: 3 Completed, 4 Error. */
export function longhornBackup(volume: string, backup: string, values: string): InputSeries {
    return scraped(
        longhornManager,
        "longhorn_backup_state",
        { volume, backup, recurring_job: "" },
        values,
    );
}

/**
 * cert-manager v1.21.1 controller (our `cert-manager` ServiceMonitor, port `http-metrics`, no
 * honorLabels): internal/collectors/certificate_collector.go.
 */
const certManager: Target = {
    namespace: "cert-manager",
    service: "cert-manager",
    pod: "cert-manager-6f7d9c9b8-kq2vx",
    container: "cert-manager-controller",
    job: "cert-manager",
    endpoint: "http-metrics",
    instance: "10.0.4.2:9402",
};

export function certificate(
    namespace: string,
    name: string,
    o: { expiration: string; ready: string },
): InputSeries[] {
    const l = {
        name,
        namespace,
        issuer_name: "letsencrypt-prod",
        issuer_kind: "ClusterIssuer",
        issuer_group: "cert-manager.io",
    };
    return [
        scraped(
            certManager,
            "certmanager_certificate_expiration_timestamp_seconds",
            l,
            o.expiration,
        ),
        ...["True", "False", "Unknown"].map((c) =>
            scraped(
                certManager,
                "certmanager_certificate_ready_status",
                {
                    name,
                    namespace,
                    condition: c,
                    issuer_name: l.issuer_name,
                    issuer_kind: l.issuer_kind,
                    issuer_group: l.issuer_group,
                },
                oneHot(o.ready, c),
            ),
        ),
    ];
}
