/**
 * Writes test/fixtures/chart-keys/<chart>-<version>.json, the key skeleton of
 * each upstream values.yaml the tests check our Helm values against.
 *
 *   npm run chart-keys -- <dir>
 *
 * <dir> holds charts unpacked as `charts.directory` has them (`<chart>/`, its Chart.yaml
 * version must be the one versions.ts pins) or as `<chart>-<version>/`. Only the charts whose
 * keys a test reads are written (test/values-keys.ts `chartKeyFixtures`); others are skipped
 * and named.
 *
 * Run it after bumping a chart in versions.ts, with the new chart's folder
 * unpacked under <dir> (`helm pull <chart> --version <v> --untar`, renamed to
 * `<chart>-<version>`); review the diff: a key we set that upstream removed
 * fails the tests.
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { chartKeysDir, fixtureForFolder, keySkeleton } from "../test/values-keys";
import { runCli } from "./cli";
import { chartKeysUsage, parseChartKeysArgs, type ChartKeysArgs } from "./chart-keys-args";

function main({ charts }: ChartKeysArgs): number {
    for (const { name, valuesFile } of charts) {
        const chartYaml = path.join(path.dirname(valuesFile), "Chart.yaml");
        const version = fs.existsSync(chartYaml)
            ? (yaml.load(fs.readFileSync(chartYaml, "utf8")) as { version?: unknown }).version
            : undefined;
        // Only the fixtures the tests read (test/values-keys.ts chartKeyFixtures), named as they read them.
        const fixture = fixtureForFolder(name, version === undefined ? undefined : String(version));
        if (!fixture) {
            console.log(`${name}: skipped (no test reads its keys; see chartKeyFixtures)`);
            continue;
        }
        const skeleton = keySkeleton(yaml.load(fs.readFileSync(valuesFile, "utf8")) ?? {});
        fs.writeFileSync(
            path.join(chartKeysDir, `${fixture}.json`),
            `${JSON.stringify(skeleton, null, 1)}\n`,
        );
        console.log(`${name}: ${fixture}.json, ${JSON.stringify(skeleton).length} bytes`);
    }
    return 0;
}

runCli("chart-keys", chartKeysUsage, parseChartKeysArgs, main);
