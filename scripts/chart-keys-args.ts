/** chart-keys' command line (scripts/chart-keys.ts), parsed and checked before anything is written. */
import * as fs from "fs";
import * as path from "path";
import { strictArgs, UsageError, type Parsed } from "./cli";

export const chartKeysUsage = `usage: npm run chart-keys -- <charts dir>

Writes test/fixtures/chart-keys/<chart>-<version>.json for every chart a test reads, from
<charts dir>/<chart>/values.yaml (the layout of \`charts.directory\`; its Chart.yaml version
must be the one versions.ts pins) or <charts dir>/<chart>-<version>/values.yaml (after
\`helm pull <chart> --version <v> --untar\`, renamed). Other charts are skipped and named.

  -h, --help    print this and exit
`;

export interface ChartKeysArgs {
    /** The folders holding a values.yaml (`<chart>` or `<chart>-<version>`), sorted. */
    readonly charts: readonly { readonly name: string; readonly valuesFile: string }[];
}

/** Parses `argv` and lists the chart folders; throws UsageError naming the bad argument. */
export function parseChartKeysArgs(argv: readonly string[]): Parsed<ChartKeysArgs> {
    const { values, positionals } = strictArgs(argv, {}, true);
    if (values.help) return { help: true };
    if (positionals.length !== 1)
        throw new UsageError(
            positionals.length === 0
                ? "the charts directory is required"
                : `takes one charts directory (got ${positionals.length} arguments)`,
        );
    const dir = positionals[0];
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
        throw new UsageError(`${dir} is not a directory`);
    const charts = fs
        .readdirSync(dir)
        .sort()
        .map((name) => ({ name, valuesFile: path.join(dir, name, "values.yaml") }))
        .filter((c) => fs.existsSync(c.valuesFile));
    if (charts.length === 0)
        throw new UsageError(
            `${dir} holds no <chart>/values.yaml or <chart>-<version>/values.yaml folder`,
        );
    return { help: false, args: { charts } };
}
