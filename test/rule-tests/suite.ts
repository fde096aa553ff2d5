/**
 * Turns alert test cases into a promtool rule-test file (prometheus v0.316.0
 * docs/configuration/unit_testing_rules.md) for rule groups rendered by
 * components/monitoring/rules.ts — the same objects the PrometheusRule carries, so the tests
 * cannot drift from what is deployed. Refuses a suite in which some rendered alert lacks a firing
 * or a silent case.
 */
import * as yaml from "js-yaml";
import type { AlertRule, RuleGroup } from "../../components/monitoring/rules";
import type { InputSeries } from "./exporters";

/** Test time zero (Unix seconds, a multiple of 5 minutes): 2027-01-15T08:00:00Z. */
export const t0 = 1_800_000_000;

export interface Check {
    /** Offset from t0, as promtool's eval_time (e.g. "45m"). */
    readonly at: string;
    /** The alerts expected firing then: the labels their expression yields (rule labels are added). */
    readonly firing: readonly Record<string, string>[];
}

export interface AlertCase {
    readonly alert: string;
    readonly kind: "fires" | "silent" | "resolves";
    /** What the case shows, in a user's words. */
    readonly what: string;
    /** `iris_instance` of the rule under test (rules of one alert exist once per instance). */
    readonly instance?: string;
    readonly series: readonly InputSeries[];
    readonly checks: readonly Check[];
}

/**
 * `{{ $labels.<name> }}` expanded from the expression's labels — what Prometheus's
 * rules/alerting.go passes its templates (`AlertTemplateData(smpl.Metric.Map(), …)`). Anything
 * else in a template fails loudly: our rules use no other template.
 */
export function expandTemplate(text: string, labels: Record<string, string>): string {
    return text.replace(/\{\{(.*?)\}\}/g, (_m, inner: string) => {
        const m = /^\s*\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)\s*$/.exec(inner);
        if (!m) throw new Error(`template {{${inner}}} is not {{ $labels.<name> }}`);
        return labels[m[1]] ?? "";
    });
}

export function ruleFor(groups: readonly RuleGroup[], c: AlertCase): AlertRule {
    const found = groups
        .flatMap((g) => g.rules)
        .filter((r) => r.alert === c.alert && r.labels.iris_instance === c.instance);
    if (found.length !== 1)
        throw new Error(`${c.alert} (${c.instance ?? "platform"}): ${found.length} rules match`);
    return found[0];
}

/**
 * The promtool test file: one test group per case, every check an alert_rule_test; and `quiet`
 * — a whole healthy cluster — in which no alert of any group fires at any of its checks.
 */
export function promtoolTestFile(
    ruleFile: string,
    groups: readonly RuleGroup[],
    cases: readonly AlertCase[],
    quiet: {
        readonly what: string;
        readonly series: readonly InputSeries[];
        /** Dashboard queries and how many series each must return on the healthy cluster. */
        readonly queries: readonly { readonly expr: string; readonly series: number }[];
    },
): string {
    const tests: Record<string, unknown>[] = cases.map((c) => {
        const r = ruleFor(groups, c);
        return {
            name: `${c.alert} ${c.kind}${c.instance ? ` (${c.instance})` : ""}: ${c.what}`,
            interval: "1m",
            start_timestamp: t0,
            input_series: c.series.map((s) => ({ series: s.series, values: s.values })),
            alert_rule_test: c.checks.map((k) => ({
                eval_time: k.at,
                alertname: c.alert,
                exp_alerts: k.firing.map((l) => ({
                    exp_labels: { ...l, ...r.labels },
                    exp_annotations: {
                        summary: expandTemplate(r.annotations.summary, l),
                        description: expandTemplate(r.annotations.description, l),
                    },
                })),
            })),
        };
    });
    const names = [...new Set(groups.flatMap((g) => g.rules.map((r) => r.alert)))];
    tests.push({
        name: `no alert fires: ${quiet.what}`,
        interval: "1m",
        start_timestamp: t0,
        input_series: quiet.series.map((s) => ({ series: s.series, values: s.values })),
        alert_rule_test: ["30m", "2h", "4h"].flatMap((at) =>
            names.map((alertname) => ({ eval_time: at, alertname, exp_alerts: [] })),
        ),
        // One series per instance (or per instance and id): a query that matches nothing or
        // counts every web-gateway copy shows up here.
        promql_expr_test: quiet.queries.map((q) => ({
            expr: `count(${q.expr})`,
            eval_time: "4h",
            exp_samples: q.series > 0 ? [{ labels: "{}", value: q.series }] : [],
        })),
    });
    return yaml.dump(
        { rule_files: [ruleFile], evaluation_interval: "1m", tests },
        { lineWidth: -1, noRefs: true },
    );
}

/** Alerts (per instance) that lack a firing or a silent case, or a resolving one where `resolves`. */
export function missingCases(groups: readonly RuleGroup[], cases: readonly AlertCase[]): string[] {
    const missing: string[] = [];
    for (const r of groups.flatMap((g) => g.rules))
        for (const kind of ["fires", "silent", "resolves"] as const)
            if (
                !cases.some(
                    (c) =>
                        c.alert === r.alert &&
                        c.kind === kind &&
                        c.instance === r.labels.iris_instance,
                )
            )
                missing.push(`${r.alert} (${r.labels.iris_instance ?? "platform"}): ${kind}`);
    return missing;
}

/** The rule file promtool reads: the PrometheusRule's `spec.groups`, as Prometheus loads them. */
export function ruleFileText(groups: readonly RuleGroup[]): string {
    return yaml.dump({ groups }, { lineWidth: -1, noRefs: true });
}
