/**
 * Prod's chart source, proven against a real private registry: the IKO chart (from
 * IRIS_E2E_CHARTS_DIR) is pushed to the CNCF distribution registry on loopback, with htpasswd
 * basic auth and TLS from a CA of its own, and the real kubernetes provider installs it through
 * the program's chart-source settings (`iko.chart.repo: oci://…`, `iko.chart.username`, the
 * `chartRegistryPassword` secret), as Pulumi.prod.yaml does. The same for a Helm repository
 * over HTTPS with basic auth (`iko.chart.repo: https://…`; its web server is a stand-in,
 * helm-repo.ts):
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
import { helmRegistryConfigLocation } from "../../components/chart-login";
import { assertNoSentinels, e2eSecrets, engineError, expectNoChanges, timed } from "./helpers";
import { get, useRealCluster, type Obj } from "./real-cluster";
import { startHelmRepo } from "./helm-repo";
import { startRegistry } from "./registry";

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

/** A private chart source the test can start, point the stack at, and ask what it served. */
interface ChartServer {
    /** `iko.chart.repo`. */
    readonly repo: string;
    /** `<name>-<version>` of the chart it holds. */
    readonly chart: string;
    readonly caFile: string;
    /** A position in its request log; `servedChart`/`refusedLogin` look after it. */
    mark(): number;
    /** It sent the chart to `user` since `from`. */
    servedChart(from: number): string | undefined;
    /** It refused `user`'s login for a wrong password (so the login did arrive). */
    refusedLogin(): boolean;
    stop(keep: boolean): Promise<void>;
}

async function ociServer(): Promise<ChartServer> {
    const reg = await startRegistry(user, password);
    const chart = await reg.pushChart(chartDir, "charts");
    const log = () => fs.readFileSync(reg.logFile, "utf8");
    return {
        repo: `oci://${reg.host}/charts`,
        chart,
        caFile: reg.caFile,
        mark: () => log().length,
        servedChart(from) {
            // distribution's request log: the manifest answered 200 to the authenticated user.
            return log()
                .slice(from)
                .split("\n")
                .find(
                    (l) =>
                        l.includes('msg="response completed"') &&
                        l.includes("/manifests/") &&
                        l.includes(`auth.user.name=${user} `) &&
                        l.includes("http.response.status=200"),
                );
        },
        refusedLogin: () =>
            new RegExp(`user failed to authenticate.* username=${user} `).test(log()),
        stop: (keep) => reg.stop(keep),
    };
}

async function httpsServer(): Promise<ChartServer> {
    const repo = await startHelmRepo(chartDir, user, password);
    return {
        repo: repo.url,
        chart: repo.chart,
        caFile: repo.caFile,
        mark: () => repo.requests.length,
        servedChart: (from) =>
            repo.requests.slice(from).find((r) => r === `GET /${repo.chart}.tgz 200 login=${user}`),
        refusedLogin: () => repo.requests.some((r) => r.endsWith(`login=${user} (wrong password)`)),
        stop: () => repo.stop(),
    };
}

/** The stack: nothing but the IKO operator, its chart from `server`. */
function chartConfig(server: ChartServer): Record<string, unknown> {
    const m = /^(.+)-(\d+\.\d+\.\d+.*)$/.exec(server.chart);
    if (!m) throw new Error(`cannot split ${server.chart} into chart name and version`);
    return {
        "pulumi:disable-default-providers": ["*"],
        "iris-platform:cluster": { provider: "existing", name: "iris-private-chart" },
        "iris-platform:longhorn": { enabled: false },
        "iris-platform:ingress": { enabled: false },
        "iris-platform:certManager": { enabled: false },
        "iris-platform:iko": {
            enabled: true,
            registry: { username: "e2e" },
            chart: { repo: server.repo, username: user, name: m[1], version: m[2] },
        },
        "iris-platform:iris": { storageClassName: "standard", instances: [] },
    };
}

