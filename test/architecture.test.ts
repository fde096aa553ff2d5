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

/** Cycles allowed to exist: none. Kept as a list so that a future exception is named and reviewed. */
const allowedCycles: readonly (readonly string[])[] = [];

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

/** The layer folders under components/; `platform` composes them. */
const layers = ["cluster", "addons", "iris", "monitoring", "dns", "platform"];
const layerOf = (file: string): string | undefined => {
    const m = /^components\/([^/]+)\//.exec(file);
    return m && layers.includes(m[1]) ? m[1] : undefined;
};
/** The one view each layer has of the stack config: its args module and its settings types. */
const readsConfig = (file: string): boolean =>
    layerOf(file) === "platform" || /^components\/[^/]+\/(args|settings)\.ts$/.test(file);

describe("architecture: layers (issue 20)", function () {
    const graph = programImportGraph(root);
    const files = [...graph.edges.keys()];

    it("only the platform and each layer's args/settings modules import config/", function () {
        const offenders = files
            .filter((f) => f.startsWith("components/") && !readsConfig(f))
            .flatMap((f) =>
                importsOf(graph, f)
                    .filter((t) => t.startsWith("config/"))
                    .map((t) => `${f} -> ${t}`),
            );
        assert.deepStrictEqual(offenders, []);
        // The rule has teeth: each layer's args module does read the config.
        for (const layer of ["cluster", "addons", "iris", "monitoring", "dns"])
            assert.ok(
                importsOf(graph, `components/${layer}/args.ts`).includes("config/index.ts"),
                layer,
            );
    });

    it("a layer reaches another only through that layer's contract (types.ts); the platform alone composes them", function () {
        const crossings = files.flatMap((f) => {
            const from = layerOf(f);
            if (!from || from === "platform") return [];
            return importsOf(graph, f)
                .filter((t) => {
                    const to = layerOf(t);
                    return to && to !== from && t !== `components/${to}/types.ts`;
                })
                .map((t) => `${f} -> ${t}`);
        });
        assert.deepStrictEqual(crossings, []);
        assert.ok(
            importersOf(graph, "components/iris/index.ts").includes("components/platform/index.ts"),
        );
    });

    it("each layer's args module reads its own config sections (plus secrets and the cluster kind), nothing another layer owns", function () {
        // What a layer needs of another layer arrives from the platform as that layer's facts.
        const own: Record<string, readonly string[]> = {
            cluster: ["cluster"],
            addons: ["longhorn", "ingress", "certManager"],
            iris: ["iko", "iris"],
            monitoring: ["monitoring"],
            dns: ["dns"],
        };
        const shared = ["secrets", "cluster.provider"];
        const foreign = Object.entries(own).flatMap(([layer, sections]) => {
            const file = `components/${layer}/args.ts`;
            const text = fs.readFileSync(path.join(root, file), "utf8");
            return [...text.matchAll(/\bconfig\.(\w+)(?:\.(\w+))?/g)]
                .filter(
                    (m) =>
                        !sections.includes(m[1]) &&
                        !shared.includes(m[1]) &&
                        !shared.includes(`${m[1]}.${m[2]}`),
                )
                .map((m) => `${file}: ${m[0]}`);
        });
        assert.deepStrictEqual(foreign, []);
    });

    it("the Cluster contract is cloud-neutral: no field only one cloud's cluster has", function () {
        const text = fs.readFileSync(path.join(root, "components/cluster/types.ts"), "utf8");
        const body = /export interface Cluster \{([\s\S]*?)\n\}/.exec(text)?.[1] ?? "";
        const fields = [...body.matchAll(/^\s+readonly (\w+)\??:/gm)].map((m) => m[1]);
        assert.deepStrictEqual(fields.sort(), [
            "cloud",
            "clusterName",
            "context",
            "ingress",
            "k8sProvider",
            "kubeconfig",
            "kubernetesVersion",
            "readiness",
        ]);
        assert.doesNotMatch(body, /kubeadm|Kubeadm|aws|gke|aks/i);
    });

    it("the monitoring layer names no IRIS pod label: it reads the IRIS layer's published facts", function () {
        const dir = path.join(root, "components/monitoring");
        const named = fs
            .readdirSync(dir)
            .filter((f) => f.endsWith(".ts"))
            .flatMap((f) =>
                fs
                    .readFileSync(path.join(dir, f), "utf8")
                    .split("\n")
                    .filter((line) => /(?<!docs\.)intersystems\.com\//.test(line))
                    .map((line) => `${f}: ${line.trim()}`),
            );
        assert.deepStrictEqual(named, []);
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
