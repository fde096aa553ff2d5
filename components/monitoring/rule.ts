/**
 * Types and helpers of the alert rules (pure), shared by rules.ts, iris-rules.ts and
 * platform-rules.ts.
 */
import type { IrisInstanceFacts, IrisPodLabels } from "../iris/types";

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

/** What an instance's thresholds depend on: the IRIS layer's published facts. */
export type RuleInstance = IrisInstanceFacts;

export type { IrisPodLabels } from "../iris/types";

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
