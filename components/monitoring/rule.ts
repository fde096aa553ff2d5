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

/** What an instance's thresholds depend on (resolved from stack config in from-config/monitoring.ts). */
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

export interface RulesInput {
    readonly instances: readonly RuleInstance[];
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
