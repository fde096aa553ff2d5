/**
 * "No invented Helm values keys": walks a values object against an upstream
 * values.yaml and lists every key path the upstream file does not declare.
 *
 * Usage:
 *   assert.deepStrictEqual(unknownValuesKeys(myValues, chartValues("metrics-server-3.13.1"), ["nodeSelector"]), []);
 *
 * Rules:
 * - A key must exist at the same path upstream (a key with a null value upstream counts).
 * - Lists are leaves: their entries are never compared (tolerations, args, ipPools…).
 * - `freeForm` paths are maps whose keys are the user's (nodeSelector, extraArgs,
 *   podAnnotations…): the path itself must exist upstream, its keys are not checked.
 *   A trailing `.*` is accepted and means the same. Keep this list explicit per chart.
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";

/** Where the upstream chart copies live (../shared/reference/charts from the repo root). */
export const referenceChartsDir = path.resolve(__dirname, "..", "..", "shared", "reference", "charts");

/** Parsed upstream values.yaml of `<chart>-<version>` under the reference folder. */
export function chartValues(chartDir: string): Record<string, unknown> {
    const file = path.join(referenceChartsDir, chartDir, "values.yaml");
    const parsed = yaml.load(fs.readFileSync(file, "utf8"));
    if (!isMap(parsed)) throw new Error(`${file} is not a YAML map`);
    return parsed;
}

function isMap(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Dotted key paths in `values` that `reference` lacks (empty when all keys are upstream's). */
export function unknownValuesKeys(values: unknown, reference: unknown, freeForm: readonly string[] = []): string[] {
    const free = new Set(freeForm.map((p) => p.replace(/\.\*$/, "")));
    const unknown: string[] = [];
    const walk = (v: unknown, ref: unknown, prefix: string) => {
        if (!isMap(v)) return;
        for (const [key, child] of Object.entries(v)) {
            const p = prefix ? `${prefix}.${key}` : key;
            if (!isMap(ref) || !(key in ref)) {
                unknown.push(p);
                continue;
            }
            if (free.has(p)) continue;
            walk(child, ref[key], p);
        }
    };
    walk(values, reference, "");
    return unknown;
}
