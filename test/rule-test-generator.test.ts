/**
 * The promtool suite generator refuses what the brief of issue 17 forbids: an alert without a
 * firing, a silent or a resolving case (checked per instance, since each instance has its own
 * rules).
 */
import * as assert from "assert";
import { allRuleTestSuites } from "./rule-tests";
import { missingCases } from "./rule-tests/suite";

describe("rule-test generator", function () {
    const prod = allRuleTestSuites().find((s) => s.name === "prod")!;

    it("names each alert that lacks a firing, a silent or a resolving case", function () {
        assert.deepStrictEqual(missingCases(prod.groups, prod.cases), []);
        for (const kind of ["fires", "silent", "resolves"] as const) {
            const without = prod.cases.filter(
                (c) => !(c.alert === "IRISInstanceHung" && c.kind === kind),
            );
            assert.deepStrictEqual(missingCases(prod.groups, without), [
                `IRISInstanceHung (iris/iris): ${kind}`,
            ]);
        }
    });

    it("does not count another instance's case, or a platform case, for an instance's alert", function () {
        const elsewhere = prod.cases.map((c) =>
            c.alert === "IRISMetricsAbsent" && c.kind === "fires"
                ? { ...c, instance: "other/other" }
                : c,
        );
        assert.deepStrictEqual(missingCases(prod.groups, elsewhere), [
            "IRISMetricsAbsent (iris/iris): fires",
        ]);
        const platform = prod.cases.filter(
            (c) => !(c.alert === "LonghornVolumeFaulted" && c.kind === "resolves"),
        );
        assert.deepStrictEqual(missingCases(prod.groups, platform), [
            "LonghornVolumeFaulted (platform): resolves",
        ]);
    });
});
