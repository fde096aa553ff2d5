/**
 * The program's import graph, for architecture tests: which file imports which, and the
 * import cycles (what madge --circular reports). Specifiers come from the TypeScript compiler's
 * own scanner, `ts.preProcessFile` (typescript src/services/preProcess.ts @v5.9.3): it lists
 * `import`, `import type`, `export ... from`, `require(...)` and `import(...)`; type-only
 * imports count, as they do in madge (unless its `detectiveOptions.ts.skipTypeImports` is set,
 * madge README @v8.0.0).
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

/** The folders and top-level files that make up the program (not node_modules, not test/). */
export const programRoots = [
    "components",
    "config",
    "domain",
    "scripts",
    "program.ts",
    "index.ts",
    "versions.ts",
] as const;

/** A relative import that names no file of the graph (e.g. a test fixture or a JSON file). */
export interface OutsideImport {
    readonly from: string;
    readonly specifier: string;
    /** The repo-relative path it names, without the extension Node would add. */
    readonly target: string;
}

/** Repo-relative paths ("/"-separated) to the files each one imports, in source order. */
export interface ImportGraph {
    readonly edges: ReadonlyMap<string, readonly string[]>;
    readonly outside: readonly OutsideImport[];
}

/**
 * Node's resolution of a relative specifier against the files of the graph
 * (https://nodejs.org/api/modules.html#all-together, LOAD_AS_FILE then LOAD_AS_DIRECTORY,
 * with the `.ts` extension ts-node and tsc's "moduleResolution": "node" add).
 */
function resolve(
    from: string,
    specifier: string,
    files: ReadonlySet<string>,
): string | { target: string } {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
    for (const candidate of [target, `${target}.ts`, `${target}/index.ts`]) {
        if (files.has(candidate)) return candidate;
    }
    return { target };
}

/** The import graph of in-memory sources keyed by repo-relative path; package imports are left out. */
export function importGraphOf(sources: ReadonlyMap<string, string>): ImportGraph {
    const files = new Set(sources.keys());
    const edges = new Map<string, string[]>();
    const outside: OutsideImport[] = [];
    for (const [file, text] of sources) {
        const targets: string[] = [];
        for (const { fileName: specifier } of ts.preProcessFile(text, true, true).importedFiles) {
            if (!specifier.startsWith("./") && !specifier.startsWith("../")) continue;
            const resolved = resolve(file, specifier, files);
            if (typeof resolved === "string") {
                if (!targets.includes(resolved)) targets.push(resolved);
            } else {
                outside.push({ from: file, specifier, target: resolved.target });
            }
        }
        edges.set(file, targets);
    }
    return { edges, outside };
}

/** Every .ts file under `root`'s program roots, as repo-relative paths, sorted. */
export function programFiles(root: string): string[] {
    const found: string[] = [];
    const walk = (rel: string): void => {
        const abs = path.join(root, rel);
        if (fs.statSync(abs).isDirectory()) {
            for (const entry of fs.readdirSync(abs)) {
                if (entry !== "node_modules") walk(path.posix.join(rel, entry));
            }
        } else if (rel.endsWith(".ts")) {
            found.push(rel);
        }
    };
    for (const r of programRoots) walk(r);
    return found.sort();
}

/** The import graph of the program under `root` (the repository checkout). */
export function programImportGraph(root: string): ImportGraph {
    const sources = new Map<string, string>();
    for (const f of programFiles(root)) sources.set(f, fs.readFileSync(path.join(root, f), "utf8"));
    return importGraphOf(sources);
}

/** The files `file` imports directly (repo-relative); throws for a file not in the graph. */
export function importsOf(graph: ImportGraph, file: string): readonly string[] {
    const targets = graph.edges.get(file);
    if (!targets) throw new Error(`${file} is not in the import graph`);
    return targets;
}

/** The files that import `file` directly (repo-relative), sorted. */
export function importersOf(graph: ImportGraph, file: string): string[] {
    importsOf(graph, file);
    return [...graph.edges]
        .filter(([, targets]) => targets.includes(file))
        .map(([from]) => from)
        .sort();
}

/**
 * The import cycles: each strongly connected component of more than one file, or a file that
 * imports itself (Tarjan 1972, "Depth-first search and linear graph algorithms"). Each cycle's
 * files are sorted, and the cycles are sorted by their first file.
 */
export function importCycles(graph: ImportGraph): string[][] {
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const cycles: string[][] = [];
    let next = 0;

    const visit = (v: string): void => {
        index.set(v, next);
        low.set(v, next);
        next++;
        stack.push(v);
        onStack.add(v);
        for (const w of graph.edges.get(v) ?? []) {
            if (!index.has(w)) {
                visit(w);
                low.set(v, Math.min(low.get(v)!, low.get(w)!));
            } else if (onStack.has(w)) {
                low.set(v, Math.min(low.get(v)!, index.get(w)!));
            }
        }
        if (low.get(v) !== index.get(v)) return;
        const component: string[] = [];
        let w: string;
        do {
            w = stack.pop()!;
            onStack.delete(w);
            component.push(w);
        } while (w !== v);
        if (component.length > 1 || (graph.edges.get(v) ?? []).includes(v)) {
            cycles.push(component.sort());
        }
    };
    for (const v of [...graph.edges.keys()].sort()) if (!index.has(v)) visit(v);
    return cycles.sort((a, b) => a[0].localeCompare(b[0]));
}

/**
 * One concrete loop through a cycle's first file, for the failure message: the shortest path
 * back to it inside the cycle, e.g. `["a.ts", "b.ts", "a.ts"]` (breadth-first search).
 */
export function cycleLoop(graph: ImportGraph, cycle: readonly string[]): string[] {
    const start = cycle[0];
    const inCycle = new Set(cycle);
    const cameFrom = new Map<string, string>();
    let frontier = [start];
    while (frontier.length > 0) {
        const following: string[] = [];
        for (const v of frontier) {
            for (const w of graph.edges.get(v) ?? []) {
                if (w === start) {
                    const loop = [v];
                    while (loop[0] !== start) loop.unshift(cameFrom.get(loop[0])!);
                    return [...loop, start];
                }
                if (inCycle.has(w) && !cameFrom.has(w)) {
                    cameFrom.set(w, v);
                    following.push(w);
                }
            }
        }
        frontier = following;
    }
    throw new Error(`${cycle.join(", ")} is not an import cycle`);
}
