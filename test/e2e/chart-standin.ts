/**
 * TEST-ONLY STAND-IN for a kube-prometheus-stack chart whose subcharts are not vendored.
 *
 * Helm refuses to install a chart when a dependency listed in its Chart.yaml has no chart in its
 * `charts/` folder, enabled or not (the kubernetes provider's Release, pulumi-kubernetes
 * provider/pkg/provider/helm_release.go checkChartDependencies, calls Helm v3.18.6's
 * pkg/action/install.go CheckDependencies: "found in Chart.yaml, but missing in charts/"). A chart
 * mirror may hold kube-prometheus-stack with only its local `crds` subchart. Then this copies the
 * charts directory into a temporary one (every other chart a symlink), copies
 * kube-prometheus-stack, and drops from the copy's Chart.yaml only the dependencies whose folders
 * are missing, and gives the copy's values.yaml the one default of theirs the parent's own
 * templates read (`subchartDefaults`). Their objects are therefore NOT installed: kube-state-metrics' Deployment,
 * prometheus-node-exporter's DaemonSet, Grafana, and the Windows exporter. The parent chart's own
 * templates (Prometheus, Alertmanager, the operator, ServiceMonitors, rules) render unchanged,
 * which is what the operator suites prove things about. With every subchart present the mirror
 * is used as it is. docs/testing.md says the same.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";

const chartName = "kube-prometheus-stack";

/**
 * The missing subcharts' own defaults that kube-prometheus-stack 88.5.3's templates read
 * (templates/prometheus/clusterrole.yaml: `(index .Values "<subchart>").kubeRBACProxy.enabled`,
 * which Helm cannot evaluate without the subchart's values.yaml). Values as upstream ships them:
 * prometheus-community/helm-charts kube-state-metrics-8.4.0 charts/kube-state-metrics/values.yaml
 * and prometheus-node-exporter-4.56.1 charts/prometheus-node-exporter/values.yaml, both
 * `kubeRBACProxy.enabled: false`. The other keys its templates read from subchart values are in
 * its own values.yaml or read with `index`, which tolerates their absence.
 */
const subchartDefaults: Record<string, Record<string, unknown>> = {
    "kube-state-metrics": { kubeRBACProxy: { enabled: false } },
    "prometheus-node-exporter": { kubeRBACProxy: { enabled: false } },
};

/** `over` merged into `base`, maps recursively (`base` wins nowhere `over` has a value). */
function merged(base: unknown, over: unknown): unknown {
    const isMap = (v: unknown): v is Record<string, unknown> =>
        typeof v === "object" && v !== null && !Array.isArray(v);
    if (!isMap(base) || !isMap(over)) return over;
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = merged(base[k], v);
    return out;
}

interface Dependency {
    readonly name: string;
    readonly repository?: string;
}

export interface InstallableCharts {
    /** The charts directory to give `charts.directory` (created in `before`). */
    readonly directory: string;
    /** Subcharts of kube-prometheus-stack the mirror lacks, so not installed (empty: the mirror as is). */
    readonly missingSubcharts: readonly string[];
    /** Whether kube-prometheus-stack's subchart `name` is installed. */
    has(name: string): boolean;
}

/** A subchart is present as `charts/<name>/Chart.yaml` or a packed `charts/<name>-<version>.tgz`. */
function present(chartDir: string, name: string): boolean {
    const sub = path.join(chartDir, "charts");
    if (fs.existsSync(path.join(sub, name, "Chart.yaml"))) return true;
    return (
        fs.existsSync(sub) &&
        fs.readdirSync(sub).some((f) => f.startsWith(`${name}-`) && f.endsWith(".tgz"))
    );
}

/** kube-prometheus-stack's subcharts missing from `chartsDir` (those its Chart.yaml lists). */
export function missingSubcharts(chartsDir: string): string[] {
    const chart = path.join(chartsDir, chartName);
    const meta = yaml.load(fs.readFileSync(path.join(chart, "Chart.yaml"), "utf8")) as {
        dependencies?: Dependency[];
    };
    return (meta.dependencies ?? []).map((d) => d.name).filter((n) => !present(chart, n));
}

/**
 * Mocha hooks: before every other `before` registered after it, provides a charts directory
 * Helm will install kube-prometheus-stack from; removes its temporary copy afterwards.
 */
export function useInstallableCharts(chartsDir: () => string | undefined): InstallableCharts {
    let directory: string | undefined;
    let missing: string[] = [];
    let tmp: string | undefined;
    before(function () {
        const dir = chartsDir();
        if (!dir || !fs.existsSync(path.join(dir, chartName, "Chart.yaml"))) return;
        const abs = path.resolve(dir);
        missing = missingSubcharts(abs);
        if (missing.length === 0) {
            directory = abs;
            return;
        }
        console.log(
            `    test-only stand-in: ${chartName} without its missing subcharts (${missing.join(", ")}); their objects are not installed (docs/testing.md)`,
        );
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "iris-e2e-charts-"));
        for (const entry of fs.readdirSync(abs)) {
            if (entry !== chartName) fs.symlinkSync(path.join(abs, entry), path.join(tmp, entry));
        }
        const copy = path.join(tmp, chartName);
        fs.cpSync(path.join(abs, chartName), copy, { recursive: true });
        const file = path.join(copy, "Chart.yaml");
        const meta = yaml.load(fs.readFileSync(file, "utf8")) as { dependencies: Dependency[] };
        meta.dependencies = meta.dependencies.filter((d) => !missing.includes(d.name));
        fs.writeFileSync(file, yaml.dump(meta));
        const valuesFile = path.join(copy, "values.yaml");
        let values = yaml.load(fs.readFileSync(valuesFile, "utf8"));
        for (const name of missing) {
            const defaults = subchartDefaults[name];
            if (defaults) values = merged(values, { [name]: defaults });
        }
        fs.writeFileSync(valuesFile, yaml.dump(values, { lineWidth: -1 }));
        directory = tmp;
    });
    after(function () {
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });
    return {
        get directory() {
            if (!directory) throw new Error("useInstallableCharts: no kube-prometheus-stack chart");
            return directory;
        },
        get missingSubcharts() {
            return missing;
        },
        has: (name) => !missing.includes(name),
    };
}
