/**
 * Every committed stack file (Pulumi.dev.yaml, Pulumi.prod.yaml, examples/*)
 * through the real Pulumi engine, every provider a STAND-IN (see
 * standin/provider.ts: no cloud and no cluster are reachable here): `up`, a
 * second `preview` that must plan nothing, no secret in the state, `destroy`.
 * What this proves: the program registers with a real engine (explicit
 * providers everywhere, dynamic resources included), its dependency graph and
 * outputs resolve, secrets stay secret in the real state, previews are stable
 * and protection works. What it cannot: anything a cloud or cluster decides.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as https from "https";
import * as path from "path";
import { engineStack, stackFileConfig, type EngineStack } from "./engine";
import { assertNoSentinels, e2eSecrets, engineError, expectNoChanges, timed } from "./helpers";
import { alwaysStoodIn, standinPlugins } from "./standin/plugins";
import { stackFiles } from "../build-stack";
import { selfSignedCert } from "../fixtures/self-signed-cert";
import { formerChildNames, formerTypes } from "../../components/aliases";

const fakeKubeconfig =
    "apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n# E2E-SENTINEL-KUBECONFIG\n";

/**
 * The AWS stack's /readyz waiter really polls https://<NLB>:6443/readyz, trusting
 * only the cluster CA: the stand-in NLB is a loopback address of its own
 * (127.x.y.z, so parallel runs do not collide on port 6443), and this server
 * presents the stand-in tls provider's cluster CA, which names that address.
 */
