/**
 * Benchmark: builds each stack under Pulumi mocks N times (after one warm-up run
 * that pays module loading) and times `tsc --noEmit`. Figures go in README.
 *
 * Each stack is timed twice: with source-mapped stack traces (as `pulumi up`
 * and mocha run it: the SDK captures a stack trace per resource and promise,
 * and mapping them dominates) and with Node's native stack traces.
 *
 *   npm run bench            # N = 5
 *   BENCH_RUNS=10 npm run bench
 */
import { execFileSync } from "child_process";
import * as os from "os";
import { performance } from "perf_hooks";
import { buildStackFresh, stackFiles } from "../test/build-stack";
import { repoRoot } from "../test/stack-files";

const runs = Number(process.env.BENCH_RUNS ?? 5);

function stats(ms: number[]): string {
    const sorted = [...ms].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    return `median ${median.toFixed(0)} ms, min ${sorted[0].toFixed(0)} ms, max ${sorted[sorted.length - 1].toFixed(0)} ms`;
}

async function buildOnce(stack: string): Promise<{ ms: number; resources: number }> {
    const start = performance.now();
    const { recording } = await buildStackFresh(stack);
    return { ms: performance.now() - start, resources: recording.resources.length };
}

async function timeRuns(stack: string): Promise<number[]> {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) times.push((await buildOnce(stack)).ms);
    return times;
}

/** Error.prepareStackTrace, as a slot that may be emptied (Node then formats natively). */
const stackFormatter = Error as unknown as { prepareStackTrace?: unknown };

async function main(): Promise<void> {
    console.log(
        `node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "unknown"}), ${runs} runs per stack\n`,
    );
    for (const stack of Object.keys(stackFiles)) {
        const warm = await buildOnce(stack);
        const mapped = await timeRuns(stack);
        const formatter = stackFormatter.prepareStackTrace;
        stackFormatter.prepareStackTrace = undefined;
        const native = await timeRuns(stack);
        stackFormatter.prepareStackTrace = formatter;
        console.log(
            `${stack.padEnd(9)} ${String(warm.resources).padStart(4)} resources; first run ${warm.ms.toFixed(0)} ms`,
        );
        console.log(`          source-mapped stacks: ${stats(mapped)}`);
        console.log(`          native stacks:        ${stats(native)}`);
    }
    const start = performance.now();
    execFileSync(
        process.execPath,
        [require.resolve("typescript/bin/tsc"), "--noEmit", "-p", repoRoot],
        { stdio: "inherit" },
    );
    console.log(`\ntsc --noEmit: ${((performance.now() - start) / 1000).toFixed(1)} s`);
}

main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
});
