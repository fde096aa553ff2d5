/**
 * What GitHub would run for one event: which jobs of .github/workflows start, on which runner,
 * in which environment, with which token scopes and concurrency group. Job `if:`, `with:`,
 * `runs-on`, `environment` and `concurrency` are evaluated by the expression fake
 * (test/workflow-expr.ts); a reusable workflow's job gets the caller's `github` context and the
 * caller job's `permissions` (docs.github.com/en/actions/reference/workflows-and-actions/reusable-workflows);
 * a job whose `needs` was skipped is skipped (no status function is modelled: one throws).
 * `ignore` drops one layer's `if:` (the calling job's or the called workflow's), so a test can ask
 * whether each layer alone keeps an event out.
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { condition, resolve, type Contexts } from "./workflow-expr";

export const workflowsDir = path.join(__dirname, "..", ".github", "workflows");

type Raw = Record<string, unknown>;
export type Job = {
    if?: string;
    needs?: string | string[];
    uses?: string;
    with?: Raw;
    secrets?: unknown;
    "runs-on"?: unknown;
    environment?: unknown;
    permissions?: Raw | string;
    concurrency?: { group: string; "cancel-in-progress"?: unknown };
    steps?: { run?: string; uses?: string; with?: Raw; id?: string }[];
};
export type Workflow = { on: Raw; permissions?: Raw | string; jobs: Record<string, Job> };

export const loadWorkflow = (f: string): Workflow =>
    yaml.load(fs.readFileSync(path.join(workflowsDir, f), "utf8")) as Workflow;
export const workflowFiles = (): string[] =>
    fs.readdirSync(workflowsDir).filter((f) => f.endsWith(".yml"));

export type Event = {
    name: "pull_request" | "push" | "schedule" | "workflow_dispatch";
    /** For workflow_dispatch: the one workflow dispatched. */
    file?: string;
    github: Contexts;
    inputs?: Contexts;
};

/** One job GitHub would send to a runner. */
export type Run = {
    workflow: string;
    job: string;
    runner: string;
    environment: string | null;
    permissions: Record<string, string>;
    command?: string;
    stack?: string;
    concurrency?: { group: string; cancel: boolean };
    secretsPassed: boolean;
    /** The calling jobs this one waits for, directly or through their own `needs`. */
    after: string[];
};

const needsOf = (job: Job): string[] => ([] as string[]).concat(job.needs ?? []);
/** Every job of `w` that `id` waits for, directly or transitively. */
function transitiveNeeds(w: Workflow, id: string, seen = new Set<string>()): string[] {
    for (const n of needsOf(w.jobs[id])) {
        if (!(n in w.jobs)) throw new Error(`${id} needs unknown job ${n}`);
        if (!seen.has(n)) {
            seen.add(n);
            transitiveNeeds(w, n, seen);
        }
    }
    return [...seen].sort();
}

const repo = "acme/iris-platform";
const pr = (head: string, fork: boolean): Event => ({
    name: "pull_request",
    github: {
        event_name: "pull_request",
        repository: repo,
        ref: "refs/pull/7/merge",
        event: { pull_request: { head: { repo: { full_name: head, fork } } } },
    },
});
export const events = {
    forkPullRequest: pr("mallory/iris-platform", true),
    pullRequest: pr(repo, false),
    push: {
        name: "push",
        github: { event_name: "push", repository: repo, ref: "refs/heads/main", event: {} },
    } as Event,
    schedule: {
        name: "schedule",
        github: { event_name: "schedule", repository: repo, ref: "refs/heads/main", event: {} },
    } as Event,
    dispatch: (file: string, inputs: Contexts): Event => ({
        name: "workflow_dispatch",
        file,
        inputs,
        github: { event_name: "workflow_dispatch", repository: repo, ref: "refs/heads/main" },
    }),
};

