/**
 * The promtool rule-test suites, one per stack configuration: the rule file (the PrometheusRule's
 * groups as monitoring/rules.ts renders them for that config) and the tests generated for it.
 */
import { irisDashboard } from "../../components/monitoring/dashboard";
import { publishedPodLabels } from "../rules-input";
import { renderRuleGroups, type RuleGroup } from "../../components/monitoring/rules";
import type { PlatformConfig } from "../../config";
import * as b from "./baseline";
import { irisCases } from "./iris-cases";
import { platformCases } from "./platform-cases";
import { computeWeeklyConfig, stackConfig } from "./stacks";
import { missingCases, promtoolTestFile, ruleFileText, type AlertCase } from "./suite";

export interface RuleTestSuite {
    readonly name: string;
    readonly groups: RuleGroup[];
    readonly cases: AlertCase[];
    /** Rendered alerts without a firing, silent or resolving case (must be empty). */
    readonly missing: string[];
    readonly rules: string;
    /** The test file, reading the rules from `ruleFile`. */
    tests(ruleFile: string): string;
}

export function ruleTestSuite(name: string, config: PlatformConfig): RuleTestSuite {
    const { input, instances } = b.fixtures(config);
    const groups = renderRuleGroups(input);
    const cases = [...instances.flatMap(irisCases), ...platformCases(input)];
    const quiet = {
        what: `healthy ${name} (${instances.map(b.instanceId).join(", ")})`,
        series: [...instances.flatMap(b.healthyInstance), ...b.healthyPlatform()],
        queries: dashboardQueries(instances),
    };
    return {
        name,
        groups,
        cases,
        missing: missingCases(groups, cases),
        rules: ruleFileText(groups),
        tests: (ruleFile) => promtoolTestFile(ruleFile, groups, cases, quiet),
    };
}

/** prod (mirrored, 2 gateways, daily sets), dev (standalone, default sizes), compute + weekly. */
export function allRuleTestSuites(): RuleTestSuite[] {
    return [
        ruleTestSuite("prod", stackConfig("prod")),
        ruleTestSuite("dev", stackConfig("dev")),
        ruleTestSuite("compute-weekly", computeWeeklyConfig()),
    ];
}

/**
 * Series each dashboard panel must show for these healthy instances: one per instance, per
 * database (USER, IRISSYS in the fixtures) or journal directory, per mirror role, per backup CronJob.
 */
function dashboardQueries(instances: readonly b.InstanceFixture[]) {
    const n = instances.length;
    const perTitle: Record<string, number> = {
        "Database size": 2 * n,
        "Journal and WIJ free space": 3 * n,
        "Mirror members by role": 2 * instances.filter((i) => i.rule.mirrored).length,
        "Age of the last good backup set": instances.filter((i) => i.rule.backup).length,
    };
    const panels = irisDashboard(publishedPodLabels).panels as {
        title: string;
        targets: { expr: string }[];
    }[];
    return panels.map((p) => ({ expr: p.targets[0].expr, series: perTitle[p.title] ?? n }));
}
