/**
 * Writes test/fixtures/chart-keys/<chart>-<version>.json, the key skeleton of
 * each upstream values.yaml the tests check our Helm values against.
 *
 *   npm run chart-keys -- <dir with <chart>-<version>/values.yaml folders>
 *
 * Run it after bumping a chart in versions.ts, with the new chart's folder
 * unpacked under <dir> (`helm pull <chart> --version <v> --untar`, renamed to
 * `<chart>-<version>`); review the diff: a key we set that upstream removed
 * fails the tests.
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { chartKeysDir, keySkeleton } from "../test/values-keys";
import { runCli } from "./cli";
import { chartKeysUsage, parseChartKeysArgs, type ChartKeysArgs } from "./chart-keys-args";

function main({ charts }: ChartKeysArgs): number {
    for (const { name, valuesFile } of charts) {
        const skeleton = keySkeleton(yaml.load(fs.readFileSync(valuesFile, "utf8")) ?? {});
        fs.writeFileSync(
            path.join(chartKeysDir, `${name}.json`),
            `${JSON.stringify(skeleton, null, 1)}\n`,
        );
        console.log(`${name}: ${JSON.stringify(skeleton).length} bytes`);
    }
    return 0;
}

runCli("chart-keys", chartKeysUsage, parseChartKeysArgs, main);
