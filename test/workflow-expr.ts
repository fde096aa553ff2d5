/**
 * A fake of GitHub Actions' expression engine, for the subset the workflows use, so tests can ask
 * what a workflow does for an event instead of matching its text. Semantics from GitHub's
 * reference (docs.github.com/en/actions/reference/workflows-and-actions/expressions): literals
 * null, booleans, numbers and 'strings' ('' escapes a quote); operators ( ) . ! == != && ||;
 * `==` ignores case between strings and, between different types, compares them as numbers;
 * false, 0, -0, "" and null are falsy; && and || yield an operand, not a boolean; `format`
 * replaces {N} ({{ and }} escape braces). Anything else (other operators, functions, [ ])
 * throws: the fake never guesses.
 */
export type Value = null | boolean | number | string | { [k: string]: unknown };
export type Contexts = Record<string, unknown>;

type Tok = { t: "op" | "id" | "str" | "num"; v: string };

function tokenize(src: string): Tok[] {
    const out: Tok[] = [];
    let i = 0;
    while (i < src.length) {
        const c = src[i];
        if (/\s/.test(c)) i++;
        else if (c === "'") {
            let s = "";
            for (i++; ; i++) {
                if (i >= src.length) throw new Error(`unterminated string in ${src}`);
                if (src[i] === "'" && src[i + 1] === "'") {
                    s += "'";
                    i++;
                } else if (src[i] === "'") break;
                else s += src[i];
            }
            i++;
            out.push({ t: "str", v: s });
        } else if (/[0-9]/.test(c)) {
            const m = /^[0-9.]+/.exec(src.slice(i))![0];
            out.push({ t: "num", v: m });
            i += m.length;
        } else if (/[A-Za-z_]/.test(c)) {
            const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(src.slice(i))![0];
            out.push({ t: "id", v: m });
            i += m.length;
        } else {
            const two = src.slice(i, i + 2);
            const op = ["==", "!=", "&&", "||"].includes(two) ? two : "().,!".includes(c) ? c : "";
            if (!op) throw new Error(`expression fake does not model '${c}' in ${src}`);
            out.push({ t: "op", v: op });
            i += op.length;
        }
    }
    return out;
}

const truthy = (v: Value) => !(v === false || v === 0 || v === "" || v === null);
const toNumber = (v: Value): number =>
    v === null ? 0 : typeof v === "boolean" ? Number(v) : typeof v === "string" ? Number(v) : NaN;

function equal(a: Value, b: Value): boolean {
    if (typeof a === "string" && typeof b === "string") return a.toLowerCase() === b.toLowerCase();
    if (typeof a === typeof b && (a === null || typeof a !== "object")) return a === b;
    if (typeof a === "object" || typeof b === "object") return a === b;
    return toNumber(a) === toNumber(b);
}

function format(args: Value[]): string {
    const [f, ...rest] = args;
    if (typeof f !== "string") throw new Error("format needs a string");
    return f.replace(/\{\{|\}\}|\{(\d+)\}/g, (m, n: string | undefined) =>
        m === "{{" ? "{" : m === "}}" ? "}" : String(rest[Number(n)] ?? ""),
    );
}

/** Evaluates one expression (without the `${{ }}`) against the given contexts. */
export function evaluate(src: string, ctx: Contexts): Value {
    const toks = tokenize(src);
    let p = 0;
    const peek = () => toks[p];
    const eat = (v: string) => {
        if (peek()?.v !== v) throw new Error(`expected '${v}' in ${src}`);
        p++;
    };
    const or = (): Value => {
        let l = and();
        while (peek()?.v === "||") {
            p++;
            const r = and();
            l = truthy(l) ? l : r;
        }
        return l;
    };
    const and = (): Value => {
        let l = cmp();
        while (peek()?.v === "&&") {
            p++;
            const r = cmp();
            l = truthy(l) ? r : l;
        }
        return l;
    };
    const cmp = (): Value => {
        let l = unary();
        while (peek()?.v === "==" || peek()?.v === "!=") {
            const op = toks[p++].v;
            const r = unary();
            l = op === "==" ? equal(l, r) : !equal(l, r);
        }
        return l;
    };
    const unary = (): Value => {
        if (peek()?.v === "!") return (p++, !truthy(unary()));
        return primary();
    };
    const primary = (): Value => {
        const t = toks[p++];
        if (!t) throw new Error(`unexpected end of ${src}`);
        if (t.t === "str") return t.v;
        if (t.t === "num") return Number(t.v);
        if (t.v === "(") {
            const v = or();
            eat(")");
            return v;
        }
        if (t.t !== "id") throw new Error(`unexpected '${t.v}' in ${src}`);
        if (t.v === "true" || t.v === "false") return t.v === "true";
        if (t.v === "null") return null;
        if (peek()?.v === "(") {
            p++;
            const args: Value[] = [];
            while (peek()?.v !== ")") {
                args.push(or());
                if (peek()?.v === ",") p++;
            }
            eat(")");
            if (t.v === "format") return format(args);
            throw new Error(`expression fake does not model function ${t.v}() in ${src}`);
        }
        if (!(t.v in ctx)) throw new Error(`unknown context ${t.v} in ${src}`);
        let v = ctx[t.v] as Value;
        while (peek()?.v === ".") {
            p++;
            const key = toks[p++].v;
            // A property of null or a missing property is null (GitHub: no error).
            v = v !== null && typeof v === "object" && key in v ? (v[key] as Value) : null;
        }
        return v;
    };
    const v = or();
    if (p !== toks.length) throw new Error(`trailing tokens in ${src}`);
    return v;
}

/**
 * A workflow value: a string made only of `${{ expr }}` yields the expression's value; other
 * strings get each `${{ }}` replaced by its value as text; non-strings pass through.
 */
export function resolve(value: unknown, ctx: Contexts): Value {
    if (typeof value !== "string") return value as Value;
    const whole = /^\$\{\{(.*)\}\}$/s.exec(value.trim());
    if (whole && !whole[1].includes("}}")) return evaluate(whole[1], ctx);
    return value.replace(/\$\{\{(.*?)\}\}/g, (_, e: string) => String(evaluate(e, ctx) ?? ""));
}

/** A job or step `if:`: an expression with or without `${{ }}`; absent means run. */
export function condition(value: unknown, ctx: Contexts): boolean {
    if (value === undefined) return true;
    if (typeof value === "boolean") return value;
    const s = String(value).trim();
    return truthy(/^\$\{\{/.test(s) ? resolve(s, ctx) : evaluate(s, ctx));
}
