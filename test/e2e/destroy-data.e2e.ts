/**
 * What `pulumi destroy` does to IRIS data, through the real engine, the real kubernetes provider
 * and a real API server with Longhorn installed from its chart (IRIS_E2E_CHARTS_DIR), on a stack
 * with `iris.destroyGuard` (as prod): the guard's delete reads Longhorn's Backup CRs through the
 * stack's kubeconfig and refuses without a fresh complete set — nothing is deleted — then lets
 * the destroy through with one, or with the deliberate override applied by `up`.
 *
 * What remains after the destroy, as this tier can show it: the IRIS PV (Retain) is kept and
 * Released; the claim goes with its namespace; Longhorn's CRDs go with its release, and with them
 * every Backup and Volume CR in the cluster.
 *
 * STAND-IN: no Longhorn manager runs here (kwok nodes), so the test plays its part: it makes the
 * PV Longhorn would provision (provisionDurableIrisVolume) and writes the Backup CRs a finished
 * set leaves, shaped as the backup script labels them and Longhorn v1.12.1 completes them
 * (longhorn-manager k8s/pkg/apis/longhorn/v1beta2/backup.go). Not proven here: Longhorn's
 * uninstall job deleting every Longhorn volume (it needs the manager; kwok only completes the
 * Job's pod), the data in a backup store, and a cloud store kept by retainOnDelete (unit tests
 * check the option; docs/backup.md).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { setLabels } from "../../components/iris/backup-script";
import { listBackups } from "../../components/iris/destroy-guard";
import { assertNoSentinels, engineError, provisionDurableIrisVolume, timed } from "./helpers";
import {
    backupStoreSecrets,
    e2eBackupTarget,
    longhornApi,
    longhornBackupStack,
    longhornChartMissing,
} from "./longhorn-stack";
import { get, useRealCluster, type Obj } from "./real-cluster";

const lh = longhornApi;

const both = ["iris", "second"];

function config(allowWithoutBackup = false, names = both): Record<string, unknown> {
    return longhornBackupStack(
        "iris-teardown",
        {
            "iris-platform:iris": {
                destroyGuard: { enabled: true, allowWithoutBackup },
                instances: names.map((name) => ({ name, namespace: "iris" })),
            },
        },
        {},
    );
}

/** The set id (the freeze's UTC time, YYYYMMDDTHHMMSSZ) of a set taken `hoursAgo` hours ago. */
function setIdHoursAgo(hoursAgo: number): string {
    const t = new Date(Date.now() - hoursAgo * 3_600_000).toISOString();
    return `${t.slice(0, 19).replace(/[-:]/g, "")}Z`;
}

