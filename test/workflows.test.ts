/**
 * The GitHub workflows, judged by what GitHub would run for each event (test/workflow-model.ts):
 * which events reach which environment and runner, that a fork's pull request reaches no secret,
 * cloud role or self-hosted runner, that no pull request reaches prod unless the repository opts
 * in (vars.PROD_PR_PREVIEW), that every prod deploy waits for prod's preview from main
 * (prod-plan), that deploy and destroy of a stack share a never-cancelled group, that the weekly
 * drill runs in its own environment; plus script injection and the test job's toolchain cache.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import {
    events,
    isHosted,
    loadWorkflow,
    simulate,
    workflowFiles,
    type Event,
    type Run,
} from "./workflow-model";
import { condition, evaluate, resolve, type Contexts } from "./workflow-expr";

const everyEvent: [string, Event][] = [
    ["fork pull request", events.forkPullRequest],
    ["pull request", events.pullRequest],
    ["push to main", events.push],
    ["schedule", events.schedule],
    ["destroy dev", events.dispatch("destroy.yml", { stack: "dev", confirm: "dev" })],
    ["destroy prod", events.dispatch("destroy.yml", { stack: "prod", confirm: "prod" })],
    ["drill by hand", events.dispatch("restore-drill.yml", { instance: "iris/iris" })],
    ["drift by hand", events.dispatch("drift.yml", {})],
];
const vars = { PROD_RUNNER: "iris-prod", PROD_PREVIEW_RUNNER: "iris-prod-preview" };
/** The repository opted in to previewing prod from pull requests. */
const optedIn = { ...vars, PROD_PR_PREVIEW: "true" };
const all = (v: Record<string, string> = vars): [string, Run][] =>
    everyEvent.flatMap(([name, e]) => simulate(e, v).map((r): [string, Run] => [name, r]));
const label = (r: Run) => `${r.workflow} ${r.job}`;
const prodEnvironments = ["production", "prod-plan", "prod-preview", "prod-drill", "prod-drift"];
/** What a pull request's code reaches: prod environments, and runners that are not GitHub's. */
const prodReach = (runs: Run[]) =>
    runs
        .filter((r) => prodEnvironments.includes(r.environment ?? "") || !isHosted(r.runner))
        .map((r) => `${label(r)} in ${r.environment} on ${r.runner}`);

