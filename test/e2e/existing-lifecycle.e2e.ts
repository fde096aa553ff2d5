/**
 * The existing-cluster stack (examples/Pulumi.existing.yaml) through the real
 * engine and the real kubernetes provider against a real API server:
 * up → objects read back → preview shows no change → a CPF change rolls IRIS
 * without replacing its volume or namespace and without its Secret ever
 * missing → a licence, web-gateway password and registry token rotation does the
 * same for their Secrets (pull secrets included) → no secret in the state → destroy leaves only what README says.
 */
import * as assert from "assert";
import { assertNoSentinels, e2eSecrets, engineError, expectNoChanges, timed } from "./helpers";
import { existingConfig } from "./existing-config";
import { get, useRealCluster, type Obj } from "./real-cluster";
import { standinIkoChart } from "./standin/iko";
import { deploymentRefs, irisClusterRefs, refAt, watchForGaps } from "./workload-refs";

describe("existing cluster: full lifecycle on a real API server", function () {
    const ikoChart = standinIkoChart();
    const c = useRealCluster("existing", () => existingConfig(128, ikoChart), undefined, {
        irisLicenseKey: e2eSecrets.irisLicenseKey,
    });
    const read = (urlPath: string) => c.read(urlPath);
    const deployment = () => read("/apis/apps/v1/namespaces/iris/deployments/iris");
    const irisCluster = () =>
        read("/apis/intersystems.com/v1alpha1/namespaces/iris/irisclusters/iko-iris");
    const configSource = (ic: Obj | undefined) =>
        get(ic, "spec", "configSource", "name") as string | undefined;
    const mountedSecret = (d: Obj | undefined) =>
        (
            (get(d, "spec", "template", "spec", "volumes") as
                { name: string; secret?: { secretName: string } }[] | undefined) ?? []
        ).find((v) => v.name === "config")?.secret?.secretName;
    const workloadRefs = async () => [
        ...deploymentRefs(await deployment()),
        ...irisClusterRefs(await irisCluster()),
    ];
    const secretData = async (name: string | undefined, key: string) =>
        Buffer.from(
            String(get(await read(`/api/v1/namespaces/iris/secrets/${name}`), "data", key)),
            "base64",
        ).toString();

    it("up creates IRIS: namespace, Retain PVC bound, Recreate Deployment ready, Service, CPF Secret", async function () {
        const result = await timed("real API server: up", () =>
            c.e.stack.up({ onOutput: () => undefined }).catch(engineError),
        );
        assert.strictEqual(result.summary.result, "succeeded");
        assert.strictEqual(result.outputs.clusterName.value, "iris-local");
        assert.strictEqual(result.outputs.kubeconfig.secret, true);
        assert.ok(!("ingressAddress" in result.outputs), "no undefined ingressAddress output");

        const d = await deployment();
        assert.ok(d, "Deployment iris/iris exists");
        assert.strictEqual(get(d, "spec", "strategy", "type"), "Recreate");
        assert.strictEqual(get(d, "status", "readyReplicas"), 1);
        const pvc = await read("/api/v1/namespaces/iris/persistentvolumeclaims/iris-durable");
        assert.strictEqual(get(pvc, "status", "phase"), "Bound");
        assert.strictEqual(get(pvc, "spec", "storageClassName"), "standard");
        const secret = mountedSecret(d);
        assert.ok(
            secret && (await read(`/api/v1/namespaces/iris/secrets/${secret}`)),
            "the mounted CPF Secret exists",
        );
        const ic = await irisCluster();
        assert.ok(ic, "IrisCluster iris/iko-iris exists (stand-in CRD)");
        assert.ok(
            await read(`/api/v1/namespaces/iris/configmaps/${configSource(ic)}`),
            "its configSource ConfigMap exists",
        );
        assert.strictEqual(
            get(
                await read("/apis/apps/v1/namespaces/iko/deployments/iris-operator"),
                "status",
                "readyReplicas",
            ),
            1,
            "the (stand-in) operator is ready",
        );
        const svc = await read("/api/v1/namespaces/iris/services/iris");
        assert.deepStrictEqual(
            (get(svc, "spec", "ports") as { port: number }[]).map((x) => x.port),
            [52773, 1972],
        );
        assertNoSentinels(await c.e.exportText(), "state after up");
    });

    it("a second preview shows no changes", async function () {
        await timed("real API server: preview", () => expectNoChanges(c.e.stack));
    });

    it("a CPF change rolls IRIS onto the new config; volume, namespace and the mounted Secret stay", async function () {
        const before = {
            d: await deployment(),
            pvc: await read("/api/v1/namespaces/iris/persistentvolumeclaims/iris-durable"),
            ns: await read("/api/v1/namespaces/iris"),
        };
        const oldSecret = mountedSecret(before.d);
        const oldConfigMap = configSource(await irisCluster());
        await c.e.setConfig(existingConfig(256, ikoChart));

        // While the update runs, everything the Deployment and the IrisCluster name must exist.
        const watch = watchForGaps(read, "iris", workloadRefs);
        const result = await timed("real API server: up (CPF change)", () =>
            c.e.stack.up({ onOutput: () => undefined }).catch(engineError),
        ).finally(() => watch.stop());
        const gaps = await watch.stop();
        assert.strictEqual(result.summary.result, "succeeded");
        assert.deepStrictEqual(
            gaps,
            [],
            "neither the Deployment nor the IrisCluster ever named a missing Secret/ConfigMap",
        );

        const after = {
            d: await deployment(),
            pvc: await read("/api/v1/namespaces/iris/persistentvolumeclaims/iris-durable"),
            ns: await read("/api/v1/namespaces/iris"),
        };
        const newSecret = mountedSecret(after.d);
        assert.notStrictEqual(
            newSecret,
            oldSecret,
            "the pod template names the new Secret, so the pod rolls",
        );
        assert.ok(newSecret && (await read(`/api/v1/namespaces/iris/secrets/${newSecret}`)));
        const merge = Buffer.from(
            String(
                get(
                    await read(`/api/v1/namespaces/iris/secrets/${newSecret}`),
                    "data",
                    "merge.cpf",
                ),
            ),
            "base64",
        ).toString();
        assert.match(merge, /globals=0,0,256,0,0,0/);
        assert.strictEqual(
            await read(`/api/v1/namespaces/iris/secrets/${oldSecret}`),
            undefined,
            "the old Secret is gone afterwards",
        );
        const newConfigMap = configSource(await irisCluster());
        assert.notStrictEqual(
            newConfigMap,
            oldConfigMap,
            "the IrisCluster names the new configSource",
        );
        const dataCpf = String(
            get(
                await read(`/api/v1/namespaces/iris/configmaps/${newConfigMap}`),
                "data",
                "data.cpf",
            ),
        );
        assert.match(dataCpf, /globals=0,0,256,0,0,0/);
        assert.strictEqual(
            await read(`/api/v1/namespaces/iris/configmaps/${oldConfigMap}`),
            undefined,
            "the old ConfigMap is gone afterwards",
        );
        assert.strictEqual(
            get(after.pvc, "metadata", "uid"),
            get(before.pvc, "metadata", "uid"),
            "PVC not replaced",
        );
        assert.strictEqual(
            get(after.ns, "metadata", "uid"),
            get(before.ns, "metadata", "uid"),
            "namespace not replaced",
        );
        const replaced = Object.entries(result.summary.resourceChanges ?? {}).filter(
            ([op]) => op === "replace" || op === "delete",
        );
        assert.deepStrictEqual(
            replaced,
            [["replace", 2]],
            "only the CPF Secret and the IKO configSource ConfigMap are replaced",
        );
        assertNoSentinels(await c.e.exportText(), "state after the CPF change");
    });

    it("a new licence key, web-gateway password and registry token roll IRIS onto new Secrets; the old ones go last, none is ever missing", async function () {
        const before = {
            d: await deployment(),
            ic: await irisCluster(),
            pvc: await read("/api/v1/namespaces/iris/persistentvolumeclaims/iris-durable"),
        };
        const [dRefs, icRefs] = [deploymentRefs(before.d), irisClusterRefs(before.ic)];
        const old = {
            durableLicense: refAt(dRefs, "volume license"),
            ikoLicense: refAt(icRefs, "licenseKeySecret"),
            login: refAt(icRefs, "webgateway.loginSecret"),
            durablePull: refAt(dRefs, "imagePullSecrets"),
            ikoPull: refAt(icRefs, "imagePullSecrets"),
        };
        for (const [what, name] of Object.entries(old))
            assert.ok(name && (await read(`/api/v1/namespaces/iris/secrets/${name}`)), what);
        const newKey = `${e2eSecrets.irisLicenseKey}; rotated\n`;
        const newPassword = `${e2eSecrets.webgatewayPassword}-ROTATED`;
        const newToken = `${e2eSecrets.registryToken}-ROTATED`;
        await c.e.stack.setConfig("iris-platform:registryToken", { value: newToken, secret: true });
        await c.e.stack.setConfig("iris-platform:irisLicenseKey", { value: newKey, secret: true });
        await c.e.stack.setConfig("iris-platform:webgatewayPassword", {
            value: newPassword,
            secret: true,
        });

        const watch = watchForGaps(read, "iris", workloadRefs);
        const result = await timed("real API server: up (licence and password rotation)", () =>
            c.e.stack.up({ onOutput: () => undefined }).catch(engineError),
        ).finally(() => watch.stop());
        assert.strictEqual(result.summary.result, "succeeded");
        assert.deepStrictEqual(
            await watch.stop(),
            [],
            "neither the Deployment nor the IrisCluster ever named a missing Secret/ConfigMap",
        );

        const after = {
            d: await deployment(),
            ic: await irisCluster(),
            pvc: await read("/api/v1/namespaces/iris/persistentvolumeclaims/iris-durable"),
        };
        const [dNow, icNow] = [deploymentRefs(after.d), irisClusterRefs(after.ic)];
        const now = {
            durableLicense: refAt(dNow, "volume license"),
            ikoLicense: refAt(icNow, "licenseKeySecret"),
            login: refAt(icNow, "webgateway.loginSecret"),
            durablePull: refAt(dNow, "imagePullSecrets"),
            ikoPull: refAt(icNow, "imagePullSecrets"),
        };
        for (const what of Object.keys(old) as (keyof typeof old)[]) {
            assert.notStrictEqual(now[what], old[what], `${what}: the workload names a new Secret`);
            assert.strictEqual(
                await read(`/api/v1/namespaces/iris/secrets/${old[what]}`),
                undefined,
                `${what}: the old Secret is gone afterwards`,
            );
        }
        assert.strictEqual(await secretData(now.durableLicense, "iris.key"), newKey);
        assert.strictEqual(await secretData(now.ikoLicense, "iris.key"), newKey);
        assert.strictEqual(await secretData(now.login, "password"), newPassword);
        assert.strictEqual(await secretData(now.login, "username"), "CSPSystem");
        assert.match(await secretData(now.durablePull, ".dockerconfigjson"), /-ROTATED/);
        assert.strictEqual(now.ikoPull, now.durablePull, "one pull secret per namespace");
        // A changed pod template is what rolls the durable pod; a changed spec is what IKO acts on.
        assert.ok(
            Number(get(after.d, "metadata", "generation")) >
                Number(get(before.d, "metadata", "generation")),
            "the Deployment's pod template changed (the pod rolls)",
        );
        assert.ok(
            Number(get(after.ic, "metadata", "generation")) >
                Number(get(before.ic, "metadata", "generation")),
            "the IrisCluster's spec changed",
        );
        assert.strictEqual(
            get(after.pvc, "metadata", "uid"),
            get(before.pvc, "metadata", "uid"),
            "PVC not replaced",
        );
        const replaced = Object.entries(result.summary.resourceChanges ?? {}).filter(
            ([op]) => op === "replace" || op === "delete",
        );
        // Two licence Secrets, the login Secret, IKO's configSource (CSPSystem's hash in common.cpf),
        // and the pull secrets of namespaces iris and iko.
        assert.deepStrictEqual(replaced, [["replace", 6]]);
        assertNoSentinels(await c.e.exportText(), "state after the rotation");
    });

    it("destroy removes everything the stack made; only the released PersistentVolume data stays (Retain)", async function () {
        const result = await timed("real API server: destroy", () =>
            c.e.stack.destroy({ onOutput: () => undefined }).catch(engineError),
        );
        assert.strictEqual(result.summary.result, "succeeded");
        assert.strictEqual(await read("/apis/apps/v1/namespaces/iris/deployments/iris"), undefined);
        assert.strictEqual(await irisCluster(), undefined);
        assert.strictEqual(
            await read("/apis/apps/v1/namespaces/iko/deployments/iris-operator"),
            undefined,
            "the operator release is uninstalled",
        );
        const ns = await read("/api/v1/namespaces/iris");
        assert.ok(
            !ns || get(ns, "status", "phase") === "Terminating",
            "the IRIS namespace is deleted",
        );
        const pvs = (get(await read("/api/v1/persistentvolumes"), "items") as Obj[]).filter(
            (pv) => get(pv, "spec", "claimRef", "namespace") === "iris",
        );
        for (const pv of pvs)
            assert.strictEqual(
                get(pv, "status", "phase"),
                "Released",
                "IRIS's volume is kept (Retain), not deleted",
            );
    });
});
