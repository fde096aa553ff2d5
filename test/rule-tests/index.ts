/**
 * The promtool rule-test suites, one per stack configuration: the rule file (the PrometheusRule's
 * groups as monitoring/rules.ts renders them for that config) and the tests generated for it.
 */
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