describe("destroy and IRIS data (destroy guard, Longhorn's chart) on a real API server", function () {
    const c = useRealCluster("teardown", () => config(), longhornChartMissing, backupStoreSecrets);
    const urns = async () =>
        ((await c.e.stack.exportStack()).deployment as { resources: { urn: string }[] }).resources
            .map((r) => r.urn)
            .sort();
    const destroy = () => c.e.stack.destroy({ onOutput: () => undefined });

    /** A Completed Backup of a one-volume set of iris/<instance>, as a finished set leaves it. */
    async function completedSet(set: string, instance: string): Promise<void> {
        const labels = {
            [setLabels.set]: set,
            [setLabels.instance]: `iris.${instance}`,
            [setLabels.size]: "1",
            [setLabels.claim]: `${instance}-durable`,
        };
        const name = `pvc-e2e-${instance}-${set.toLowerCase()}`;
        const made = await c.cp.api("POST", `${lh}/backups`, {
            apiVersion: "longhorn.io/v1beta2",
            kind: "Backup",
            metadata: { name, labels: { ...labels, "backup-volume": "pvc-e2e" } },
            spec: { snapshotName: name, labels },
        });
        assert.ok(made.status < 300, `Backup: HTTP ${made.status} ${JSON.stringify(made.body)}`);
        const status = await c.cp.api("PATCH", `${lh}/backups/${name}/status`, {
            status: {
                state: "Completed",
                url: `${e2eBackupTarget}?backup=${name}`,
                labels,
            },
        });
        assert.ok(status.status < 300, `Backup status: HTTP ${status.status}`);
    }

    /**
     * The PVs Longhorn would provision for both durable claims (stand-in; the helper makes
     * iris-durable's, this one the second instance's in the same shape).
     */
    async function provisionVolumes(): Promise<void> {
        for (const pv of ["e2e-iris-durable", "e2e-second-durable"]) {
            await c.cp.api("DELETE", `/api/v1/persistentvolumes/${pv}`);
            for (let i = 0; i < 50 && (await c.read(`/api/v1/persistentvolumes/${pv}`)); i++)
                await new Promise((r) => setTimeout(r, 200));
        }
        await provisionDurableIrisVolume(c.cp);
        await provisionDurableIrisVolume(c.cp, "second", "pvc-e2e-second");
    }

    it("up creates the guard with IRIS and Longhorn; its kubeconfig stays secret in the state", async function () {
        await provisionVolumes();
        const result = await timed("teardown: up", () =>
            c.e.stack.up({ onOutput: () => undefined }).catch(engineError),
        );
        assert.strictEqual(result.summary.result, "succeeded");
        assert.ok((await urns()).some((u) => u.endsWith("IrisDestroyGuard::iris-destroy-guard")));
        const pvc = await c.read("/api/v1/namespaces/iris/persistentvolumeclaims/iris-durable");
        assert.strictEqual(get(pvc, "status", "phase"), "Bound");
        const state = await c.e.exportText();
        assertNoSentinels(state, "teardown state");
        assert.ok(!state.includes(c.cp.kubeconfig.slice(0, 200)), "no kubeconfig in plain text");
    });

    it("the guard's client also signs in through an exec credential plugin (GKE's and AKS's kubeconfigs)", async function () {
        // A plugin as client-go runs one: it gets KUBERNETES_EXEC_INFO and prints an ExecCredential
        // (kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins).
        const pki = path.join(c.cp.dir, "pki");
        const seen = path.join(c.cp.dir, "exec-info.json");
        const plugin = path.join(c.cp.dir, "exec-plugin.js");
        fs.writeFileSync(
            plugin,
            `const fs = require("fs");
fs.writeFileSync(process.env.SEEN, process.env.KUBERNETES_EXEC_INFO);
process.stdout.write(JSON.stringify({
  apiVersion: "client.authentication.k8s.io/v1", kind: "ExecCredential",
  status: { clientCertificateData: fs.readFileSync(process.env.PKI + "/admin.crt", "utf8"),
            clientKeyData: fs.readFileSync(process.env.PKI + "/admin.key", "utf8") } }));`,
        );
        const kubeconfig = JSON.stringify({
            apiVersion: "v1",
            kind: "Config",
            clusters: [
                {
                    name: "e2e",
                    cluster: { server: c.cp.server, "certificate-authority": `${pki}/ca.crt` },
                },
            ],
            users: [
                {
                    name: "plugin",
                    user: {
                        exec: {
                            apiVersion: "client.authentication.k8s.io/v1",
                            command: process.execPath,
                            args: [plugin],
                            env: [
                                { name: "SEEN", value: seen },
                                { name: "PKI", value: pki },
                            ],
                            provideClusterInfo: true,
                            interactiveMode: "Never",
                        },
                    },
                },
            ],
            contexts: [{ name: "plugin", context: { cluster: "e2e", user: "plugin" } }],
            "current-context": "plugin",
        });
        assert.deepStrictEqual(await listBackups(kubeconfig, "", "longhorn-system"), []);
        const info = JSON.parse(fs.readFileSync(seen, "utf8")) as Obj;
        assert.strictEqual(get(info, "kind"), "ExecCredential");
        assert.strictEqual(get(info, "spec", "interactive"), false);
        assert.strictEqual(get(info, "spec", "cluster", "server"), c.cp.server);
    });

    it("destroy without any backup set refuses and deletes nothing", async function () {
        const before = await urns();
        await assert.rejects(
            destroy(),
            /destroy refused, the IRIS data would be lost:[\s\S]*iris\/iris: no complete backup set newer than 24 h; none found[\s\S]*allowWithoutBackup/,
        );
        const now = await urns();
        assert.deepStrictEqual(
            before.filter((u) => !now.includes(u)),
            [],
            "a refused destroy deletes nothing",
        );
        const pvc = await c.read("/api/v1/namespaces/iris/persistentvolumeclaims/iris-durable");
        assert.strictEqual(get(pvc, "metadata", "deletionTimestamp"), undefined);
        assert.ok(await c.read("/apis/apps/v1/namespaces/iris/deployments/iris"));
    });

    it("up that drops an instance without a fresh set of it refuses before deleting its resources", async function () {
        await c.e.setConfig(config(false, ["iris"]));
        await assert.rejects(
            c.e.stack.up({ onOutput: () => undefined }),
            /destroy refused[\s\S]*iris\/second: no complete backup set newer than 24 h/,
        );
        assert.ok(await c.read("/apis/apps/v1/namespaces/iris/deployments/second"));
        const pvc = await c.read("/api/v1/namespaces/iris/persistentvolumeclaims/second-durable");
        assert.strictEqual(get(pvc, "metadata", "deletionTimestamp"), undefined);
        await c.e.setConfig(config());
    });

    it("a complete set older than maxBackupAgeHours is named and refused", async function () {
        const old = setIdHoursAgo(30);
        for (const i of both) await completedSet(old, i);
        const before = await urns();
        await assert.rejects(destroy(), new RegExp(`the newest is ${old} \\(30 h old\\)`));
        const now = await urns();
        assert.deepStrictEqual(
            before.filter((u) => !now.includes(u)),
            [],
            "a refused destroy deletes nothing",
        );
    });

    it("with a fresh complete set destroy succeeds; the Retain PV remains, Longhorn's CRs go with its CRDs", async function () {
        for (const i of both) await completedSet(setIdHoursAgo(1), i);
        const result = await timed("teardown: destroy", () => destroy().catch(engineError));
        assert.strictEqual(result.summary.result, "succeeded");
        const pv = await c.read("/api/v1/persistentvolumes/e2e-iris-durable");
        assert.ok(pv, "the IRIS PV is kept (reclaimPolicy Retain)");
        const ns = await c.read("/api/v1/namespaces/iris");
        assert.ok(!ns || get(ns, "status", "phase") === "Terminating", "namespace iris goes");
        for (const crd of ["backups.longhorn.io", "volumes.longhorn.io"]) {
            const o = await c.read(
                `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd}`,
            );
            assert.ok(!o || get(o, "metadata", "deletionTimestamp"), `CRD ${crd} is deleted`);
        }
        const backups = await c.read(`${lh}/backups`);
        assert.deepStrictEqual((get(backups, "items") as Obj[] | undefined) ?? [], []);
    });

    it("the deliberate override (allowWithoutBackup, applied by up) lets destroy through without a set", async function () {
        // A new claim cannot bind a Released PV (its claimRef names the old claim's uid).
        await provisionVolumes();
        await c.e.setConfig(config(true));
        await c.e.stack.up({ onOutput: () => undefined }).catch(engineError);
        const result = await destroy().catch(engineError);
        assert.strictEqual(result.summary.result, "succeeded");
    });
});
