/**
 * The chart-based layers (Longhorn, F5 nginx-ingress, cert-manager with its
 * ClusterIssuers, the IKO operator and an IrisCluster) installed by the real
 * kubernetes provider into a real API server, from a directory of unpacked
 * charts (`charts.directory`, as an air-gapped stack would):
 *
 *   IRIS_E2E_CHARTS_DIR=/path/to/charts npm run test:e2e
 *
 * The directory holds `longhorn`, `cert-manager`, `nginx-ingress` and
 * `iris-operator` (docs/testing.md). Charts are not part of this
 * repository and cannot be downloaded here, so without that variable this
 * file skips and says why.
 *
 * The IrisCluster CRD is a STAND-IN (standin/iko.ts): IKO registers the real
 * one only when its operator pod runs, and no pod runs here; the stand-in
 * accepts any spec, so it proves the object is sent after the operator and its
 * ConfigMap, not that IKO would accept its fields.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { assertNoSentinels, engineError, expectNoChanges, timed } from "./helpers";
import { get, useRealCluster, type Obj } from "./real-cluster";

const chartsDir = process.env.IRIS_E2E_CHARTS_DIR;
const required = ["longhorn", "cert-manager", "nginx-ingress", "iris-operator"];

function chartsConfig(dir: string): Record<string, unknown> {
    return {
        "pulumi:disable-default-providers": ["*"],
        "iris-platform:cluster": { provider: "existing", name: "iris-charts" },
        "iris-platform:charts": { directory: dir },
        "iris-platform:longhorn": { enabled: true, backup: { enabled: false } },
        "iris-platform:ingress": { enabled: true, serviceType: "NodePort" },
        "iris-platform:certManager": { enabled: true, issuer: "letsencrypt-staging" },
        "iris-platform:iko": { enabled: true, registry: { username: "e2e" } },
        "iris-platform:iris": {
            instances: [
                {
                    name: "iris",
                    namespace: "iris",
                    mode: "iko",
                    host: "iris.e2e.example",
                    cpf: { globalBuffersMB: 128, gmheapMB: 64 },
                },
            ],
        },
    };
}

describe("chart layers on a real API server (charts from IRIS_E2E_CHARTS_DIR)", function () {
    const c = useRealCluster(
        "charts",
        () => chartsConfig(path.resolve(chartsDir ?? "")),
        () => {
            const missing = chartsDir
                ? required.filter((d) => !fs.existsSync(path.join(chartsDir, d, "Chart.yaml")))
                : required;
            if (chartsDir && missing.length === 0) return undefined;
            return (
                `${chartsDir ? `${chartsDir} lacks ${missing.join(", ")}` : "IRIS_E2E_CHARTS_DIR is not set"}; ` +
                "the chart layers need the upstream charts unpacked there (they are not in this repository and cannot be downloaded here)"
            );
        },
    );
    const read = (urlPath: string) => c.read(urlPath);

    it("up installs every chart and the IRIS objects after them", async function () {
        let log = "";
        const result = await timed("charts: up", () =>
            c.e.stack.up({ onOutput: (o) => (log += o) }).catch(engineError),
        );
        assert.strictEqual(result.summary.result, "succeeded", log.slice(-4000));
        for (const [ns, deployment] of [
            ["cert-manager", "cert-manager"],
            ["nginx-ingress", "nginx-ingress-controller"],
            ["iko", "iko-iris-operator-arm"],
        ]) {
            const d = await read(`/apis/apps/v1/namespaces/${ns}/deployments`);
            const names = ((get(d, "items") as Obj[]) ?? []).map((x) =>
                String(get(x, "metadata", "name")),
            );
            assert.ok(
                names.length > 0,
                `${ns} has Deployments (got none; wanted ${deployment} or similar)`,
            );
        }
        const issuers = await read("/apis/cert-manager.io/v1/clusterissuers");
        assert.deepStrictEqual(
            ((get(issuers, "items") as Obj[]) ?? []).map((x) => get(x, "metadata", "name")).sort(),
            ["letsencrypt-prod", "letsencrypt-staging"],
        );
        const sc = await read("/apis/storage.k8s.io/v1/storageclasses");
        assert.ok(
            ((get(sc, "items") as Obj[]) ?? []).some(
                (x) =>
                    get(x, "provisioner") === "driver.longhorn.io" &&
                    get(x, "reclaimPolicy") === "Retain",
            ),
        );
        const ic = await read("/apis/intersystems.com/v1alpha1/namespaces/iris/irisclusters/iris");
        const cm = String(get(ic, "spec", "configSource", "name"));
        assert.ok(
            await read(`/api/v1/namespaces/iris/configmaps/${cm}`),
            "the IrisCluster's configSource exists",
        );
        const ing = await read("/apis/networking.k8s.io/v1/namespaces/iris/ingresses/iris");
        assert.deepStrictEqual(
            get(ing, "spec", "rules", 0, "http", "paths", 0, "backend", "service"),
            { name: "iris-webgateway", port: { number: 80 } },
        );
        assertNoSentinels(await c.e.exportText(), "charts state");
    });

    it("a second preview shows no changes", async function () {
        await timed("charts: preview", () => expectNoChanges(c.e.stack));
    });

    it("destroy uninstalls every release", async function () {
        const result = await timed("charts: destroy", () =>
            c.e.stack.destroy({ onOutput: () => undefined }).catch(engineError),
        );
        assert.strictEqual(result.summary.result, "succeeded");
        for (const ns of ["cert-manager", "nginx-ingress", "iko", "iris"]) {
            const n = await read(`/api/v1/namespaces/${ns}`);
            assert.ok(
                !n || get(n, "status", "phase") === "Terminating",
                `namespace ${ns} is deleted`,
            );
        }
    });
});
