/**
 * Compares docs/configuration.md's tables (key | type | default | meaning) with the zod schema:
 * each documented default must be the schema's default, each type must be the schema's kind
 * (bool, int with its range, the enum's exact values, a list), and a key the schema requires
 * must be documented as required. Used by test/config-reference-types.test.ts.
 */

/** The slice of zod 4's internal definition this walker reads (`_zod.def`). */
export type ZodLike = {
    _zod: {
        def: {
            type: string;
            innerType?: ZodLike;
            in?: ZodLike;
            shape?: Record<string, ZodLike>;
            element?: ZodLike;
            options?: ZodLike[];
            entries?: Record<string, string | number>;
            values?: unknown[];
            defaultValue?: unknown;
            checks?: { _zod: { def: { check: string; value?: number; format?: string } } }[];
        };
    };
};

/** One leaf of the schema: its dotted path, the schema under wrappers, default and whether required. */
export interface Leaf {
    readonly path: string;
    readonly schema: ZodLike;
    /** Present when the schema (not a refinement or code) supplies a default. */
    readonly defaultValue?: { readonly value: unknown };
    /** The user must set it (no default, not optional, and every parent is required too). */
    readonly required: boolean;
    /** For union options (the cluster providers): the discriminator value of the option. */
    readonly variant?: string;
}

const wrappers = ["optional", "default", "prefault", "nullable", "readonly", "catch"];

/** Walks a schema to its leaves, keeping each leaf's default and whether it is required. */
export function leaves(s: ZodLike, prefix = "", parentRequired = true, variant?: string): Leaf[] {
    let cur = s;
    let optional = false;
    let defaultValue: { value: unknown } | undefined;
    for (;;) {
        const d = cur._zod.def;
        if (wrappers.includes(d.type) && d.innerType) {
            if (d.type === "default" && defaultValue === undefined)
                defaultValue = { value: d.defaultValue };
            if (d.type !== "readonly") optional = true;
            cur = d.innerType;
        } else if (d.type === "pipe" && d.in) cur = d.in;
        else break;
    }
    const required = parentRequired && !optional;
    const d = cur._zod.def;
    if (d.type === "object" && d.shape)
        return Object.entries(d.shape).flatMap(([k, v]) =>
            leaves(v, prefix ? `${prefix}.${k}` : k, required, variant),
        );
    if (d.type === "array" && d.element && unwrap(d.element)._zod.def.type === "object")
        return leaves(d.element, `${prefix}[]`, false, variant);
    if (d.type === "union" && d.options && !isLiteralUnion(cur))
        return d.options.flatMap((o) => leaves(o, prefix, required, discriminator(o) ?? variant));
    return [{ path: prefix, schema: cur, defaultValue, required, variant }];
}

function unwrap(s: ZodLike): ZodLike {
    const d = s._zod.def;
    if (wrappers.includes(d.type) && d.innerType) return unwrap(d.innerType);
    if (d.type === "pipe" && d.in) return unwrap(d.in);
    return s;
}

function isLiteralUnion(s: ZodLike): boolean {
    return (s._zod.def.options ?? []).every((o) => unwrap(o)._zod.def.type === "literal");
}

/** The value of a `provider: z.literal(...)`-style discriminator, if the option has one. */
function discriminator(o: ZodLike): string | undefined {
    const shape = unwrap(o)._zod.def.shape ?? {};
    for (const v of Object.values(shape)) {
        const d = unwrap(v)._zod.def;
        if (d.type === "literal" && d.values?.length === 1 && typeof d.values[0] === "string")
            return d.values[0];
    }
    return undefined;
}

/** The allowed values of an enum, a literal or a union of literals (else undefined). */
export function allowedValues(s: ZodLike): string[] | undefined {
    const d = s._zod.def;
    if (d.type === "enum" && d.entries) return Object.values(d.entries).map(String);
    if (d.type === "literal" && d.values) return d.values.map(String);
    if (d.type === "union" && d.options && isLiteralUnion(s))
        return d.options.flatMap((o) => allowedValues(unwrap(o)) ?? []);
    return undefined;
}

/** How a default is written in the docs: each token in backticks. */
export function defaultTokens(v: unknown): string[] {
    if (Array.isArray(v)) return v.length === 0 ? ["[]"] : v.map(String);
    if (typeof v === "object" && v !== null)
        return Object.keys(v).length === 0 ? ["{}"] : [JSON.stringify(v)];
    return [String(v)];
}

/** A documented row: the key as written and its type and default cells. */
export interface Row {
    readonly section: string;
    readonly key: string;
    readonly type: string;
    readonly default: string;
    readonly line: string;
}

/** Splits markdown table cells, keeping escaped pipes (`\|`) inside a cell. */
function cells(line: string): string[] {
    return line
        .trim()
        .replace(/^\||\|$/g, "")
        .split(/(?<!\\)\|/)
        .map((c) => c.trim());
}

/**
 * Every `| key | type | default | meaning |` row of the doc's `### \`…` sections. A cell naming
 * several keys (`minNodes` / `maxNodes`) gives one row each, with the matching default when the
 * default cell has as many parts.
 */
