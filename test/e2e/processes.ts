/** Process bookkeeping and polling for the integration harness. */
import type { ChildProcess } from "child_process";
import * as net from "net";

/** Every process the harness started; all are killed on exit or SIGINT/SIGTERM. */
export const running = new Set<ChildProcess>();
function killAll(): void {
    for (const p of running) p.kill("SIGKILL");
    running.clear();
}
process.once("exit", killAll);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
        killAll();
        process.exit(130);
    });
}

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.unref();
        srv.on("error", reject);
        srv.listen(0, "127.0.0.1", () => {
            const { port } = srv.address() as net.AddressInfo;
            srv.close(() => resolve(port));
        });
    });
}

/** Polls `probe` every 250 ms until it returns a value; fails after `timeoutMs`, naming `what`. */
export async function until<T>(
    what: string,
    timeoutMs: number,
    probe: () => Promise<T | undefined>,
    logs?: string,
): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last = "";
    while (Date.now() < deadline) {
        try {
            const v = await probe();
            if (v !== undefined) return v;
        } catch (err) {
            last = err instanceof Error ? err.message : String(err);
        }
        await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(
        `${what} not within ${timeoutMs / 1000} s${last ? ` (last error: ${last})` : ""}${logs ? `; logs in ${logs}` : ""}`,
    );
}
