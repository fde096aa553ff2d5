/**
 * Mocha fixture for the tests against a real API server: starts the control
 * plane with the stand-in IrisCluster CRD, makes the stack (real kubernetes
 * provider, stand-in random) with the IRIS secrets set, and always tears both
 * down, keeping the control plane's logs when a test failed.
 */
import * as assert from "assert";
import { startControlPlane, type ControlPlane } from "./control-plane";
import { engineStack, type EngineStack } from "./engine";
import { e2eSecrets } from "./helpers";
import { standinIrisClusterCrd } from "./standin/iko";
import { standinPlugins } from "./standin/plugins";
import { toolchain } from "./toolchain";

export type Obj = Record<string, unknown>;

/** `o[k1][k2]…`, undefined where a step is missing. */
export const get = (o: unknown, ...keys: (string | number)[]): unknown =>
    keys.reduce<unknown>((v, k) => (v as Obj | undefined)?.[k], o);

export interface RealCluster {
    readonly cp: ControlPlane;
    readonly e: EngineStack;
    /** GET as cluster admin: the object, or undefined when the API server answers anything but 200. */
    read(urlPath: string): Promise<Obj | undefined>;
}

/**
 * Registers the hooks; `config` gets the stack file's config map. `skip`, when
 * it returns a reason, skips the suite (printed) before anything starts. `env`, called once the
 * earlier hooks ran, adds environment for the engine and its plugins.
 */
export function useRealCluster(
    name: string,
    config: () => Record<string, unknown>,
    skip?: () => string | undefined,
    extraSecrets: Record<string, string> = {},
    env?: () => Record<string, string>,
): RealCluster {
    let cp: ControlPlane | undefined;
    let e: EngineStack | undefined;
    let failed = false;
    before(async function () {
        const reason = skip?.();
        if (reason) {
            console.log(`    skipped: ${reason}`);
            this.skip();
        }
        cp = await startControlPlane();
        const crd = await cp.api(
            "POST",
            "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
            standinIrisClusterCrd,
        );
        assert.ok(crd.status < 300, `stand-in CRD: HTTP ${crd.status}`);
        e = await engineStack({
            name,
            config: config(),
            secrets: {
                kubeconfig: cp.kubeconfig,
                irisPassword: e2eSecrets.irisPassword,
                registryToken: e2eSecrets.registryToken,
                webgatewayPassword: e2eSecrets.webgatewayPassword,
                ...extraSecrets,
            },
            // The real kubernetes provider; random (the PasswordHash salts) is a stand-in.
            pluginDirs: [standinPlugins(["random"]).dir, toolchain.binDir()],
            env: env?.(),
        });
    });
    afterEach(function () {
        if (this.currentTest?.state === "failed") failed = true;
    });
    after(async function () {
        await e?.remove().catch(() => undefined);
        await cp?.stop(failed);
    });
    const fixture: RealCluster = {
        get cp() {
            if (!cp) throw new Error("control plane not started");
            return cp;
        },
        get e() {
            if (!e) throw new Error("stack not created");
            return e;
        },
        async read(urlPath) {
            const r = await fixture.cp.api("GET", urlPath);
            return r.status === 200 ? r.body : undefined;
        },
    };
    return fixture;
}