export function docRows(doc: string): Row[] {
    const rows: Row[] = [];
    for (const section of doc.split(/\n(?=### )/)) {
        const heading = section.split("\n")[0];
        if (!heading.startsWith("### `")) continue;
        let header: string[] | undefined;
        for (const line of section.split("\n")) {
            if (!line.startsWith("|")) {
                header = undefined;
                continue;
            }
            const c = cells(line);
            if (!header) {
                header = c.map((h) => h.toLowerCase());
                continue;
            }
            if (c.every((x) => /^-+$/.test(x))) continue;
            const [ki, ti, di] = ["key", "type", "default"].map((h) => header!.indexOf(h));
            if (ki < 0 || ti < 0 || di < 0) continue;
            const keys = [...c[ki].matchAll(/`([^`]+)`/g)].map((m) => m[1]);
            const defaults = c[di].split(" / ");
            keys.forEach((key, i) =>
                rows.push({
                    section: heading,
                    key,
                    type: c[ti],
                    default: defaults.length === keys.length ? defaults[i] : c[di],
                    line,
                }),
            );
        }
    }
    return rows;
}

/** Which `### ` sections document keys of `area` for a union option (`aws` → its own section first). */
function sectionsFor(rows: readonly Row[], area: string, variant?: string): string[] {
    const all = [...new Set(rows.map((r) => r.section))].filter((h) =>
        new RegExp(`^### \`${area}[\`.]`).test(h),
    );
    if (!variant) return all;
    const own = all.filter(
        (h) => h.includes(`\`${area}.${variant}\``) || h.includes(`: ${variant}\``),
    );
    const common = all.filter((h) => !/`[a-zA-Z]+\.[a-z]+`|provider: /.test(h));
    return [...own, ...common];
}

/** The documented row of a leaf: its full path or its path below the section's heading. */
export function rowFor(rows: readonly Row[], leaf: Leaf): Row | undefined {
    const [area, ...rest] = leaf.path.split(".");
    const candidates = [leaf.path, ...rest.map((_, i) => rest.slice(i).join("."))];
    for (const section of sectionsFor(rows, area, leaf.variant)) {
        const inSection = rows.filter((r) => r.section === section);
        for (const c of candidates) {
            // `overrides.<chart>.path` documents every chart key of the map at once.
            const row = inSection.find((r) => r.key === c || templateRe(r.key)?.test(c) === true);
            if (row) return row;
        }
    }
    return undefined;
}

/** A row key with `<name>` segments as a pattern, or undefined when it has none. */
function templateRe(key: string): RegExp | undefined {
    if (!key.includes("<")) return undefined;
    const parts = key
        .split(".")
        .map((p) =>
            /^<[A-Za-z]+>$/.test(p) ? "[A-Za-z]+" : p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
        );
    return new RegExp(`^${parts.join("\\.")}$`);
}

const backticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);

/** What is wrong with a documented row for this leaf (empty when it agrees with the schema). */
export function mismatches(leaf: Leaf, row: Row): string[] {
    const out: string[] = [];
    const d = leaf.schema._zod.def;
    const where = `${leaf.path}${leaf.variant ? ` (${leaf.variant})` : ""}`;
    if (leaf.defaultValue) {
        const tokens = defaultTokens(leaf.defaultValue.value);
        const documented = backticked(row.default);
        const missing = tokens.filter((t) => !documented.includes(t));
        if (missing.length)
            out.push(`${where}: default is ${tokens.join(", ")}, docs say "${row.default}"`);
    } else if (leaf.required && !/required/i.test(row.default)) {
        out.push(`${where}: the schema requires it, docs' default says "${row.default}"`);
    }
    const allowed = allowedValues(leaf.schema);
    if (d.type === "boolean" && !/\bbool/.test(row.type))
        out.push(`${where}: a boolean, docs' type says "${row.type}"`);
    if (d.type === "number") {
        const isInt = (d.checks ?? []).some((c) => c._zod.def.format === "safeint");
        if (isInt && !/\bint\b/.test(row.type))
            out.push(`${where}: a whole number, docs' type says "${row.type}"`);
        const min = (d.checks ?? []).find((c) => c._zod.def.check === "greater_than")?._zod.def;
        const max = (d.checks ?? []).find((c) => c._zod.def.check === "less_than")?._zod.def;
        const range = /(\d+)\s*[–-]\s*(\d+)/.exec(row.type);
        if (range && (Number(range[1]) !== min?.value || Number(range[2]) !== max?.value))
            out.push(
                `${where}: range is ${min?.value ?? "-∞"}–${max?.value ?? "∞"}, docs' type says "${row.type}"`,
            );
    }
    if (allowed) {
        const listed = backticked(row.type);
        const isList = listed.length > 0;
        const rowText = backticked(row.line);
        if (isList && listed.sort().join() !== [...allowed].sort().join())
            out.push(
                `${where}: allowed ${allowed.join(", ")}, docs' type lists ${listed.join(", ")}`,
            );
        else if (!isList && !allowed.every((a) => rowText.includes(a)))
            out.push(
                `${where}: allowed ${allowed.join(", ")}, docs' row lists ${rowText.join(", ")}`,
            );
    }
    if (
        (d.type === "array" || d.type === "record") &&
        !/list|\[\]|map|zones|hostname/.test(row.type)
    )
        out.push(
            `${where}: a ${d.type === "array" ? "list" : "map"}, docs' type says "${row.type}"`,
        );
    if (["string", "number"].includes(d.type) && !allowed && /\bbool\b|\blist\b/.test(row.type))
        out.push(`${where}: a ${d.type}, docs' type says "${row.type}"`);
    return out;
}
