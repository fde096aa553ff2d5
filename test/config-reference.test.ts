/**
 * The config reference (docs/configuration.md) must not drift from the schema: every key the
 * schema accepts appears in the section of its area (`### \`<area>…`),
 * as its full dotted path or a path relative to a sub-heading.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { baseSchema } from "../config/schema";

type Schema = {
    _zod: {
        def: {
            type: string;
            innerType?: Schema;
            in?: Schema;
            shape?: Record<string, Schema>;
            element?: Schema;
            options?: Schema[];
        };
    };
};

/** Through optional/default/prefault/nullable/readonly and pipes to the schema that has the shape. */
function unwrap(s: Schema): Schema {
    const d = s._zod.def;
    if (
        ["optional", "default", "prefault", "nullable", "readonly", "catch"].includes(d.type) &&
        d.innerType
    )
        return unwrap(d.innerType);
    if (d.type === "pipe" && d.in) return unwrap(d.in);
    return s;
}

/** Dotted key paths of every leaf (`instances[].name` for lists of objects; unions merged). */
export function keyPaths(s: Schema, prefix = "", out = new Set<string>()): Set<string> {
    const d = unwrap(s)._zod.def;
    if (d.type === "object" && d.shape)
        for (const [k, v] of Object.entries(d.shape))
            keyPaths(v, prefix ? `${prefix}.${k}` : k, out);
    else if (d.type === "array" && d.element && unwrap(d.element)._zod.def.type === "object")
        keyPaths(d.element, `${prefix}[]`, out);
    else if (d.type === "union" && d.options) for (const o of d.options) keyPaths(o, prefix, out);
    else out.add(prefix);
    return out;
}

describe("config reference (docs/configuration.md)", function () {
    const readme = fs.readFileSync(path.join(__dirname, "..", "docs", "configuration.md"), "utf8");
    const sections = readme.split(/\n(?=### )/);

    it("documents every key of the schema in its area's section", function () {
        const missing: string[] = [];
        for (const key of keyPaths(baseSchema as unknown as Schema)) {
            const [area, ...rest] = key.split(".");
            if (area === "secretsPresent") continue;
            const text = sections
                .filter((s) => new RegExp(`^### \`${area}[\`.]`).test(s))
                .join("\n");
            // The full path, or the path below any heading of the area (`gke.zones` under `cluster.gke`).
            const candidates = [key, ...rest.map((_, i) => rest.slice(i).join("."))];
            // A map keyed by names (`overrides.<chart>.path`) counts when the name itself is listed too.
            const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
            const templated = rest.some((seg, i) => {
                const generic = rest
                    .map((p, j) => (j === i ? "<[A-Za-z]+>" : escape(p)))
                    .join("\\.");
                return text.includes(`\`${seg}\``) && new RegExp(`\`${generic}\``).test(text);
            });
            if (!templated && !candidates.some((c) => text.includes(`\`${c}\``))) missing.push(key);
        }
        assert.deepStrictEqual(missing, [], "keys docs/configuration.md does not mention");
    });
});
