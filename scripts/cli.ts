/**
 * What every script in scripts/ does with its command line: `--help` prints the usage
 * (exit 0); a bad argument prints the problem and the usage (exit 2); a failure prints
 * its message. None prints a stack trace: these run in CI logs and terminals.
 */
import { parseArgs, type ParseArgsConfig } from "util";

/** A command line the script cannot run with; the message names the argument. */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

/** A parsed command line: asked for help, or arguments to run with. */
export type Parsed<T> = { readonly help: true } | { readonly help: false; readonly args: T };

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * Node's own parser, strict: an unknown option, a missing value or a stray positional
 * throws (nodejs.org/docs/latest-v20.x/api/util.html#utilparseargsconfig); its message
 * becomes a UsageError.
 */
export function strictArgs(
    argv: readonly string[],
    options: Options,
    allowPositionals: boolean,
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
    try {
        const r = parseArgs({
            args: [...argv],
            options: { ...options, help: { type: "boolean", short: "h" } },
            strict: true,
            allowPositionals,
        });
        return {
            values: r.values as Record<string, string | boolean | undefined>,
            positionals: r.positionals,
        };
    } catch (err) {
        throw new UsageError(err instanceof Error ? err.message : String(err));
    }
}

/** Runs a script: parse, then `main`; exits with main's status, or as described above. */
export function runCli<T>(
    name: string,
    usage: string,
    parse: (argv: readonly string[]) => Parsed<T>,
    main: (args: T) => Promise<number> | number,
): void {
    const parsed = parseOrExit(name, usage, parse);
    if (parsed.help) {
        process.stdout.write(usage);
        process.exit(0);
    }
    const args = parsed.args;
    Promise.resolve()
        .then(() => main(args))
        .then(
            (code) => process.exit(code),
            (err: unknown) => {
                process.stderr.write(
                    `${name}: ${err instanceof Error ? err.message : String(err)}\n`,
                );
                process.exit(2);
            },
        );
}

function parseOrExit<T>(
    name: string,
    usage: string,
    parse: (argv: readonly string[]) => Parsed<T>,
): Parsed<T> {
    try {
        return parse(process.argv.slice(2));
    } catch (err) {
        if (!(err instanceof UsageError)) throw err;
        process.stderr.write(`${name}: ${err.message}\n\n${usage}`);
        return process.exit(2);
    }
}
