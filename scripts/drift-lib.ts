/**
 * Drift: where the cluster (and cloud) no longer match the code. A preview with `refresh` first
 * reads every resource back from where it lives, then diffs the program's inputs against what it
 * read; with the code that was deployed, every step it plans is drift. This module turns the
 * engine's events into a readable report: resource, field, live value and code value.
 *
 * Event shapes: @pulumi/pulumi automation/events.ts (`ResourcePreEvent`, `StepEventMetadata`,
 * `PropertyDiff`) at the pinned SDK; property-path syntax: pulumi sdk/go/common/resource/
 * property_path.go (`a.b[0]["c.d"]`).
 */
import type { EngineEvent, StepEventMetadata } from "@pulumi/pulumi/automation";

/** One field that differs: where, how, and both sides as short text. */
export interface DriftField {
    /** Pulumi property path, e.g. `spec.replicas` or `metadata.labels["app"]`. */
    readonly path: string;
    /** add | delete | update (and their -replace forms): the change `up` would make. */
    readonly kind: string;
    /** What the resource holds now (after refresh). */
    readonly live: string;
    /** What the code says. */
    readonly code: string;
}

export interface Drift {
    readonly urn: string;
    readonly type: string;
    /** The resource's name (the URN's last part). */
    readonly name: string;
    /** The step `up` would take to undo the drift. */
    readonly op: string;
    readonly fields: readonly DriftField[];
}

/**
 * Steps that mean a resource differs. `create`: it is gone from where it lived (refresh dropped
 * it). `create-replacement`/`delete-replaced` are the halves of a `replace` (reported once).
 * `same`, `read`, `refresh` and the rest change nothing.
 */
const driftOps = new Set(["create", "update", "replace", "delete"]);

/** Splits a Pulumi property path: `a.b[0]["c.d"]` → ["a", "b", 0, "c.d"]. */
export function parsePropertyPath(p: string): (string | number)[] {
    const out: (string | number)[] = [];
    let i = 0;
    while (i < p.length) {
        if (p[i] === ".") i++;
        if (p[i] === "[") {
            const end = p.indexOf("]", i);
            if (end < 0) throw new Error(`bad property path ${p}`);
            const inner = p.slice(i + 1, end);
            if (inner.startsWith('"')) {
                // A quoted key may contain "]": find the closing quote first.
                const close = p.indexOf('"]', i + 2);
                out.push(JSON.parse(p.slice(i + 1, close + 1)) as string);
                i = close + 2;
            } else {
                out.push(inner === "*" ? inner : Number(inner));
                i = end + 1;
            }
            continue;
        }
        let j = i;
        while (j < p.length && p[j] !== "." && p[j] !== "[") j++;
        out.push(p.slice(i, j));
        i = j;
    }
    return out;
}

// The engine's marker for a secret value (sdk/go/common/resource/sig); events normally carry "[secret]".
const secretSig = "4dabf18193072939515e22adb298388d";

function at(obj: unknown, path: (string | number)[]): unknown {
    let v = obj;
    for (const k of path) {
        if (v === null || typeof v !== "object") return undefined;
        if (secretSig in v) return "[secret]";
        v = (v as Record<string | number, unknown>)[k];
    }
    return v;
}

/** A value as one short line; secrets never leave as anything but "[secret]". */
export function show(v: unknown, max = 120): string {
    if (v === undefined) return "(absent)";
    if (v !== null && typeof v === "object" && secretSig in v) return "[secret]";
    const s =
        typeof v === "string"
            ? v
            : JSON.stringify(v, (_k, x: unknown) =>
                  x !== null && typeof x === "object" && secretSig in x ? "[secret]" : x,
              );
    return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function fieldsOf(m: StepEventMetadata): DriftField[] {
    const live = m.old?.inputs;
    const code = m.new?.inputs;
    if (m.detailedDiff && Object.keys(m.detailedDiff).length > 0) {
        return Object.entries(m.detailedDiff).map(([p, d]) => {
            const path = parsePropertyPath(p);
            return {
                path: p,
                kind: d.diffKind,
                live: show(at(live, path)),
                code: show(at(code, path)),
            };
        });
    }
    // Providers without a detailed diff name only the top-level keys.
    return (m.diffs ?? []).map((k) => ({
        path: k,
        kind: "update",
        live: show(live?.[k]),
        code: show(code?.[k]),
    }));
}

/** The drift in a refresh-then-preview's events, in the order the engine planned it. */
export function driftFrom(events: readonly EngineEvent[]): Drift[] {
    const out: Drift[] = [];
    for (const e of events) {
        const m = e.resourcePreEvent?.metadata;
        if (!m || !driftOps.has(m.op)) continue;
        // Component resources have no live counterpart; their children carry the drift. Provider
        // resources live nowhere either: their settings (e.g. a credentials file's path, which
        // differs between machines) change with where `up` last ran, not in the cluster.
        if (m.old?.custom === false || m.new?.custom === false) continue;
        if (m.type.startsWith("pulumi:providers:")) continue;
        out.push({
            urn: m.urn,
            type: m.type,
            name: m.urn.slice(m.urn.lastIndexOf("::") + 2),
            op: m.op,
            fields:
                m.op === "create"
                    ? [{ path: "(resource)", kind: "add", live: "(absent)", code: "(present)" }]
                    : m.op === "delete"
                      ? [
                            {
                                path: "(resource)",
                                kind: "delete",
                                live: "(present)",
                                code: "(absent)",
                            },
                        ]
                      : fieldsOf(m),
        });
    }
    return out;
}

const what: Record<string, string> = {
    create: "missing where it lives; `up --refresh` creates it",
    update: "differs from the code; `up --refresh` updates it",
    replace: "differs from the code; `up --refresh` REPLACES it",
    delete: "not in the code; `up --refresh` deletes it",
};

/** Plain text for a terminal or a log. */
export function driftText(stack: string, drifts: readonly Drift[]): string {
    if (drifts.length === 0) return `drift: stack ${stack} matches its code\n`;
    const lines = [`drift: stack ${stack}: ${drifts.length} resource(s) differ from the code`];
    for (const d of drifts) {
        lines.push(`- ${d.type} ${d.name}: ${what[d.op] ?? d.op}`);
        for (const f of d.fields)
            lines.push(`    ${f.path} (${f.kind}): live ${f.live} | code ${f.code}`);
    }
    return `${lines.join("\n")}\n`;
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** GitHub-flavoured Markdown for the job summary. */
export function driftMarkdown(stack: string, drifts: readonly Drift[]): string {
    if (drifts.length === 0) return `### Drift: \`${stack}\` matches its code\n`;
    const rows = drifts.flatMap((d) =>
        d.fields.map(
            (f) =>
                `| \`${cell(d.type)}\` ${cell(d.name)} | ${d.op} | \`${cell(f.path)}\` | ${cell(f.live)} | ${cell(f.code)} |`,
        ),
    );
    return [
        `### Drift: \`${stack}\` — ${drifts.length} resource(s) differ from the code`,
        "",
        "| resource | up would | field | live | code |",
        "|---|---|---|---|---|",
        ...rows,
        "",
        "Keep a change by putting it in the code; revert it with `pulumi up --refresh` (docs/drift.md).",
        "",
    ].join("\n");
}
