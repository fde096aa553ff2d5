/**
 * docs/configuration.md's type and default columns must equal the schema's (config/): a default
 * changed in the schema, an enum value added or a range moved fails here until the docs follow.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { baseSchema } from "../config/schema";
import { type ZodLike, docRows, leaves, mismatches, rowFor } from "./config-doc-table";

const doc = fs.readFileSync(path.join(__dirname, "..", "docs", "configuration.md"), "utf8");

/** Runs the comparison for a schema against a doc; returns every mismatch and undocumented key. */
function compare(schema: unknown, text: string): string[] {
    const rows = docRows(text);
    const out: string[] = [];
    for (const leaf of leaves(schema as ZodLike)) {
        if (leaf.path === "secretsPresent" || leaf.path === "cluster.provider") continue;
        const row = rowFor(rows, leaf);
        if (!row) out.push(`${leaf.path}${leaf.variant ? ` (${leaf.variant})` : ""}: no row`);
        else out.push(...mismatches(leaf, row));
    }
    return out;
}

describe("config reference (docs/configuration.md): types and defaults", function () {
    it("documents each key's type and default as the schema has them", function () {
        assert.deepStrictEqual(compare(baseSchema, doc), []);
    });

    describe("the comparison itself", function () {
        const schema = z.strictObject({
            area: z
                .strictObject({
                    size: z.number().int().min(1).max(5).default(2),
                    mode: z.enum(["a", "b"]).default("a"),
                    on: z.boolean().default(false),
                    names: z.array(z.string()).default([]),
                    id: z.string(),
                })
                .optional(),
        });
        const table = (size: string, mode: string, on: string, id = "— (required)") =>
            [
                "### `area`",
                "",
                "| key | type | default | meaning |",
                "| --- | --- | --- | --- |",
                `| \`size\` | int ${size} | \`2\` | x |`,
                `| \`mode\` | ${mode} | \`a\` | x |`,
                `| \`on\` | ${on} | \`false\` | x |`,
                "| `names` | list of string | `[]` | x |",
                `| \`id\` | string | ${id} | x |`,
            ].join("\n");

        it("accepts a table that matches", function () {
            // `area` is optional, so `id` is not required of the user.
            assert.deepStrictEqual(compare(schema, table("1–5", "`a` \\| `b`", "bool", "—")), []);
        });

        it("names a wrong range, a missing enum value, a wrong type and a wrong default", function () {
            const wrong = table("1–9", "`a`", "string").replace("| `2` |", "| `3` |");
            assert.deepStrictEqual(compare(schema, wrong), [
                'area.size: default is 2, docs say "`3`"',
                'area.size: range is 1–5, docs\' type says "int 1–9"',
                "area.mode: allowed a, b, docs' type lists a",
                'area.on: a boolean, docs\' type says "string"',
            ]);
        });

        it("names a key the schema requires that the docs do not call required", function () {
            const required = z.strictObject({ area: z.strictObject({ id: z.string() }) });
            const text =
                "### `area`\n\n| key | type | default | meaning |\n| --- | --- | --- | --- |\n| `id` | string | — | x |";
            assert.deepStrictEqual(compare(required, text), [
                'area.id: the schema requires it, docs\' default says "—"',
            ]);
        });
    });
});
