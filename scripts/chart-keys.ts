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

const dir = process.argv[2];
if (!dir) {
    console.error("usage: npm run chart-keys -- <charts dir>");
    process.exit(2);
}
for (const chart of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, chart, "values.yaml");
    if (!fs.existsSync(file)) continue;
    const skeleton = keySkeleton(yaml.load(fs.readFileSync(file, "utf8")) ?? {});
    fs.writeFileSync(
        path.join(chartKeysDir, `${chart}.json`),
        `${JSON.stringify(skeleton, null, 1)}\n`,
    );
    console.log(`${chart}: ${JSON.stringify(skeleton).length} bytes`);
}
