/**
 * The GitHub workflows: no expression is spliced into a shell script (script
 * injection), and a PR preview can never cancel a pending deploy.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";

const dir = path.join(__dirname, "..", ".github", "workflows");
const files = fs.readdirSync(dir).filter((f) => f.endsWith(".yml"));

type Step = { run?: string };
type Job = { steps?: Step[]; concurrency?: { group: string; "cancel-in-progress": string } };
const load = (f: string) =>
    yaml.load(fs.readFileSync(path.join(dir, f), "utf8")) as { jobs: Record<string, Job> };

/** Evaluates the reusable workflow's concurrency expressions for one command (the two forms used there). */
function concurrencyFor(
    command: string,
    stack: string,
    ref: string,
): { group: string; cancel: boolean } {
    const c = load("pulumi.yml").jobs.run.concurrency;
    assert.ok(c, "pulumi.yml sets concurrency");
    const m =
        /^\$\{\{ inputs\.command == 'preview' && format\('([^']+)', inputs\.stack, github\.ref\) \|\| format\('([^']+)', inputs\.stack\) \}\}$/.exec(
            c.group,
        );
    assert.ok(m, `unexpected concurrency group expression ${c.group}`);
    const fmt = (f: string) => f.replace("{0}", stack).replace("{1}", ref);
    assert.strictEqual(c["cancel-in-progress"], "${{ inputs.command == 'preview' }}");
    return command === "preview"
        ? { group: fmt(m[1]), cancel: true }
        : { group: fmt(m[2]), cancel: false };
}

describe("GitHub workflows", function () {
    it("pass inputs to shell steps through env, never as ${{ }} inside a script", function () {
        const offenders: string[] = [];
        for (const f of files) {
            for (const [job, j] of Object.entries(load(f).jobs)) {
                (j.steps ?? []).forEach((s, i) => {
                    if (s.run && /\$\{\{/.test(s.run)) offenders.push(`${f} ${job} step ${i}`);
                });
            }
        }
        assert.deepStrictEqual(offenders, []);
    });

    it("keep PR previews out of the deploy group, and never cancel a running up or destroy", function () {
        const preview = concurrencyFor("preview", "prod", "refs/pull/7/merge");
        const up = concurrencyFor("up", "prod", "refs/heads/main");
        const destroy = concurrencyFor("destroy", "prod", "refs/heads/main");
        assert.notStrictEqual(preview.group, up.group);
        assert.strictEqual(
            up.group,
            destroy.group,
            "up and destroy of one stack queue behind each other",
        );
        assert.strictEqual(up.cancel, false);
        assert.strictEqual(destroy.cancel, false);
        assert.notStrictEqual(
            concurrencyFor("up", "dev", "x").group,
            up.group,
            "stacks deploy independently",
        );
    });
});