async function readyzServer(stateDir: string): Promise<{ server: https.Server; host: string }> {
    const caFile = path.join(stateDir, "ca-kubernetes.json");
    // Clients send no SNI to an IP address, so the certificate is swapped in as soon as the
    // stand-in tls provider has written it (a throwaway one serves until then).
    const placeholder = selfSignedCert("placeholder");
    const server = https.createServer(
        { cert: placeholder.certPem, key: placeholder.keyPem },
        (req, res) => {
            res.writeHead(req.url === "/readyz" ? 200 : 404);
            res.end("ok");
        },
    );
    let loaded = "";
    const timer = setInterval(() => {
        if (!fs.existsSync(caFile)) return;
        const text = fs.readFileSync(caFile, "utf8");
        if (text === loaded) return;
        const { certPem, keyPem } = JSON.parse(text) as { certPem: string; keyPem: string };
        server.setSecureContext({ cert: certPem, key: keyPem });
        loaded = text;
    }, 200);
    timer.unref();
    server.once("close", () => clearInterval(timer));
    for (let attempt = 0; ; attempt++) {
        const host = `127.${1 + Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
        try {
            await new Promise<void>((resolve, reject) => {
                server.once("error", reject);
                server.listen(6443, host, () => resolve());
            });
            return { server, host };
        } catch (err) {
            if (attempt >= 5) throw err;
        }
    }
}

for (const [name, { file, secrets }] of Object.entries(stackFiles)) {
    describe(`stack file ${file} through the real engine (stand-in providers)`, function () {
        let e: EngineStack;
        let server: https.Server | undefined;
        let lbHost = "127.0.0.1";
        const config = stackFileConfig(file);
        const secretValues = Object.fromEntries(
            secrets.map((k) => [
                k,
                k === "kubeconfig" ? fakeKubeconfig : e2eSecrets[k as keyof typeof e2eSecrets],
            ]),
        );

        before(async function () {
            const plugins = standinPlugins([...alwaysStoodIn, "kubernetes"]);
            if (
                config["iris-platform:cluster"] &&
                (config["iris-platform:cluster"] as { provider: string }).provider === "aws"
            ) {
                ({ server, host: lbHost } = await readyzServer(plugins.stateDir));
            }
            e = await engineStack({
                name,
                config,
                secrets: secretValues,
                pluginDirs: [plugins.dir],
                env: { IRIS_STANDIN_DIR: plugins.stateDir, IRIS_STANDIN_LB_HOST: lbHost },
            });
        });
        after(async function () {
            server?.close();
            await e?.remove().catch(() => undefined);
        });

        it("up succeeds and the state holds no secret in plain text", async function () {
            const result = await timed(`${name}: up`, () =>
                e.stack.up({ onOutput: () => undefined }).catch(engineError),
            );
            assert.strictEqual(result.summary.result, "succeeded");
            assert.strictEqual(
                result.outputs.kubeconfig.secret,
                true,
                "kubeconfig output is secret",
            );
            for (const [key, out] of Object.entries(result.outputs))
                assert.notStrictEqual(out.value, undefined, `output ${key} has a value`);
            assertNoSentinels(await e.exportText(), `${name} state`, ["E2E-SENTINEL-KUBECONFIG"]);
            // The real engine's URNs are the ones the golden list (test/urns.test.ts) records under mocks.
            const deployment = (await e.stack.exportStack()).deployment as {
                resources: { urn: string; type: string }[];
            };
            const real = deployment.resources
                .filter((r) => r.type !== "pulumi:pulumi:Stack")
                .map((r) => r.urn)
                .sort();
            const golden = fs
                .readFileSync(path.join(__dirname, "..", "golden", `urns-${name}.txt`), "utf8")
                .trim()
                .split("\n");
            assert.deepStrictEqual(real, golden);
        });

        it("a second preview plans no change", async function () {
            await timed(`${name}: preview`, () => expectNoChanges(e.stack));
        });

        it("a stack deployed under the former type tokens and child names sees no change (aliases)", async function () {
            // The state as a release before the renames wrote it (components/aliases.ts).
            const esc = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
            let text = JSON.stringify(await e.stack.exportStack());
            for (const c of formerChildNames) {
                const urnPart = new RegExp(
                    `(${esc(`${c.component}$${c.type}::`)}[^"]*?)${esc(c.now)}`,
                    "g",
                );
                text = text.replace(urnPart, `$1${c.former}`);
            }
            for (const [now, [former]] of Object.entries(formerTypes)) {
                text = text.replace(new RegExp(`${esc(now)}(?=[$:"])`, "g"), former);
            }
            await e.stack.importStack(JSON.parse(text));
            await expectNoChanges(e.stack);
        });

        const iris = config["iris-platform:iris"] as
            { protect?: boolean; destroyGuard?: { enabled?: boolean } } | undefined;
        if (iris?.protect) {
            it("destroy refuses while iris.protect is on, and succeeds once the stack unprotects", async function () {
                const urns = async () =>
                    (
                        (await e.stack.exportStack()).deployment as { resources: { urn: string }[] }
                    ).resources
                        .map((r) => r.urn)
                        .sort();
                // What left the state since `before` was read.
                const gone = async (before: string[]) => {
                    const now = await urns();
                    return before.filter((u) => !now.includes(u));
                };
                const before = await urns();
                await assert.rejects(e.stack.destroy({ onOutput: () => undefined }), /protected/);
                // The guard (protected too) depends on every layer: nothing went before it.
                if (iris.destroyGuard?.enabled) assert.deepStrictEqual(await gone(before), []);
                await e.setConfig({ ...config, "iris-platform:iris": { ...iris, protect: false } });
                await e.stack.up({ onOutput: () => undefined }).catch(engineError);
                if (iris.destroyGuard?.enabled) {
                    // (The up replaced the former names the alias test imported: read again.)
                    const unprotected = await urns();
                    // The guard's delete runs under the engine: the stand-in cluster has no API
                    // server to show a fresh backup set, so it refuses until the override is applied.
                    await assert.rejects(
                        e.stack.destroy({ onOutput: () => undefined }),
                        /destroy refused: cannot read Longhorn's Backups[\s\S]*allowWithoutBackup/,
                    );
                    assert.deepStrictEqual(
                        await gone(unprotected),
                        [],
                        "a refused destroy deletes nothing",
                    );
                    const guard = { ...iris.destroyGuard, allowWithoutBackup: true };
                    await e.setConfig({
                        ...config,
                        "iris-platform:iris": { ...iris, protect: false, destroyGuard: guard },
                    });
                    await e.stack.up({ onOutput: () => undefined }).catch(engineError);
                }
                const result = await timed(`${name}: destroy`, () =>
                    e.stack.destroy({ onOutput: () => undefined }).catch(engineError),
                );
                assert.strictEqual(result.summary.result, "succeeded");
            });
        } else {
            it("destroy succeeds", async function () {
                const result = await timed(`${name}: destroy`, () =>
                    e.stack.destroy({ onOutput: () => undefined }).catch(engineError),
                );
                assert.strictEqual(result.summary.result, "succeeded");
            });
        }
    });
}
