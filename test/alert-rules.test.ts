/**
 * The alert rules rendered per instance, and their generated promtool suite (pure; promtool itself
 * runs in the integration tier, test/e2e/alert-rules.e2e.ts): every rendered alert has a firing,
 * a silent and a resolving case; thresholds follow each instance's config; cron gaps.
 */
import * as assert from "assert";
import { stackRulesInput as rulesInput, publishedPodLabels } from "./rules-input";
import { dashboardExpressions } from "../components/monitoring/dashboard";
import { renderRuleGroups } from "../components/monitoring/rules";
import { kubePrometheusStackValues } from "../components/monitoring/values";
import { longestCronGapSeconds } from "../domain/cron";
import { buildStack } from "./build-stack";
import { one } from "./mocks";
import { allRuleTestSuites } from "./rule-tests";
import { computeWeeklyConfig, stackConfig } from "./rule-tests/stacks";
import { expandTemplate } from "./rule-tests/suite";

describe("alert rules per instance", function () {
    it("every alert of prod, dev and a compute/weekly config has a firing, a silent and a resolving promtool case", function () {
        for (const s of allRuleTestSuites()) {
            assert.deepStrictEqual(s.missing, [], s.name);
            assert.ok(s.tests(`${s.name}.rules.yaml`).includes("no alert fires: healthy"));
        }
    });

    it("prod's PrometheusRule carries exactly the groups the promtool suite tests", async function () {
        const { recording } = await buildStack("prod");
        const rule = one(recording, "kubernetes:monitoring.coreos.com/v1:PrometheusRule");
        const tested = allRuleTestSuites().find((s) => s.name === "prod")?.groups;
        assert.deepStrictEqual(
            JSON.parse(JSON.stringify((rule.inputs.spec as { groups: unknown }).groups)),
            JSON.parse(JSON.stringify(tested)),
        );
    });

    it("takes thresholds from each instance: volume sizes, mirror, compute nodes, schedule", function () {
        const prod = rulesInput(stackConfig("prod")).instances[0];
        assert.deepStrictEqual(prod.journalVolumesMiB, {
            primary: 51200,
            secondary: 51200,
            WIJ: 20480,
        });
        assert.strictEqual(prod.mirrored, true);
        assert.deepStrictEqual(prod.backup, {
            cronJob: "iris-backup",
            schedule: "0 2 * * *",
            // Starting deadline + the Job's deadline (freeze window 60 s + 3 h of backups + 15 min).
            maxRunSeconds: 3600 + 60 + 3 * 3600 + 900,
        });
        // dev: standalone, journals and WIJ on the one 10Gi durable volume; no backup target.
        const dev = rulesInput(stackConfig("dev")).instances[0];
        assert.deepStrictEqual(dev.journalVolumesMiB, {
            primary: 10240,
            secondary: 10240,
            WIJ: 10240,
        });
        assert.strictEqual(dev.backup, undefined);
        const rules = renderRuleGroups(rulesInput(computeWeeklyConfig())).flatMap((g) => g.rules);
        const expr = (a: string) => rules.find((r) => r.alert === a)?.expr ?? "";
        assert.match(
            expr("IRISECPServerConnectionsLow"),
            /iris_ecps_conn\{iris_instance="apps\/app"\}\) < 2$/,
        );
        // Default 5Gi journals: 10% is 512 MB, not a fixed 5120 that a healthy volume never reaches.
        assert.match(expr("IRISJournalSpaceLow"), /id="primary"\}\) < 512 /);
        // Weekly schedule: a week plus the run's deadlines.
        assert.match(expr("IRISBackupSetMissing"), / > 620160 /); // 604800 + 3600 + 60 + 10800 + 900
        assert.ok(!rules.some((r) => r.alert.startsWith("IRISMirror")), "not mirrored");
    });

    it("reads only pod-label names kube-state-metrics makes of the allowlist in the chart values", function () {
        // kube-state-metrics v2.20.0 internal/store/utils.go: labelName = "label_" +
        // toSnakeCase(SanitizeLabelName(key)); [^a-zA-Z0-9_] → "_", ([a-z0-9])([A-Z]) → "$1_$2", lower.
        const ksmLabelName = (key: string) =>
            "label_" +
            key
                .replace(/[^a-zA-Z0-9_]/g, "_")
                .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
                .toLowerCase();
        const values = kubePrometheusStackValues({
            retention: "15d",
            storageSize: "10Gi",
            retentionSize: "8704MiB",
            storageClassName: "x",
            grafana: false,
            clusterProvider: "existing",
            podLabels: publishedPodLabels,
        }) as { "kube-state-metrics": { metricLabelsAllowlist: string[] } };
        const pods = values["kube-state-metrics"].metricLabelsAllowlist
            .map((e) => /^pods=\[(.*)\]$/.exec(e)?.[1])
            .find((x) => x !== undefined);
        const exported = new Set((pods ?? "").split(",").map(ksmLabelName));
        assert.deepStrictEqual([...exported].sort(), [
            "label_intersystems_com_mirror_role",
            "label_intersystems_com_name",
        ]);
        const rules = [stackConfig("prod"), computeWeeklyConfig()].flatMap((c) =>
            renderRuleGroups(rulesInput(c)).flatMap((g) => g.rules.map((r) => r.expr)),
        );
        for (const expr of [...rules, ...dashboardExpressions(publishedPodLabels)])
            // (label_replace is the PromQL function, not a pod label.)
            for (const name of expr.match(/\blabel_(?!replace\b)[a-z0-9_]+/g) ?? [])
                assert.ok(exported.has(name), `${name} in ${expr}`);
    });

    it("annotations use only {{ $labels.x }}, which the generator expands like Prometheus", function () {
        assert.strictEqual(expandTemplate("a {{ $labels.id }} b", { id: "WIJ" }), "a WIJ b");
        assert.throws(() => expandTemplate("{{ $value }}", {}), /is not/);
    });

    it("measures the longest gap of a CronJob schedule (robfig/cron semantics)", function () {
        assert.strictEqual(longestCronGapSeconds("0 2 * * *"), 86400);
        assert.strictEqual(longestCronGapSeconds("0 3 * * 0"), 7 * 86400);
        assert.strictEqual(longestCronGapSeconds("*/15 * * * *"), 900);
        assert.strictEqual(longestCronGapSeconds("0 0,12 * * mon-fri"), 60 * 3600);
        assert.strictEqual(longestCronGapSeconds("0 1 1 * *"), 31 * 86400);
        // Both day fields restricted: either matches (the 1st, or any Monday).
        assert.ok(longestCronGapSeconds("0 0 1 * 1") <= 7 * 86400);
        assert.throws(() => longestCronGapSeconds("0 0 31 2 *"), /never runs/);
        assert.throws(() => longestCronGapSeconds("0 24 * * *"), /out of range/);
    });
});
