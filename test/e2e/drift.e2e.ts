/**
 * Drift detection (scripts/drift.ts) with the real engine and the real kubernetes provider on a
 * real API server: a freshly deployed stack reports nothing; three out-of-band kubectl changes
 * (a Deployment scaled, a ConfigMap edited, a label removed) are each reported with the live and
 * the code value, without the check writing the state; `up` puts them back and the stack is clean.
 */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { detectDrift } from "../../scripts/drift-run";
import { driftText } from "../../scripts/drift-lib";
import { e2eSecrets, engineError, timed } from "./helpers";
import { existingConfig } from "./existing-config";
import { get, useRealCluster, type Obj } from "./real-cluster";
import { standinIkoChart } from "./standin/iko";
import { toolchain } from "./toolchain";

describe("drift: out-of-band changes are reported, and up reverts them", function () {
    const c = useRealCluster("drift", () => existingConfig(128, standinIkoChart()), undefined, {
        irisLicenseKey: e2eSecrets.irisLicenseKey,
    });
    let kubeconfig = "";
    const kubectl = (...args: string[]) => {
        const { kubectl: bin } = toolchain.requireBinaries(["kubectl"]);
        return execFileSync(bin, ["--kubeconfig", kubeconfig, ...args], { encoding: "utf8" });
    };
    const drift = () =>
        timed("drift: preview --refresh", () => detectDrift(c.e.stack).catch(engineError));
    // Chosen after `up`: the IKO instance's CPF ConfigMap (Pulumi-named) and a Service label.
    let configMap = "";
    let cpfKey = "";
    let label = "";

    before(function () {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "iris-e2e-drift-"));
        kubeconfig = path.join(dir, "kubeconfig");
        fs.writeFileSync(kubeconfig, c.cp.kubeconfig, { mode: 0o600 });
    });

    it("a freshly deployed stack reports no drift", async function () {
        const up = await c.e.stack.up({ onOutput: () => undefined }).catch(engineError);
        assert.strictEqual(up.summary.result, "succeeded");
        const ds = await drift();
        assert.deepStrictEqual(ds, [], driftText("drift", ds));

        const ic = await c.read(
            "/apis/intersystems.com/v1alpha1/namespaces/iris/irisclusters/iko-iris",
        );
        configMap = String(get(ic, "spec", "configSource", "name"));
        const cm = await c.read(`/api/v1/namespaces/iris/configmaps/${configMap}`);
        cpfKey = Object.keys((get(cm, "data") as Obj | undefined) ?? {})[0] ?? "";
        assert.ok(cpfKey, `ConfigMap ${configMap} has a data key`);
        const svc = await c.read("/api/v1/namespaces/iris/services/iris");
        label = Object.keys((get(svc, "metadata", "labels") as Obj | undefined) ?? {})[0] ?? "";
        assert.ok(label, "Service iris/iris carries labels");
    });

    it("a scale, a ConfigMap edit and a removed label are each reported; the state is not written", async function () {
        kubectl("-n", "iris", "scale", "deployment/iris", "--replicas=2");
        kubectl(
            "-n",
            "iris",
            "patch",
            "configmap",
            configMap,
            "--type=merge",
            "-p",
            JSON.stringify({ data: { [cpfKey]: "[config]\nedited=by-hand\n" } }),
        );
        kubectl("-n", "iris", "label", "service", "iris", `${label}-`);
        const before = await c.e.exportText();

        const ds = await drift();
        const report = driftText("drift", ds);
        const of = (type: string) => ds.find((d) => d.type === `kubernetes:${type}`);
        const replicas = of("apps/v1:Deployment")?.fields.find((f) => f.path === "spec.replicas");
        assert.deepStrictEqual(
            { live: replicas?.live, code: replicas?.code },
            { live: "2", code: "1" },
            `the scaled Deployment:\n${report}`,
        );
        // The provider replaces a ConfigMap whose data changed (a new Pulumi name) and the
        // IrisCluster follows the new name; nothing that holds data is replaced.
        // The CPF holds the password hash, so the engine shows neither side (the report never
        // prints a secret).
        assert.deepStrictEqual(
            of("core/v1:ConfigMap")?.fields.map((f) => [f.path, f.live, f.code]),
            [[`data["${cpfKey}"]`, "[secret]", "[secret]"]],
            `the edited ConfigMap:\n${report}`,
        );
        assert.ok(!report.includes("edited=by-hand"), "the report shows no secret value");
        assert.ok(
            of("core/v1:Service")?.fields.some(
                (f) => f.path.includes(label) && f.live === "(absent)",
            ),
            `the removed label ${label}:\n${report}`,
        );
        const dataReplaced = ds.filter(
            (d) => /PersistentVolume|Namespace|IrisCluster/.test(d.type) && d.op !== "update",
        );
        assert.deepStrictEqual(dataReplaced, [], `nothing holding data is replaced:\n${report}`);
        assert.strictEqual(
            await c.e.exportText(),
            before,
            "the drift check left the state as it was",
        );
    });

    it("up changes nothing without refresh; up --refresh refuses kubectl's field; forced, it reverts all", async function () {
        const deployment = () => c.read("/apis/apps/v1/namespaces/iris/deployments/iris");
        // Without refresh the state still holds the code's values: nothing to do.
        const plain = await c.e.stack.up({ onOutput: () => undefined }).catch(engineError);
        assert.strictEqual(get(await deployment(), "spec", "replicas"), 2, "plain up left it");
        assert.strictEqual(plain.summary.resourceChanges?.update ?? 0, 0);
        // Server-side apply: `kubectl scale` made kubectl's field manager own spec.replicas.
        const refused = await c.e.stack.up({ refresh: true, onOutput: () => undefined }).then(
            () => "",
            (e: Error) => e.message,
        );
        assert.match(refused, /conflict with "kubectl"[^\n]*\.spec\.replicas/);
        const env = c.e.stack.workspace.envVars;
        env.PULUMI_K8S_ENABLE_PATCH_FORCE = "true";
        const up = await c.e.stack
            .up({ refresh: true, onOutput: () => undefined })
            .catch(engineError)
            .finally(() => delete env.PULUMI_K8S_ENABLE_PATCH_FORCE);
        assert.strictEqual(up.summary.result, "succeeded");
        assert.strictEqual(get(await deployment(), "spec", "replicas"), 1);
        const svc = await c.read("/api/v1/namespaces/iris/services/iris");
        assert.ok(
            label in ((get(svc, "metadata", "labels") as Obj | undefined) ?? {}),
            "label back",
        );
        const ds = await drift();
        assert.deepStrictEqual(ds, [], driftText("drift", ds));
    });
});
