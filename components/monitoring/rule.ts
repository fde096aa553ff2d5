/**
 * Types and helpers of the alert rules (pure), shared by rules.ts, iris-rules.ts and
 * platform-rules.ts.
 */

export interface AlertRule {
    readonly alert: string;
    readonly expr: string;
    /** How long the condition must hold. */
    readonly for: string;
    readonly labels: { readonly severity: "critical" | "warning"; readonly [k: string]: string };
    readonly annotations: { readonly summary: string; readonly description: string };
}

export interface RuleGroup {
    readonly name: string;
    readonly rules: readonly AlertRule[];
}

/** What an instance's thresholds depend on (the IRIS layer's published facts, monitoring/args.ts). */
export interface RuleInstance {
    readonly namespace: string;
    readonly name: string;
    /** IKO `data.topology: mirrored`: a primary and a backup data pod. */
    readonly mirrored: boolean;
    /** ECP application servers (IKO compute nodes) connected to the data server. */
    readonly computeReplicas: number;
    /**
     * MiB of the volume under each directory `iris_jrn_free_space` reports (`id` primary,
     * secondary, WIJ): the IKO journal1/journal2/WIJ volumes, or the one durable volume.
     */
    readonly journalVolumesMiB: {
        readonly primary: number;
        readonly secondary: number;
        readonly WIJ: number;
    };
    /** The instance's backup-set CronJob, when backup sets are on. */
    readonly backup?: {
        readonly cronJob: string;
        readonly schedule: string;
        /** Longest a run may take from its scheduled time (starting deadline + active deadline). */
        readonly maxRunSeconds: number;
    };
}

/** Names of the labels IKO puts on IrisCluster pods (published by the IRIS layer). */
export interface IrisPodLabels {
    /** The IrisCluster's name. */
    readonly instance: string;
    /** The pod's role (`data`, `compute`, `webgateway`, …). */
    readonly component: string;
    /** `primary`/`backup` on mirrored data pods. */
    readonly mirrorRole: string;
}

export interface RulesInput {
    readonly instances: readonly RuleInstance[];
    /** The IRIS pod labels the mirror rules read through kube-state-metrics. */
    readonly podLabels: IrisPodLabels;
    /** Longhorn is installed and scraped. */
    readonly longhorn: boolean;
    /** cert-manager is installed and scraped. */
    readonly certManager: boolean;
}

export const rule = (
    alert: string,
    severity: AlertRule["labels"]["severity"],
    expr: string,
    forDuration: string,
    summary: string,
    description: string,
    extraLabels: Record<string, string> = {},
): AlertRule => ({
    alert,
    expr,
    for: forDuration,
    labels: { severity, ...extraLabels },
    annotations: { summary, description },
});

/** The `iris_instance` label our ServiceMonitors add (monitoring/index.ts relabelings). */
export const irisInstanceLabel = (i: { namespace: string; name: string }): string =>
    `${i.namespace}/${i.name}`;

/**
 * The label kube-state-metrics gives a pod label on `kube_pod_labels`: `label_` + snake case of
 * the sanitized key (kube-state-metrics v2.20.0 internal/store/utils.go `labelName`:
 * `toSnakeCase(SanitizeLabelName(key))`; `[^a-zA-Z0-9_]` → `_`, then `([a-z0-9])([A-Z])` → `$1_$2`,
 * lower case).
 */
export function ksmPodLabel(key: string): string {
    return (
        "label_" +
        key
            .replace(/[^a-zA-Z0-9_]/g, "_")
            .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
            .toLowerCase()
    );
}
