/**
 * "No invented Helm values keys": walks a values object against an upstream
 * values.yaml and lists every key path the upstream file does not declare.
 *
 * Usage:
 *   assert.deepStrictEqual(unknownValuesKeys(myValues, chartValues("metrics-server-3.13.1"), ["nodeSelector"]), []);
 *
 * The upstream keys come from data this repository owns (see `chartKeysDir`),
 * so the check runs on any clone; `IRIS_CHART_VALUES_DIR` swaps in the real files.
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
import { charts, iko } from "../versions";

/**
 * The key skeletons of the upstream values.yaml files we checked our values
 * against (test/fixtures/chart-keys/<chart>-<version>.json): every key path
 * upstream declares, leaves null except lists of strings (default args, tags),
 * which are kept as facts. Regenerate with `npm run chart-keys -- <charts dir>`
 * after bumping a chart (see scripts/chart-keys.ts).
 */
export const chartKeysDir = path.resolve(__dirname, "fixtures", "chart-keys");

/**
 * The chart-key fixtures the tests read, by the chart's folder name in a charts directory
 * (`charts.directory`'s layout, docs/configuration.md): the fixture is named after the version
 * versions.ts pins, and `chartValues` reads no other. `npm run chart-keys` writes exactly these.
 */
export const chartKeyFixtures: Readonly<Record<string, { version: string; fixture: string }>> = {
    longhorn: pinned("longhorn", charts.longhorn.version),
    "cert-manager": pinned("cert-manager", charts.certManager.version),
    "nginx-ingress": pinned("nginx-ingress", charts.nginxIngress.version),
    "ingress-nginx": pinned("ingress-nginx", charts.ingressNginx.version),
    "metrics-server": pinned("metrics-server", charts.metricsServer.version),
    "cluster-autoscaler": pinned("cluster-autoscaler", charts.clusterAutoscaler.version),
    "aws-cloud-controller-manager": pinned(
        "aws-cloud-controller-manager",
        charts.awsCloudControllerManager.version,
    ),
    "kube-prometheus-stack": pinned("kube-prometheus-stack", charts.kubePrometheusStack.version),
    // IKO's chart is versioned 3.8.42 inside a download named after the operator build 3.8.42.100.
    "iris-operator": {
        version: iko.chartVersion,
        fixture: `iris-operator-${iko.operatorImage.tag}`,
    },
};

function pinned(folder: string, version: string): { version: string; fixture: string } {
    return { version, fixture: `${folder}-${version}` };
}

/**
 * The fixture a chart folder refreshes: `<chart>` (a charts directory, whose Chart.yaml version
 * must be the pinned one) or `<chart>-<version>` (the fixture's own name). Undefined when no test
 * reads keys of that chart; throws when the folder holds another version than versions.ts pins.
 */
export function fixtureForFolder(folder: string, chartYamlVersion?: string): string | undefined {
    const byFolder = chartKeyFixtures[folder];
    if (byFolder) {
        if (chartYamlVersion !== undefined && chartYamlVersion !== byFolder.version)
            throw new Error(
                `${folder} is chart version ${chartYamlVersion} but versions.ts pins ${byFolder.version}: bump versions.ts first, then refresh its keys`,
            );
        return byFolder.fixture;
    }
    return Object.values(chartKeyFixtures).find((f) => f.fixture === folder)?.fixture;
}

/**
 * Optional: a directory of upstream charts (`<chart>-<version>/values.yaml`).
 * When set, the tests read the real files and check the committed skeletons
 * still match them.
 */
export const upstreamChartsDir = process.env.IRIS_CHART_VALUES_DIR;

/** The upstream values.yaml of `<chart>-<version>` from `upstreamChartsDir`, if it is there. */
export function upstreamValues(chartDir: string): Record<string, unknown> | undefined {
    if (!upstreamChartsDir) return undefined;
    // `<chart>-<version>/` or a charts directory's `<chart>/`.
    const folder = Object.entries(chartKeyFixtures).find(([, f]) => f.fixture === chartDir)?.[0];
    const file = [chartDir, folder]
        .filter((d): d is string => d !== undefined)
        .map((d) => path.join(upstreamChartsDir!, d, "values.yaml"))
        .find((f) => fs.existsSync(f));
    if (!file) return undefined;
    const parsed = yaml.load(fs.readFileSync(file, "utf8"));
    if (!isMap(parsed)) throw new Error(`${file} is not a YAML map`);
    return parsed;
}

/** The key skeleton of a values document (see `chartKeysDir`). */
export function keySkeleton(values: unknown): unknown {
    if (Array.isArray(values)) return values.every((v) => typeof v === "string") ? values : null;
    if (!isMap(values)) return null;
    return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, keySkeleton(v)]));
}

/** Upstream values keys of `<chart>-<version>`: the real file when given, else the committed skeleton. */
export function chartValues(chartDir: string): Record<string, unknown> {
    if (!Object.values(chartKeyFixtures).some((f) => f.fixture === chartDir))
        throw new Error(
            `${chartDir} is not in chartKeyFixtures (test/values-keys.ts): add it there so npm run chart-keys refreshes it`,
        );
    const file = path.join(chartKeysDir, `${chartDir}.json`);
    const parsed: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
    if (!isMap(parsed)) throw new Error(`${file} is not a JSON object`);
    const upstream = upstreamValues(chartDir);
    if (!upstream) return parsed;
    if (JSON.stringify(keySkeleton(upstream)) !== JSON.stringify(parsed)) {
        throw new Error(
            `${file} no longer matches ${upstreamChartsDir}/${chartDir}/values.yaml: run \`npm run chart-keys -- ${upstreamChartsDir}\``,
        );
    }
    return upstream;
}

function isMap(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Dotted key paths in `values` that `reference` lacks (empty when all keys are upstream's). */
export function unknownValuesKeys(
    values: unknown,
    reference: unknown,
    freeForm: readonly string[] = [],
): string[] {
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
