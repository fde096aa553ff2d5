/**
 * The GitHub workflows judged by actionlint v1.7.12 (built from its Go module in the toolchain):
 * workflow syntax, expressions and their contexts, inputs of the reusable workflows each call
 * passes, runner labels, and — when a `shellcheck` is on PATH — every `run:` script (actionlint
 * disables that rule silently otherwise, linter.go of rhysd/actionlint v1.7.12; .ci/run installs
 * it). A defect planted in a copy shows the linter is really judging these files.
 */
import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { toolchain } from "./toolchain";

const repoRoot = path.resolve(__dirname, "..", "..");
const workflows = path.join(repoRoot, ".github", "workflows");

type Finding = { message: string; filepath: string; line: number; kind: string };

/** actionlint's findings for the project at `root` (`-format "{{json .}}"`: docs/usage.md; fields: ErrorTemplateFields in error.go, rhysd/actionlint v1.7.12). */
function lint(actionlint: string, root: string): Finding[] {
    const r = spawnSync(actionlint, ["-format", "{{json .}}"], { cwd: root, encoding: "utf8" });
    // Exit 0: no problem; 1: problems found; anything else: actionlint itself failed (command.go).
    if (r.status !== 0 && r.status !== 1) throw new Error(`actionlint failed: ${r.stderr}`);
    return JSON.parse(r.stdout || "[]") as Finding[];
}

describe("GitHub workflows accepted by actionlint", function () {
    const { actionlint } = toolchain.requireBinaries(["actionlint"]);
    const shellcheck = spawnSync("sh", ["-c", "command -v shellcheck"]).status === 0;

    it("finds no problem in .github/workflows", function () {
        if (!shellcheck)
            console.log("      (no shellcheck on PATH: actionlint skips run: scripts)");
        const findings = lint(actionlint, repoRoot);
        assert.deepStrictEqual(
            findings.map((f) => `${f.filepath}:${f.line}: ${f.message} [${f.kind}]`),
            [],
        );
    });

    it("reports a call that passes an input the reusable workflow does not declare", function () {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "iris-e2e-actionlint-"));
        try {
            // A project root is where actionlint finds .git; local reusable workflows resolve there.
            execFileSync("git", ["init", "-q", dir]);
            const copy = path.join(dir, ".github", "workflows");
            fs.mkdirSync(copy, { recursive: true });
            for (const f of fs.readdirSync(workflows))
                fs.copyFileSync(path.join(workflows, f), path.join(copy, f));
            const preview = path.join(copy, "preview.yml");
            const text = fs.readFileSync(preview, "utf8");
            const planted = text.replace("environment: dev-preview", "enviroment: dev-preview");
            assert.notStrictEqual(planted, text, "preview.yml names dev-preview");
            fs.writeFileSync(preview, planted);
            const messages = lint(actionlint, dir).map((f) => f.message);
            assert.ok(
                messages.some((m) => /enviroment/.test(m)),
                `actionlint did not report the misspelt input: ${JSON.stringify(messages)}`,
            );
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