describe("GitHub workflows", function () {
    it("let each environment be reached only by the events meant for it", function () {
        const reachedWith = (v: Record<string, string>) => {
            const reached: Record<string, string[]> = {};
            for (const [event, r] of all(v))
                if (r.environment) (reached[r.environment] ??= []).push(event);
            for (const k of Object.keys(reached)) reached[k] = [...new Set(reached[k])].sort();
            return reached;
        };
        const byDefault = {
            dev: ["destroy dev", "push to main"],
            "dev-preview": ["pull request"],
            production: ["destroy prod", "push to main"],
            "prod-plan": ["push to main"],
            "prod-drill": ["drill by hand", "schedule"],
            "dev-drift": ["drift by hand", "schedule"],
            "prod-drift": ["drift by hand", "schedule"],
        };
        assert.deepStrictEqual(reachedWith(vars), byDefault);
        assert.deepStrictEqual(reachedWith(optedIn), {
            ...byDefault,
            "prod-preview": ["pull request"],
        });
    });

    it("give a pull request no prod environment and no self-hosted runner unless the repository sets PROD_PR_PREVIEW to 'true'", function () {
        // Unset, or anything but 'true' (GitHub's == ignores case between strings).
        for (const flag of [undefined, "", "false", "1", "yes", "true "]) {
            const v: Record<string, string> = { ...vars };
            if (flag !== undefined) v.PROD_PR_PREVIEW = flag;
            for (const [name, e] of [
                ["pull request", events.pullRequest],
                ["fork pull request", events.forkPullRequest],
            ] as const) {
                const runs = simulate(e, v);
                assert.ok(runs.length > 0, `${name}: the tests still run`);
                assert.deepStrictEqual(prodReach(runs), [], `${name}, PROD_PR_PREVIEW=${flag}`);
            }
        }
    });

    it("keep a pull request off prod by each layer alone: the calling job's if, and pulumi.yml's", function () {
        for (const layer of ["caller-if", "called-if"] as const) {
            for (const [name, e] of [
                ["pull request", events.pullRequest],
                ["fork pull request", events.forkPullRequest],
            ] as const) {
                const runs = simulate(e, vars, layer);
                assert.deepStrictEqual(prodReach(runs), [], `${name} without the ${layer} layer`);
                const commands = runs.filter((r) => r.command).map((r) => r.command);
                assert.ok(
                    commands.every((c) => c === "preview"),
                    `${name} without the ${layer} layer runs ${commands.join(", ")}`,
                );
                if (e === events.forkPullRequest)
                    assert.deepStrictEqual(
                        runs.filter((r) => r.environment).map(label),
                        [],
                        `a fork's pull request reaches an environment without the ${layer} layer`,
                    );
            }
        }
        // Opted in, each layer alone still keeps it to prod-preview.
        for (const layer of ["caller-if", "called-if"] as const)
            assert.deepStrictEqual(
                simulate(events.pullRequest, optedIn, layer)
                    .filter((r) => r.stack === "prod")
                    .map((r) => [r.command, r.environment]),
                [["preview", "prod-preview"]],
                `opted in, without the ${layer} layer`,
            );
    });

    it("run a fork's pull request only on GitHub-hosted runners, without environment, cloud token or write scope", function () {
        const runs = simulate(events.forkPullRequest, optedIn);
        assert.ok(runs.length > 0, "the tests still run for forks");
        for (const r of runs) {
            assert.ok(isHosted(r.runner), `${label(r)} runs on ${r.runner}`);
            assert.strictEqual(r.environment, null, `${label(r)} reaches ${r.environment}`);
            assert.ok(r.permissions["id-token"] !== "write", `${label(r)} may mint OIDC tokens`);
            assert.ok(
                !Object.values(r.permissions).includes("write"),
                `${label(r)} has a write scope`,
            );
            assert.strictEqual(r.secretsPassed, false, `${label(r)} is passed secrets`);
        }
    });

    it("preview only dev from a same-repository pull request by default, never up or destroy", function () {
        const runs = simulate(events.pullRequest, vars).filter((r) => r.command);
        assert.deepStrictEqual(
            runs.map((r) => [r.stack, r.command, r.environment, r.runner]),
            [["dev", "preview", "dev-preview", "ubuntu-latest"]],
        );
    });

    it("opted in, preview prod from a same-repository pull request only behind prod-preview, never up or destroy", function () {
        for (const flag of ["true", "TRUE"]) {
            const runs = simulate(events.pullRequest, { ...vars, PROD_PR_PREVIEW: flag }).filter(
                (r) => r.command,
            );
            assert.deepStrictEqual(
                runs.map((r) => [r.stack, r.command, r.environment, r.runner]),
                [
                    ["dev", "preview", "dev-preview", "ubuntu-latest"],
                    ["prod", "preview", "prod-preview", "iris-prod-preview"],
                ],
            );
        }
        // Without a separate preview runner, the prod runner (still behind prod-preview).
        const fallback = simulate(events.pullRequest, {
            PROD_RUNNER: "iris-prod",
            PROD_PR_PREVIEW: "true",
        });
        assert.strictEqual(fallback.find((r) => r.stack === "prod")?.runner, "iris-prod");
    });

    it("preview prod from main in prod-plan after dev's deploy and before every prod deploy, which waits for it", function () {
        const runs = simulate(events.push, vars).filter((r) => r.command);
        assert.deepStrictEqual(
            runs.map((r) => [r.job, r.stack, r.command, r.environment, r.runner, r.after]),
            [
                ["dev/run", "dev", "up", "dev", "ubuntu-latest", ["test"]],
                [
                    "prod-plan/run",
                    "prod",
                    "preview",
                    "prod-plan",
                    "iris-prod-preview",
                    ["dev", "test"],
                ],
                ["prod/run", "prod", "up", "production", "iris-prod", ["dev", "prod-plan", "test"]],
            ],
        );
        // Every prod `up` on a push waits for a prod-plan preview of the same run.
        for (const up of runs.filter((r) => r.command === "up" && r.stack === "prod")) {
            const plans = runs.filter(
                (r) => r.environment === "prod-plan" && up.after.includes(r.job.split("/")[0]),
            );
            assert.deepStrictEqual(
                plans.map((r) => [r.stack, r.command]),
                [["prod", "preview"]],
                `${label(up)} does not wait for prod's plan`,
            );
        }
        // Its diff goes to the job summary, where production's reviewers look.
        const preview = (loadWorkflow("pulumi.yml").jobs.run.steps ?? []).find(
            (s) => s.uses?.startsWith("pulumi/actions@") && s.with?.command,
        );
        assert.strictEqual(
            preview?.with?.["comment-on-summary"],
            "${{ inputs.command == 'preview' }}",
        );
    });

    it("run a preview outside a pull request only in prod-plan on a push to main, and nothing else there", function () {
        const offenders = all(optedIn)
            .filter(([e]) => e !== "pull request" && e !== "fork pull request")
            .filter(
                ([e, r]) =>
                    (r.command === "preview") !== (r.environment === "prod-plan") ||
                    (r.environment === "prod-plan" && e !== "push to main"),
            )
            .map(([e, r]) => `${e}: ${label(r)} ${r.command} in ${r.environment}`);
        assert.deepStrictEqual(offenders, []);
        // pulumi.yml alone refuses prod-plan to any other event, and a preview to any other
        // environment outside a pull request (a caller that got it wrong).
        const called = loadWorkflow("pulumi.yml").jobs.run.if;
        const guard = (event_name: string, ref: string, command: string, environment: string) =>
            condition(called, {
                github: {
                    event_name,
                    ref,
                    repository: "acme/iris-platform",
                    event: {
                        pull_request: { head: { repo: { full_name: "acme/iris-platform" } } },
                    },
                },
                inputs: { command, environment },
                vars: optedIn,
            });
        assert.strictEqual(guard("push", "refs/heads/main", "preview", "prod-plan"), true);
        assert.strictEqual(guard("push", "refs/heads/other", "preview", "prod-plan"), false);
        assert.strictEqual(
            guard("pull_request", "refs/pull/7/merge", "preview", "prod-plan"),
            false,
        );
        assert.strictEqual(guard("push", "refs/heads/main", "up", "prod-plan"), false);
        for (const event of ["push", "schedule", "workflow_dispatch"])
            for (const environment of ["production", "prod-preview", "prod-drift", "dev"])
                assert.strictEqual(
                    guard(event, "refs/heads/main", "preview", environment),
                    false,
                    `${event} preview in ${environment}`,
                );
    });

    it("send work to a self-hosted runner only through a prod environment", function () {
        for (const v of [vars, optedIn]) {
            const offenders = all(v)
                .filter(([, r]) => !isHosted(r.runner))
                .filter(([, r]) => !prodEnvironments.includes(r.environment!))
                .map(([e, r]) => `${e}: ${label(r)} on ${r.runner}`);
            assert.deepStrictEqual(offenders, []);
        }
    });

    it("pass no secrets to a called workflow (each stack's secrets live in its environment)", function () {
        const passing = all(optedIn)
            .filter(([, r]) => r.secretsPassed)
            .map(([e, r]) => `${e}: ${label(r)}`);
        assert.deepStrictEqual(passing, []);
        for (const f of workflowFiles())
            assert.ok(
                !/secrets:\s*inherit/.test(
                    fs.readFileSync(path.join(__dirname, "..", ".github", "workflows", f), "utf8"),
                ),
                `${f} inherits secrets`,
            );
    });

    it("grant an OIDC token only to jobs in an environment, and a workflow-wide grant nowhere but the drill", function () {
        for (const [e, r] of all(optedIn))
            if (r.permissions["id-token"] === "write")
                assert.ok(
                    r.environment,
                    `${e}: ${label(r)} may mint a token outside any environment`,
                );
        for (const f of workflowFiles()) {
            const w = loadWorkflow(f);
            if ("workflow_call" in w.on || f === "restore-drill.yml") continue;
            assert.deepStrictEqual(w.permissions, {}, `${f}: workflow-level permissions`);
        }
    });

    it("queue up and destroy of one stack in one never-cancelled group, apart from previews and other stacks", function () {
        const ofStack = (e: Event, stack: string, command?: string) => {
            const r = simulate(e, optedIn).find(
                (x) => x.stack === stack && x.concurrency && (!command || x.command === command),
            );
            assert.ok(r?.concurrency, `no ${stack} job for ${e.name}`);
            return r.concurrency;
        };
        // prod's plan on main: never in the deploy's group (a pending plan would displace a
        // pending deploy), nor a pull request's preview group (a PR could cancel it).
        const plan = ofStack(events.push, "prod", "preview");
        assert.notStrictEqual(plan.group, ofStack(events.push, "prod", "up").group);
        assert.notStrictEqual(plan.group, ofStack(events.pullRequest, "prod").group);
        assert.notStrictEqual(plan.group, ofStack(events.dispatch("drift.yml", {}), "prod").group);
        for (const stack of ["dev", "prod"]) {
            const up = ofStack(events.push, stack, "up");
            const destroy = ofStack(
                events.dispatch("destroy.yml", { stack, confirm: stack }),
                stack,
            );
            const preview = ofStack(events.pullRequest, stack);
            const drift = ofStack(events.dispatch("drift.yml", {}), stack);
            assert.strictEqual(up.group, destroy.group, `${stack}: up and destroy share a group`);
            assert.deepStrictEqual([up.cancel, destroy.cancel], [false, false]);
            assert.notStrictEqual(
                preview.group,
                up.group,
                `${stack}: a preview never displaces a deploy`,
            );
            // GitHub cancels an older *pending* job of a group: a drift check must not share it.
            assert.notStrictEqual(
                drift.group,
                up.group,
                `${stack}: a drift check never displaces a deploy`,
            );
        }
        assert.notStrictEqual(
            ofStack(events.push, "dev", "up").group,
            ofStack(events.push, "prod", "up").group,
        );
    });

    it("run the weekly drill and the daily drift checks in their own environments, never waiting on production's reviewers", function () {
        const scheduled = simulate(events.schedule, vars);
        assert.deepStrictEqual(
            scheduled.map((r) => [r.workflow, r.environment, r.command ?? null, r.runner]).sort(),
            [
                ["drift.yml", "dev-drift", "drift", "ubuntu-latest"],
                ["drift.yml", "prod-drift", "drift", "iris-prod"],
                ["restore-drill.yml", "prod-drill", null, "iris-prod"],
            ],
        );
    });

    it("give secrets only to the steps that run Pulumi, never to a job's environment (npm ci's install scripts)", function () {
        const offenders: string[] = [];
        const usesSecret = (env: unknown) => /\$\{\{\s*secrets\./.test(JSON.stringify(env ?? {}));
        for (const f of workflowFiles())
            for (const [job, j] of Object.entries(loadWorkflow(f).jobs)) {
                if (usesSecret((j as { env?: unknown }).env))
                    offenders.push(`${f} ${job}: job env`);
                (j.steps ?? []).forEach((s, i) => {
                    const st = s as { env?: unknown; run?: string; uses?: string };
                    const pulumi =
                        st.uses?.startsWith("pulumi/actions@") ||
                        /\bpulumi (login|stack)\b|npm run drift/.test(st.run ?? "");
                    if (usesSecret(st.env) && !pulumi) offenders.push(`${f} ${job} step ${i}`);
                });
            }
        assert.deepStrictEqual(offenders, []);
    });

    it("pass inputs to shell steps through env, never as ${{ }} inside a script", function () {
        const offenders: string[] = [];
        for (const f of workflowFiles())
            for (const [job, j] of Object.entries(loadWorkflow(f).jobs))
                (j.steps ?? []).forEach((s, i) => {
                    if (s.run && /\$\{\{/.test(s.run)) offenders.push(`${f} ${job} step ${i}`);
                });
        assert.deepStrictEqual(offenders, []);
    });

    it("cache the toolchain in the test job keyed on the Go version and every toolchain file, with the newest Go any module asks for", function () {
        const steps = loadWorkflow("test.yml").jobs.test.steps ?? [];
        const go = steps.find((s) => s.uses?.startsWith("actions/setup-go@"));
        const cache = steps.find((s) => s.uses?.startsWith("actions/cache@"));
        assert.ok(go && cache, "setup-go and cache steps");
        assert.strictEqual(cache.with?.path, "~/.cache/iris-platform/toolchain");
        assert.match(String(cache.with?.key), /\$\{\{ steps\.go\.outputs\.version \}\}/);
        assert.match(String(cache.with?.key), /hashFiles\('toolchain\/\*\*'\)/);
        const goLine = (f: string) =>
            /^go (\S+)$/m.exec(fs.readFileSync(path.join(__dirname, "..", f), "utf8"))![1];
        const dir = path.join(__dirname, "..", "toolchain");
        const wanted = fs
            .readdirSync(dir)
            .filter((m) => fs.existsSync(path.join(dir, m, "go.mod")))
            .map((m) => goLine(`toolchain/${m}/go.mod`))
            .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))
            .pop();
        assert.strictEqual(goLine(String(go.with?.["go-version-file"])), wanted);
    });
});

/**
 * pulumi.yml's own `if:` and `runs-on`, evaluated alone for hostile callers: a same-repository
 * pull request can add a workflow that calls `<owner>/<repo>/.github/workflows/pulumi.yml@main`
 * with inputs of its choosing, and a runner group restricted to selected workflows admits that
 * job, since it is defined in pulumi.yml@main (docs/ci.md, "Which runner").
 */
describe("pulumi.yml alone, whoever calls it", function () {
    const called = loadWorkflow("pulumi.yml").jobs.run;
    const repo = "acme/iris-platform";
    /** The deploy runner's label, which a hostile caller passes as `runner`. */
    const hostile = vars.PROD_RUNNER;
    const environments = [
        "dev",
        "dev-preview",
        "production",
        "prod-plan",
        "prod-preview",
        "prod-drill",
        "dev-drift",
        "prod-drift",
    ];
    /** Names docs/ci.md does not list: GitHub would create them without protection rules. */
    const unknown = ["staging", "prod", "production-2", "", "prod-plan "];
    const commands = ["preview", "up", "destroy", "drift", "refresh"];
    const ctx = (
        event_name: string,
        ref: string,
        inputs: Contexts,
        v: Record<string, string>,
        head: string | null = null,
    ): Contexts => ({
        github: {
            event_name,
            ref,
            repository: repo,
            event: head ? { pull_request: { head: { repo: { full_name: head } } } } : {},
        },
        inputs,
        vars: v,
    });
    const runsOn = (c: Contexts) => String(resolve(called["runs-on"], c));
    const guard = (c: Contexts) => condition(called.if, c);
    /** Every hostile combination of inputs, for each repository setting. */
    const hostileInputs = function* () {
        for (const v of [vars, optedIn] as Record<string, string>[])
            for (const environment of [...environments, ...unknown])
                for (const command of commands)
                    for (const runner of [hostile, "self-hosted", vars.PROD_PREVIEW_RUNNER])
                        yield { v, inputs: { command, stack: "prod", environment, runner } };
    };

    it("never puts a pull request's job on the caller's runner, and on a self-hosted one only for prod-preview when opted in", function () {
        const offenders: string[] = [];
        for (const head of [repo, "mallory/iris-platform"])
            for (const { v, inputs } of hostileInputs()) {
                const c = ctx("pull_request", "refs/pull/7/merge", inputs, v, head);
                const runner = runsOn(c);
                const allowed =
                    head === repo &&
                    v.PROD_PR_PREVIEW === "true" &&
                    inputs.environment === "prod-preview";
                const ok = allowed ? runner === vars.PROD_PREVIEW_RUNNER : isHosted(runner);
                if (!ok)
                    offenders.push(
                        `${head} ${JSON.stringify(inputs)} ${v.PROD_PR_PREVIEW}: ${runner}`,
                    );
            }
        assert.deepStrictEqual(offenders, []);
        // Opted in without a preview runner of its own: the prod runner (the repository's
        // choice, docs/ci.md), still never the caller's.
        const fallback = runsOn(
            ctx(
                "pull_request",
                "refs/pull/7/merge",
                { command: "preview", environment: "prod-preview", runner: "mallory-label" },
                { PROD_RUNNER: "iris-prod", PROD_PR_PREVIEW: "true" },
                repo,
            ),
        );
        assert.strictEqual(fallback, "iris-prod");
    });

    it("never puts a job on a self-hosted runner outside refs/heads/main, or for an event, environment or pull request it does not know", function () {
        const offenders: string[] = [];
        const cases: [string, string][] = [
            ...["push", "workflow_dispatch", "schedule"].flatMap((e) =>
                [
                    "refs/heads/feature",
                    "refs/heads/main-2",
                    "refs/tags/v1",
                    "refs/pull/7/merge",
                ].map((ref): [string, string] => [e, ref]),
            ),
            // Events a workflow on main could use, none of which pulumi.yml's callers do.
            ...[
                "pull_request_target",
                "workflow_run",
                "issue_comment",
                "repository_dispatch",
                "merge_group",
                "release",
            ].map((e): [string, string] => [e, "refs/heads/main"]),
        ];
        for (const [event, ref] of cases)
            for (const { v, inputs } of hostileInputs()) {
                const c = ctx(event, ref, inputs, v, repo);
                if (!isHosted(runsOn(c)))
                    offenders.push(`${event} ${ref} ${JSON.stringify(inputs)}: ${runsOn(c)}`);
                if (guard(c)) offenders.push(`${event} ${ref} ${JSON.stringify(inputs)}: admitted`);
            }
        // On main, by an allowed event: an unknown environment still gets neither.
        for (const event of ["push", "workflow_dispatch", "schedule"])
            for (const { v, inputs } of hostileInputs())
                if (unknown.includes(inputs.environment)) {
                    const c = ctx(event, "refs/heads/main", inputs, v);
                    if (!isHosted(runsOn(c)) || guard(c))
                        offenders.push(`${event} main ${JSON.stringify(inputs)}: ${runsOn(c)}`);
                }
        assert.deepStrictEqual(offenders, []);
    });

    it("uses the caller's runner only for a prod environment on main by push, schedule or dispatch", function () {
        for (const event of ["push", "schedule", "workflow_dispatch"])
            for (const environment of environments) {
                const c = ctx(event, "refs/heads/main", { environment, runner: "iris-x" }, vars);
                const prod = ["production", "prod-plan", "prod-drill", "prod-drift"];
                assert.strictEqual(
                    runsOn(c),
                    prod.includes(environment) ? "iris-x" : "ubuntu-latest",
                    `${event} ${environment}`,
                );
            }
    });

    it("admits exactly the listed event, command and environment pairs (allowlists, not denylists)", function () {
        const admitted: string[] = [];
        const events: [string, string, string | null][] = [
            ["pull_request", "refs/pull/7/merge", repo],
            ["push", "refs/heads/main", null],
            ["schedule", "refs/heads/main", null],
            ["workflow_dispatch", "refs/heads/main", null],
        ];
        for (const [event, ref, head] of events)
            for (const environment of [...environments, ...unknown])
                for (const command of commands)
                    if (guard(ctx(event, ref, { command, environment }, optedIn, head)))
                        admitted.push(`${event} ${command} ${environment}`);
        const onMain = (e: string) => [
            `${e} up dev`,
            `${e} up production`,
            `${e} destroy dev`,
            `${e} destroy production`,
            `${e} drift dev-drift`,
            `${e} drift prod-drift`,
        ];
        assert.deepStrictEqual(
            admitted.sort(),
            [
                "pull_request preview dev-preview",
                "pull_request preview prod-preview",
                "push preview prod-plan",
                ...onMain("push"),
                ...onMain("schedule"),
                ...onMain("workflow_dispatch"),
            ].sort(),
        );
        // Not opted in: no prod-preview.
        assert.strictEqual(
            guard(
                ctx(
                    "pull_request",
                    "refs/pull/7/merge",
                    { command: "preview", environment: "prod-preview" },
                    vars,
                    repo,
                ),
            ),
            false,
        );
    });
});

describe("GitHub workflow files", function () {
    it("trigger only on pull_request, push, schedule, workflow_dispatch and workflow_call", function () {
        // Never pull_request_target, workflow_run, issue_comment, …: those run main's workflow
        // with main's secrets for an event anyone may cause (events-that-trigger-workflows,
        // `pull_request_target` and `workflow_run` warnings).
        const allowed = ["pull_request", "push", "schedule", "workflow_dispatch", "workflow_call"];
        const offenders = workflowFiles().flatMap((f) =>
            Object.keys(loadWorkflow(f).on)
                .filter((k) => !allowed.includes(k))
                .map((k) => `${f}: ${k}`),
        );
        assert.deepStrictEqual(offenders, []);
        assert.ok(workflowFiles().length >= 7, "the workflows are read");
    });

    it("pin pulumi/actions by the v6.6.1 commit and keep the preview's resource summary", function () {
        const uses: string[] = [];
        for (const f of workflowFiles())
            for (const j of Object.values(loadWorkflow(f).jobs))
                for (const s of j.steps ?? [])
                    if (s.uses?.startsWith("pulumi/actions@")) uses.push(s.uses);
        assert.ok(uses.length > 0);
        assert.deepStrictEqual(
            [...new Set(uses)],
            ["pulumi/actions@8582a9e8cc630786854029b4e09281acd6794b58"],
        );
        const preview = (loadWorkflow("pulumi.yml").jobs.run.steps ?? []).find(
            (s) => s.uses?.startsWith("pulumi/actions@") && s.with?.command,
        );
        assert.strictEqual(preview?.with?.["always-include-summary"], true);
    });
});

describe("GitHub expression fake (test/workflow-expr.ts)", function () {
    it("follows GitHub's documented semantics and refuses what it does not model", function () {
        const ctx = { github: { repository: "Acme/Repo", event: {} }, inputs: { n: "" } };
        assert.strictEqual(evaluate("github.repository == 'acme/repo'", ctx), true);
        assert.strictEqual(evaluate("inputs.n || 'x'", ctx), "x");
        assert.strictEqual(evaluate("'a' && 'b'", ctx), "b");
        assert.strictEqual(evaluate("github.event.pull_request.head.repo.full_name", ctx), null);
        assert.strictEqual(evaluate("format('{0}-{{1}}', 'p')", ctx), "p-{1}");
        assert.strictEqual(evaluate("'it''s'", ctx), "it's");
        assert.throws(() => evaluate("contains(github.repository, 'a')", ctx), /does not model/);
        assert.throws(() => evaluate("1 < 2", ctx), /does not model/);
    });
});