function privateChartSuite(kind: string, start: () => Promise<ChartServer>): void {
    describe(`private chart source (${kind}): the IKO chart behind basic auth and TLS`, function () {
        let server: ChartServer | undefined;
        let failed = false;
        // Before the cluster fixture's hook: the stack's config and environment need the server.
        before(async function () {
            if (skipReason()) return;
            server = await start();
        });
        const srv = () => {
            if (!server) throw new Error("chart server not started");
            return server;
        };
        const emptyDir = (name: string) => {
            const d = path.join(path.dirname(srv().caFile), "..", name);
            fs.mkdirSync(d, { recursive: true });
            return d;
        };
        const c = useRealCluster(
            `private-chart-${kind}`,
            () => chartConfig(srv()),
            skipReason,
            { chartRegistryPassword: "wrong-password" },
            () => ({
                SSL_CERT_FILE: srv().caFile,
                HELM_CONFIG_HOME: emptyDir("engine-helm-config"),
                HELM_CACHE_HOME: emptyDir("engine-helm-cache"),
                DOCKER_CONFIG: emptyDir("engine-docker"),
            }),
        );
        afterEach(function () {
            if (this.currentTest?.state === "failed") failed = true;
        });
        after(async () => server?.stop(failed));

        it("a wrong password: up fails naming the chart source and the 401", async function () {
            let log = "";
            const err = await c.e.stack.up({ onOutput: (o) => (log += o) }).then(
                () => undefined,
                (e: unknown) => e,
            );
            assert.ok(err, `up succeeded with a wrong password:\n${log.slice(-3000)}`);
            // The server saw the user's login and refused its password (a login the provider
            // ignored would arrive with no credential at all).
            assert.ok(srv().refusedLogin(), `${kind}: no refused login of ${user}`);
            const text = `${log}\n${(err as { message?: string }).message ?? ""}`;
            assert.ok(
                text.includes(srv().repo),
                `the error names ${srv().repo}:\n${text.slice(-3000)}`,
            );
            assert.match(text, /401/, text.slice(-3000));
            const deployments = await c.read("/apis/apps/v1/namespaces/iko/deployments");
            assert.deepStrictEqual(get(deployments, "items") ?? [], [], "nothing installed");
        });

        it("the right password: up installs the operator chart the server sent to that user", async function () {
            await c.e.stack.setConfig("iris-platform:chartRegistryPassword", {
                value: password,
                secret: true,
            });
            const from = srv().mark();
            let log = "";
            const result = await timed(`private-chart-${kind}: up`, () =>
                c.e.stack.up({ onOutput: (o) => (log += o) }).catch(engineError),
            );
            assert.strictEqual(result.summary.result, "succeeded", log.slice(-4000));
            const d = await c.read("/apis/apps/v1/namespaces/iko/deployments");
            const names = ((get(d, "items") as Obj[]) ?? []).map((x) => get(x, "metadata", "name"));
            assert.ok(names.length > 0, "the operator chart created its Deployment");
            assert.ok(srv().servedChart(from), `${kind}: the chart was not served to ${user}`);
            assertNoSentinels(await c.e.exportText(), `private-chart-${kind} state`, [
                Buffer.from(`${user}:${password}`).toString("base64"),
            ]);
        });

        it("a second preview shows no changes", async function () {
            await timed(`private-chart-${kind}: preview`, () => expectNoChanges(c.e.stack));
        });

        it("destroy uninstalls the operator, with the credentials file gone as after a CLI run", async function () {
            // The file exists (0600) while the program's process lives; an inline program's
            // process is this test's, so the test removes it as a CLI run's exit would.
            const file = helmRegistryConfigLocation("iris-platform", `private-chart-${kind}`);
            if (kind === "oci") {
                assert.strictEqual(fs.statSync(file).mode & 0o777, 0o600, file);
                fs.rmSync(file);
            } else assert.ok(!fs.existsSync(file), `no credentials file for ${kind}: ${file}`);
            const result = await c.e.stack
                .destroy({ onOutput: () => undefined })
                .catch(engineError);
            assert.strictEqual(result.summary.result, "succeeded");
        });
    });
}

privateChartSuite("oci", ociServer);
privateChartSuite("https", httpsServer);
