/**
 * The alert rules (pure), rendered from the instances they watch: thresholds follow each
 * instance's volume sizes, topology, compute nodes and backup schedule, so a healthy instance of
 * any size pages nobody. One group per IRIS instance (iris-rules.ts) and one for the platform
 * (platform-rules.ts). The promtool suite (test/rule-tests/) is generated from these same objects.
 *
 * Annotations use only `{{ $labels.<name> }}` (the test generator expands exactly that), so the
 * thresholds appear in the text as numbers rendered here.
 */
import { irisInstanceRules } from "./iris-rules";
import { platformRules } from "./platform-rules";
import type { RuleGroup, RulesInput } from "./rule";

export type { AlertRule, IrisPodLabels, RuleGroup, RuleInstance, RulesInput } from "./rule";
export { irisInstanceLabel, ksmPodLabel } from "./rule";

/** Every rule group for these instances and add-ons (the PrometheusRule's `spec.groups`). */
export function renderRuleGroups(input: RulesInput): RuleGroup[] {
    const groups = input.instances.map((i) => irisInstanceRules(i, input.podLabels));
    const platform = platformRules(input);
    return platform.rules.length > 0 ? [...groups, platform] : groups;
}
