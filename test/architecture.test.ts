/**
 * Architecture: the program's import graph (test/import-graph.ts) has no cycles, so every
 * layer can be read, tested and moved without the files that use it.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import {
    cycleLoop,
    importCycles,
    importGraphOf,
    importersOf,
    importsOf,
    programImportGraph,
    type ImportGraph,
} from "./import-graph";

const root = path.join(__dirname, "..");

/**
 * Cycles that exist today under components/, each as its sorted files. Temporary: removed by the
 * layer restructure (the lead empties this list). An entry that is no longer a cycle fails the
 * test, so the list cannot outlive the cycles it names.
 */
const allowedCycles: readonly (readonly string[])[] = [
    ["components/from-config/index.ts", "components/from-config/monitoring.ts"],
    ["components/iris/backup-prune.ts", "components/iris/backup-script.ts"],
];

/** One line per cycle, `a.ts -> b.ts -> a.ts`, plus the rest of its files when the loop misses some. */
function describeCycles(graph: ImportGraph, cycles: readonly string[][]): string {
    return cycles
        .map((cycle) => {
            const loop = cycleLoop(graph, cycle);
            const rest = cycle.filter((f) => !loop.includes(f));
            return rest.length === 0
                ? loop.join(" -> ")
                : `${loop.join(" -> ")} (same cycle: ${rest.join(", ")})`;
        })
        .join("\n");
}

const isFile = (p: string): boolean => fs.statSync(p, { throwIfNoEntry: false })?.isFile() ?? false;

const same = (a: readonly string[], b: readonly string[]): boolean =>
    a.length === b.length && a.every((f, i) => f === b[i]);

const graphOf = (files: Record<string, string>): ImportGraph =>
    importGraphOf(new Map(Object.entries(files)));

describe("architecture: import graph", function () {
    const graph = programImportGraph(root);

    it("reads every program file and resolves every relative import", function () {
        assert.ok(graph.edges.has("program.ts") && graph.edges.has("config/index.ts"));
        assert.ok(
            [...graph.edges.keys()].every((f) => !f.startsWith("test/")),
            "test/ is not part of the program graph",
        );
        // An import that names no program file must name a real file outside the program (scripts
        // use test fixtures); otherwise the resolver missed it and the graph lacks its edge.
        const missing = graph.outside.filter(
            (o) =>
                ![o.target, `${o.target}.ts`, `${o.target}/index.ts`].some(
                    (f) => !graph.edges.has(f) && isFile(path.join(root, f)),
                ),
        );
        assert.deepStrictEqual(missing, []);
    });

    it("has no import cycles", function () {
        const cycles = importCycles(graph);
        const unexpected = cycles.filter((c) => !allowedCycles.some((a) => same(a, c)));
        if (unexpected.length > 0) {
            assert.fail(
                `import cycles (move the shared part into its own module):\n${describeCycles(graph, unexpected)}`,
            );
        }
        const stale = allowedCycles.filter((a) => !cycles.some((c) => same(a, c)));
        assert.deepStrictEqual(stale, [], "allowedCycles names cycles that are gone: remove them");
    });

    it("keeps config/ acyclic: the check groups import CheckContext, not checks.ts", function () {
        assert.ok(importsOf(graph, "config/checks.ts").includes("config/checks-iris.ts"));
        assert.deepStrictEqual(importersOf(graph, "config/checks.ts"), ["config/index.ts"]);
    });
});

describe("architecture: import graph tools", function () {
    it("finds a cycle, a self-import and prints the loop", function () {
        const g = graphOf({
            "a.ts": 'import { b } from "./b";',
            "b.ts": 'import type { C } from "./c";\nexport const b = 1;',
            "c.ts": 'export { a } from "./a";',
            "d.ts": 'import "./a";',
            "e.ts": 'import { e } from "./e";',
        });
        assert.deepStrictEqual(importCycles(g), [["a.ts", "b.ts", "c.ts"], ["e.ts"]]);
        assert.strictEqual(
            describeCycles(g, importCycles(g)),
            "a.ts -> b.ts -> c.ts -> a.ts\ne.ts -> e.ts",
        );
    });

    it("finds none in a graph without cycles", function () {
        const g = graphOf({
            "a.ts": 'import { b } from "./b";\nimport { c } from "./c";',
            "b.ts": 'import { c } from "./c";',
            "c.ts": "export const c = 1;",
        });
        assert.deepStrictEqual(importCycles(g), []);
    });

    it("resolves ./dir to dir/index.ts, ../x to x.ts, and leaves packages out", function () {
        const g = graphOf({
            "main.ts": 'import { x } from "./dir";\nimport * as z from "zod";',
            "dir/index.ts": 'export { y as x } from "./y";',
            "dir/y.ts": 'import type { T } from "../types";\nexport const y = 1;',
            "types.ts": "export type T = string;",
        });
        assert.deepStrictEqual(importsOf(g, "main.ts"), ["dir/index.ts"]);
        assert.deepStrictEqual(importsOf(g, "dir/index.ts"), ["dir/y.ts"]);
        assert.deepStrictEqual(importsOf(g, "dir/y.ts"), ["types.ts"]);
        assert.deepStrictEqual(importersOf(g, "types.ts"), ["dir/y.ts"]);
        assert.throws(() => importsOf(g, "nope.ts"), /not in the import graph/);
    });

    it("lists a relative import that names no file of the graph", function () {
        const g = graphOf({ "scripts/s.ts": 'import { k } from "../test/keys";' });
        assert.deepStrictEqual(g.outside, [
            { from: "scripts/s.ts", specifier: "../test/keys", target: "test/keys" },
        ]);
    });
});
