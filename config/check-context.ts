/**
 * What each group of rules between sections gets. Its own module so checks.ts can import the
 * groups (checks-iris.ts, checks-monitoring.ts) and they can name this type without importing
 * checks.ts back: the import graph stays acyclic (test/architecture.test.ts).
 */
import type { Parsed, SecretKey } from "./schema";

/** What each group of checks gets: the parsed config, which secrets are set, and a way to report. */
export interface CheckContext {
    readonly c: Parsed;
    has(k: SecretKey): boolean;
    issue(path: (string | number)[], input: unknown, message: string): void;
}
