/**
 * The alert rules under Prometheus's own rule engine: `promtool check rules` on the groups the
 * PrometheusRule carries, and `promtool test rules` on the suite generated from the same objects
 * (test/rule-tests/) for prod's and dev's stack files and a compute/weekly-backup config. Each
 * alert fires on exporter-shaped series, stays silent on healthy ones, resolves when the
 * condition clears; a whole healthy cluster fires nothing. promtool is built from
 * github.com/prometheus/prometheus (toolchain/prometheus, pinned in its go.mod).
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { allRuleTestSuites } from "../rule-tests";
import { toolchain } from "./toolchain";

describe("alert rules under promtool (Prometheus's rule engine)", function () {
    const { promtool } = toolchain.requireBinaries(["promtool"]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "iris-alert-rules-"));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const run = (...args: string[]) => {
        const r = spawnSync(promtool, args, { cwd: dir, encoding: "utf8" });
        return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
    };

    for (const suite of allRuleTestSuites()) {
        describe(suite.name, function () {
            const rules = `${suite.name}.rules.yaml`;
            const tests = `${suite.name}.tests.yaml`;
            before(() => {
                fs.writeFileSync(path.join(dir, rules), suite.rules);
                fs.writeFileSync(path.join(dir, tests), suite.tests(rules));
            });

            it("promtool check rules accepts every group", function () {
                const r = run("check", "rules", rules);
                assert.ok(r.ok, r.out);
                const count = suite.groups.reduce((n, g) => n + g.rules.length, 0);
                assert.match(r.out, new RegExp(`SUCCESS: ${count} rules found`));
            });

            it(`promtool test rules: ${suite.cases.length} firing/silent/resolving cases and a quiet healthy cluster`, function () {
                assert.deepStrictEqual(suite.missing, []);
                const r = run("test", "rules", tests);
                assert.ok(r.ok, r.out);
            });
        });
    }
});
