/**
 * Prod's chart source, proven against a real private registry: the IKO chart (from
 * IRIS_E2E_CHARTS_DIR) is pushed to the CNCF distribution registry on loopback, with htpasswd
 * basic auth and TLS from a CA of its own, and the real kubernetes provider installs it through
 * the program's chart-source settings (`iko.chart.repo: oci://…`, `iko.chart.username`, the
 * `chartRegistryPassword` secret), as Pulumi.prod.yaml does:
 *
 *   IRIS_E2E_CHARTS_DIR=/path/to/charts npx mocha … test/e2e/private-chart.e2e.ts
 *
 * With a wrong password `up` fails naming the chart and the registry's 401; with the right one it
 * installs, a second preview plans nothing, and no file of the state holds the password. The
 * engine trusts the registry's CA through SSL_CERT_FILE (Go's crypto/x509 reads it on Linux; the
 * provider's Helm registry client has no CA option: domain/chart-registry.ts); its Helm and
 * Docker login folders are empty ones, so the only login the provider can use is the program's.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { assertNoSentinels, e2eSecrets, engineError, expectNoChanges, timed } from "./helpers";
import { get, useRealCluster, type Obj } from "./real-cluster";
import { startRegistry, type Registry } from "./registry";

const chartsDir = process.env.IRIS_E2E_CHARTS_DIR;
const chartDir = chartsDir ? path.resolve(chartsDir, "iris-operator") : "";
const user = "platform-ci";
const password = e2eSecrets.chartRegistryPassword;

function skipReason(): string | undefined {
    if (chartsDir && fs.existsSync(path.join(chartDir, "Chart.yaml"))) return undefined;
    return (
        `${chartsDir ? `${chartsDir} lacks iris-operator` : "IRIS_E2E_CHARTS_DIR is not set"}; ` +
        "the private-registry test pushes the IKO chart from there (it is not in this repository and cannot be downloaded here)"
    );
}

/** The IKO chart's name and version as pushed (`helm package` names the archive `<name>-<version>`). */
function chartConfig(reg: Registry, pushed: string): Record<string, unknown> {
    const m = /^(.+)-(\d+\.\d+\.\d+.*)$/.exec(pushed);
    if (!m) throw new Error(`cannot split ${pushed} into chart name and version`);
    return {
        "pulumi:disable-default-providers": ["*"],
        "iris-platform:cluster": { provider: "existing", name: "iris-private-chart" },
        "iris-platform:longhorn": { enabled: false },
        "iris-platform:ingress": { enabled: false },
        "iris-platform:certManager": { enabled: false },
        "iris-platform:iko": {
            enabled: true,
            registry: { username: "e2e" },
            chart: { repo: `oci://${reg.host}/charts`, username: user, name: m[1], version: m[2] },
        },
        "iris-platform:iris": { storageClassName: "standard", instances: [] },
    };
}

describe("private OCI chart source: the IKO chart from a registry with basic auth and TLS", function () {
    let reg: Registry | undefined;
    let pushed = "";
    let failed = false;
    // Before the cluster fixture's hook: the stack's config and environment need the registry.
    before(async function () {
        if (skipReason()) return;
        reg = await startRegistry(user, password);
        pushed = await reg.pushChart(chartDir, "charts");
    });
    const registry = () => {
        if (!reg) throw new Error("registry not started");
        return reg;
    };
    const emptyDir = (name: string) => {
        const d = path.join(path.dirname(registry().caFile), "..", name);
        fs.mkdirSync(d, { recursive: true });
        return d;
    };
    const c = useRealCluster(
        "private-chart",
        () => chartConfig(registry(), pushed),
        skipReason,
        { chartRegistryPassword: "wrong-password" },
        () => ({
            SSL_CERT_FILE: registry().caFile,
            HELM_CONFIG_HOME: emptyDir("engine-helm-config"),
            HELM_CACHE_HOME: emptyDir("engine-helm-cache"),
            DOCKER_CONFIG: emptyDir("engine-docker"),
        }),
    );
    afterEach(function () {
        if (this.currentTest?.state === "failed") failed = true;
    });
    after(async () => reg?.stop(failed));

    const setPassword = (value: string) =>
        c.e.stack.setConfig("iris-platform:chartRegistryPassword", { value, secret: true });

    it("a wrong password: up fails naming the chart and the registry's refusal", async function () {
        let log = "";
        const err = await c.e.stack.up({ onOutput: (o) => (log += o) }).then(
            () => undefined,
            (e: unknown) => e,
        );
        assert.ok(err, `up succeeded with a wrong registry password:\n${log.slice(-3000)}`);
        // The registry saw the user's login and refused its password (an ignored login would
        // arrive with no credential at all).
        assert.match(
            fs.readFileSync(registry().logFile, "utf8"),
            new RegExp(`user failed to authenticate.* username=${user} `),
        );
        const text = `${log}\n${(err as { message?: string }).message ?? ""}`;
        assert.match(text, new RegExp(`oci://${registry().host.replace(/\./g, "\\.")}/charts/`));
        assert.match(text, /401 Unauthorized|unauthorized/i, text.slice(-3000));
        const deployments = await c.read("/apis/apps/v1/namespaces/iko/deployments");
        assert.deepStrictEqual(get(deployments, "items") ?? [], [], "nothing installed");
    });

    it("the right password: up installs the operator chart pulled from the registry as that user", async function () {
        await setPassword(password);
        const logFrom = fs.statSync(registry().logFile).size;
        let log = "";
        const result = await timed("private-chart: up", () =>
            c.e.stack.up({ onOutput: (o) => (log += o) }).catch(engineError),
        );
        assert.strictEqual(result.summary.result, "succeeded", log.slice(-4000));
        const d = await c.read("/apis/apps/v1/namespaces/iko/deployments");
        const names = ((get(d, "items") as Obj[]) ?? []).map((x) => get(x, "metadata", "name"));
        assert.ok(names.length > 0, "the operator chart created its Deployment");
        // The registry's own log since this up: the chart's manifest was served to the user.
        const served = fs
            .readFileSync(registry().logFile, "utf8")
            .slice(logFrom)
            .split("\n")
            .filter((l) => l.includes('msg="response completed"') && l.includes("/manifests/"));
        assert.ok(
            served.some(
                (l) =>
                    l.includes(`auth.user.name=${user} `) && l.includes("http.response.status=200"),
            ),
            `the registry served no manifest to ${user}:\n${served.join("\n")}`,
        );
        const state = await c.e.exportText();
        assertNoSentinels(state, "private-chart state", [
            Buffer.from(`${user}:${password}`).toString("base64"),
        ]);
    });

    it("a second preview shows no changes (the credentials file keeps its path)", async function () {
        await timed("private-chart: preview", () => expectNoChanges(c.e.stack));
    });

    it("destroy uninstalls the operator", async function () {
        const result = await c.e.stack.destroy({ onOutput: () => undefined }).catch(engineError);
        assert.strictEqual(result.summary.result, "succeeded");
    });
});