const levels = ["none", "read", "write"];
function permissionsOf(p: Raw | string | undefined): Record<string, string> | undefined {
    if (p === undefined) return undefined;
    if (typeof p === "string")
        throw new Error(`permissions: ${p} (read-all/write-all) not allowed`);
    return p as Record<string, string>;
}
/** The lower of two grants per scope (a called workflow can only lower its caller's). */
function lower(a: Record<string, string>, b: Record<string, string> | undefined) {
    if (!b) return a;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(a))
        out[k] = levels[Math.min(levels.indexOf(v), levels.indexOf(b[k] ?? "none"))];
    return out;
}

function triggered(w: Workflow, e: Event, file: string): boolean {
    if (e.name === "workflow_dispatch") return e.file === file && "workflow_dispatch" in w.on;
    if (!(e.name in w.on)) return false;
    const filter = (w.on[e.name] ?? {}) as { branches?: string[] };
    // push filters on the pushed branch, pull_request on the base branch: both main here.
    return !filter.branches || filter.branches.includes("main");
}

/** Every job GitHub would run for `e`, with `vars` as the repository/environment variables. */
export function simulate(
    e: Event,
    vars: Record<string, string> = {},
    ignore?: "caller-if" | "called-if",
): Run[] {
    const runs: Run[] = [];
    for (const file of workflowFiles()) {
        const w = loadWorkflow(file);
        if (!triggered(w, e, file)) continue;
        const skipped = new Set<string>();
        const ctx = { github: e.github, inputs: e.inputs ?? {}, vars };
        for (const [id, job] of Object.entries(w.jobs)) {
            const needs = needsOf(job);
            if (/\b(always|success|failure|cancelled)\(/.test(job.if ?? ""))
                throw new Error(`${file} ${id}: status functions are not modelled`);
            const admitted = ignore === "caller-if" || condition(job.if, ctx);
            if (needs.some((n) => skipped.has(n)) || !admitted) {
                skipped.add(id);
                continue;
            }
            const granted = permissionsOf(job.permissions) ?? permissionsOf(w.permissions) ?? {};
            if (!job.uses) {
                runs.push({
                    workflow: file,
                    job: id,
                    runner: String(resolve(job["runs-on"], ctx)),
                    environment: (resolve(job.environment, ctx) as string | undefined) ?? null,
                    permissions: granted,
                    secretsPassed: false,
                    after: transitiveNeeds(w, id),
                });
                continue;
            }
            const m = /^\.\/\.github\/workflows\/(.+)$/.exec(job.uses);
            if (!m) throw new Error(`${file} ${id}: only local reusable workflows are modelled`);
            const called = loadWorkflow(m[1]);
            const declared = ((called.on.workflow_call as Raw | null)?.inputs ?? {}) as Record<
                string,
                { default?: unknown }
            >;
            const inputs: Contexts = {};
            for (const [k, spec] of Object.entries(declared)) inputs[k] = spec.default ?? null;
            for (const [k, v] of Object.entries(job.with ?? {})) inputs[k] = resolve(v, ctx);
            const inner = { github: e.github, inputs, vars };
            for (const [cid, cjob] of Object.entries(called.jobs)) {
                if (ignore !== "called-if" && !condition(cjob.if, inner)) continue;
                const c = cjob.concurrency;
                runs.push({
                    workflow: file,
                    job: `${id}/${cid}`,
                    runner: String(resolve(cjob["runs-on"], inner)),
                    environment: (resolve(cjob.environment, inner) as string | undefined) || null,
                    permissions: lower(granted, permissionsOf(cjob.permissions)),
                    command: inputs.command as string | undefined,
                    stack: inputs.stack as string | undefined,
                    concurrency: c && {
                        group: String(resolve(c.group, inner)),
                        cancel: resolve(c["cancel-in-progress"], inner) === true,
                    },
                    secretsPassed: job.secrets !== undefined,
                    after: transitiveNeeds(w, id),
                });
            }
        }
    }
    return runs;
}

/** GitHub-hosted runner labels (docs.github.com/en/actions/reference/runners/github-hosted-runners). */
export const isHosted = (runner: string) => /^(ubuntu|windows|macos)-/.test(runner);
