/**
 * Safe IRIS upgrades on a real API server (Longhorn's real CRDs from IRIS_E2E_CHARTS_DIR, the
 * stand-in IKO chart and CRD): an image change on a durable and an IKO instance runs each
 * instance's pre-upgrade backup Job first and only then updates the Deployment / IrisCluster,
 * replacing no claim or volume; the API server's own ValidatingAdmissionPolicy refuses a
 * downgrade, and a hand-removed or garbled release annotation; a failing pre-upgrade Job stops the `up` with the workload unchanged.
 *
 * STAND-INS: kwok completes Job pods without running them, so the pre-upgrade script itself is
 * run here with the built kubectl as the Job's ServiceAccount (a TokenRequest token), its backup
 * step replaced by a stub (the set itself is proven in backup-rbac.e2e.ts). A failing Job is
 * played by keeping its pod off every node (cordoned) and marking it Failed, as a kubelet would
 * after the script exits 1. The PV of the durable claim is the one Longhorn would provision.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { preUpgradeJobName, preUpgradeScript } from "../../components/iris/pre-upgrade";
import {
    engineError,
    expectNoChanges,
    provisionDurableIrisVolume,
    timed,
    serviceAccountKubeconfig,
} from "./helpers";
import { backupStoreSecrets, longhornBackupStack, longhornChartMissing } from "./longhorn-stack";
import { get, useRealCluster, type Obj } from "./real-cluster";
import { standinIkoChart } from "./standin/iko";
import { toolchain } from "./toolchain";

const image = (tag: string) => `containers.intersystems.com/intersystems/iris-community:${tag}`;

function config(ikoChart: string, tag: string, attempt = 0): Record<string, unknown> {
    return longhornBackupStack("iris-upgrades", {
        "iris-platform:iko": {
            enabled: true,
            chart: { path: ikoChart },
            registry: { username: "e2e" },
        },
        "iris-platform:iris": {
            instances: [
                { name: "iris", namespace: "iris", image: image(tag), upgrade: { attempt } },
                {
                    name: "iko-iris",
                    namespace: "iris",
                    mode: "iko",
                    image: image(tag),
                    upgrade: { attempt },
                },
            ],
        },
    });
}

describe("safe IRIS upgrades on a real API server", function () {
    const ikoChart = standinIkoChart();
    const c = useRealCluster(
        "upgrades",
        () => config(ikoChart, "2025.1"),
        longhornChartMissing,
        backupStoreSecrets,
    );
    const ns = "/api/v1/namespaces/iris";
    const deployment = () => c.read("/apis/apps/v1/namespaces/iris/deployments/iris");
    const irisCluster = () =>
        c.read("/apis/intersystems.com/v1alpha1/namespaces/iris/irisclusters/iko-iris");
    /** Both workloads run the image of `tag`. */
    async function assertWorkloadsOn(tag: string): Promise<void> {
        assert.strictEqual(
            get(await deployment(), "spec", "template", "spec", "containers", 0, "image"),
            image(tag),
        );
        assert.strictEqual(
            get(await irisCluster(), "spec", "topology", "data", "image"),
            image(tag),
        );
    }
    const job = (instance: string, tag: string, attempt = 0) =>
        c.read(
            `/apis/batch/v1/namespaces/iris/jobs/${preUpgradeJobName(instance, keyOf(instance, tag, attempt))}`,
        );
    // The upgrade keys the program derives (components/iris/pre-upgrade.ts upgradeKey).
    const keyOf = (instance: string, tag: string, attempt = 0) =>
        (instance === "iris" ? image(tag) : `${image(tag)} iko=3.8.42 operator=3.8.42.100`) +
        (attempt > 0 ? ` attempt=${attempt}` : "");
    const uids = async () => {
        const pvc = await c.read(`${ns}/persistentvolumeclaims/iris-durable`);
        const pv = await c.read(
            `/api/v1/persistentvolumes/${String(get(pvc, "spec", "volumeName"))}`,
        );
        const ic = await irisCluster();
        return {
            pvc: get(pvc, "metadata", "uid"),
            pv: get(pv, "metadata", "uid"),
            irisCluster: get(ic, "metadata", "uid"),
            deployment: get(await deployment(), "metadata", "uid"),
        };
    };
    let before: Record<string, unknown> = {};

    /** `up`, collecting the engine's events (their order is the order of the steps). */
    async function up(): Promise<{ events: EngineEvent[]; error?: string }> {
        const events: EngineEvent[] = [];
        try {
            await c.e.stack.up({ onOutput: () => undefined, onEvent: (e) => events.push(e) });
            return { events };
        } catch (err) {
            try {
                engineError(err);
            } catch (e) {
                return { events, error: (e as Error).message };
            }
        }
        return { events };
    }
    const stepIndex = (events: EngineEvent[], pred: (m: Obj) => boolean, kind: string) =>
        events.findIndex((e) => {
            const m = (e as unknown as Record<string, { metadata?: Obj } | undefined>)[kind]
                ?.metadata;
            return m !== undefined && pred(m);
        });

    it("first deploy: each pre-upgrade Job exists and completed (nothing to back up yet), then the workloads", async function () {
        await provisionDurableIrisVolume(c.cp);
        const r = await timed("upgrades: first up", up);
        assert.strictEqual(r.error, undefined, r.error);
        for (const i of ["iris", "iko-iris"])
            assert.strictEqual(get(await job(i, "2025.1"), "status", "succeeded"), 1, i);
        assert.strictEqual(
            get(await deployment(), "metadata", "annotations", "iris-platform.io/iris-version"),
            "2025.1.0",
        );
        before = await uids();
        assert.ok(before.pvc && before.pv, JSON.stringify(before));
    });

    it("a second preview plans nothing (the Jobs and the policy have no perpetual diff)", async function () {
        await expectNoChanges(c.e.stack);
    });

    /** A kubeconfig for the instance's backup ServiceAccount (the pre-upgrade Job's account). */
    const jobKubeconfig = (account: string) => serviceAccountKubeconfig(c.cp, "iris", account);

    it("the pre-upgrade script, as the Job's account: skips an instance not yet deployed, backs up one that is, stops on a failed set", async function () {
        const stub = (code: number) => {
            const f = path.join(c.cp.dir, `stub-${code}.sh`);
            fs.writeFileSync(f, `echo STUB-BACKUP-SET; exit ${code}\n`);
            return f;
        };
        const run = (
            account: string,
            env: Record<string, string>,
            backup: string,
        ): Promise<{ code: number; out: string }> =>
            jobKubeconfig(account).then((kubeconfig) => {
                const r = spawnSync("bash", ["-c", preUpgradeScript(backup)], {
                    encoding: "utf8",
                    env: {
                        PATH: `${toolchain.binDir()}:${process.env.PATH ?? ""}`,
                        HOME: c.cp.dir,
                        KUBECONFIG: kubeconfig,
                        NAMESPACE: "iris",
                        UPGRADE_TO: "target",
                        ...env,
                    },
                });
                return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
            });
        const durable = { INSTANCE: "iris", WORKLOAD: "deployments.apps" };
        const ok = await run("iris-backup", durable, stub(0));
        assert.strictEqual(ok.code, 0, ok.out);
        assert.match(
            ok.out,
            /taking a consistent set before the upgrade to target\nSTUB-BACKUP-SET/,
        );
        const failed = await run("iris-backup", durable, stub(1));
        assert.strictEqual(failed.code, 1, failed.out);
        assert.match(
            failed.out,
            /pre-upgrade backup set of iris\/iris FAILED: the upgrade to target stops here/,
        );
        const absent = await run("iris-backup", { ...durable, INSTANCE: "not-yet" }, stub(1));
        assert.strictEqual(absent.code, 0, absent.out);
        assert.match(
            absent.out,
            /deployments\.apps not-yet does not exist yet \(first deploy\): nothing to back up/,
        );
        const ikoRun = await run(
            "iko-iris-backup",
            { INSTANCE: "iko-iris", WORKLOAD: "irisclusters.intersystems.com" },
            stub(0),
        );
        assert.strictEqual(ikoRun.code, 0, ikoRun.out);
        assert.match(ikoRun.out, /STUB-BACKUP-SET/);
        assert.doesNotMatch(`${ok.out}${ikoRun.out}`, /forbidden/i);
        // Another instance's account may not look (its Role grants its own namespace only, but
        // this one has no get on IrisClusters): the script fails rather than skip the set.
        const denied = await run(
            "iris-backup",
            { INSTANCE: "iko-iris", WORKLOAD: "irisclusters.intersystems.com" },
            stub(0),
        );
        assert.strictEqual(denied.code, 1, denied.out);
        assert.match(denied.out, /cannot tell whether the instance exists: .*forbidden/);
    });

    it("an image change: the plan replaces nothing; each pre-upgrade Job completes before its workload updates; claim and volume stay", async function () {
        await c.e.setConfig(config(ikoChart, "2025.2"));
        const plan = await c.e.stack.preview({ onOutput: () => undefined }).catch(engineError);
        const summary = plan.changeSummary as Record<string, number>;
        assert.ok(!summary.replace && !summary["create-replacement"], JSON.stringify(summary));
        assert.strictEqual(summary.create, 2, `the two new Jobs: ${JSON.stringify(summary)}`);
        assert.strictEqual(summary.delete, 2, `the two old Jobs: ${JSON.stringify(summary)}`);

        const r = await timed("upgrades: up (image change)", up);
        assert.strictEqual(r.error, undefined, r.error);
        for (const [instance, type, workload] of [
            ["iris", "kubernetes:batch/v1:Job", "kubernetes:apps/v1:Deployment"],
            [
                "iko-iris",
                "kubernetes:batch/v1:Job",
                "kubernetes:intersystems.com/v1alpha1:IrisCluster",
            ],
        ]) {
            const jobName = preUpgradeJobName(instance, keyOf(instance, "2025.2"));
            const jobDone = stepIndex(
                r.events,
                (m) =>
                    m.type === type && String(m.urn).includes(`pre-upgrade-${jobName.slice(-10)}`),
                "resOutputsEvent",
            );
            const updateStarts = stepIndex(
                r.events,
                (m) => m.type === workload && m.op === "update",
                "resourcePreEvent",
            );
            assert.ok(
                jobDone >= 0 && updateStarts > jobDone,
                `${instance}: Job done at ${jobDone}, update starts at ${updateStarts}`,
            );
            assert.strictEqual(get(await job(instance, "2025.2"), "status", "succeeded"), 1);
            assert.strictEqual(await job(instance, "2025.1"), undefined, "the old Job is gone");
        }
        await assertWorkloadsOn("2025.2");
        assert.strictEqual(
            get(await irisCluster(), "spec", "topology", "data", "compatibilityVersion"),
            "2025.2.0",
            "compatibilityVersion follows the image",
        );
        assert.deepStrictEqual(
            await uids(),
            before,
            "same claim, volume, Deployment and IrisCluster",
        );
    });

    it("a downgrade is refused by the API server's policy; the workloads stay on the newer IRIS", async function () {
        await c.e.setConfig(config(ikoChart, "2025.1"));
        const r = await timed("upgrades: up (downgrade)", up);
        assert.ok(r.error, "up failed");
        console.log(`    up reported: ${/IRIS cannot be downgraded[^\n]*/.exec(r.error)?.[0]}`);
        assert.match(
            r.error,
            /IRIS cannot be downgraded: iris\/(iris|iko-iris) runs IRIS 2025\.2\.0 and this update asks for 2025\.1\.0/,
        );
        await assertWorkloadsOn("2025.2");
        assert.deepStrictEqual(await uids(), before);
    });

    it("removing or garbling the release annotation by hand is refused too (no way around the guard)", async function () {
        const key = "iris-platform.io/iris-version";
        const paths = [
            "/apis/apps/v1/namespaces/iris/deployments/iris",
            "/apis/intersystems.com/v1alpha1/namespaces/iris/irisclusters/iko-iris",
        ];
        // A JSON merge patch with the key set to null removes it (RFC 7386), which is what
        // `kubectl annotate … iris-platform.io/iris-version-` leaves behind.
        for (const p of paths)
            for (const value of [null, "not-a-release"]) {
                const r = await c.cp.api("PATCH", p, {
                    metadata: { annotations: { [key]: value } },
                });
                assert.strictEqual(r.status, 403, `${p} ${value}: ${JSON.stringify(r.body)}`);
                // The policy's own message, not a CEL runtime error (int() of a non-number).
                assert.match(
                    String(get(r.body as Obj, "message")),
                    /IRIS cannot be downgraded: iris\/(iris|iko-iris) runs IRIS 2025\.2\.0 and this update asks for (not-a-release)?;/,
                    `${p} ${value}`,
                );
                assert.strictEqual(
                    get(await c.read(p), "metadata", "annotations", key),
                    "2025.2.0",
                );
            }
    });

    it("a failing pre-upgrade Job stops the upgrade: up reports the Job, the workloads are unchanged", async function () {
        await c.e.setConfig(config(ikoChart, "2025.3"));
        // Keep the new Jobs' pods off every node, then fail them as a kubelet would.
        const nodes = (get(await c.read("/api/v1/nodes"), "items") as Obj[]).map((n) =>
            String(get(n, "metadata", "name")),
        );
        const cordon = (on: boolean) =>
            Promise.all(
                nodes.map((n) =>
                    c.cp.api("PATCH", `/api/v1/nodes/${n}`, { spec: { unschedulable: on } }),
                ),
            );
        await cordon(true);
        let done = false;
        const failer = (async () => {
            while (!done) {
                const pods = (get(await c.read(`${ns}/pods`), "items") as Obj[] | undefined) ?? [];
                for (const p of pods) {
                    const name = String(get(p, "metadata", "name"));
                    if (!name.includes("-pre-upgrade-") || get(p, "status", "phase") !== "Pending")
                        continue;
                    const now = new Date().toISOString();
                    await c.cp.api("PATCH", `${ns}/pods/${name}/status`, {
                        status: {
                            phase: "Failed",
                            containerStatuses: [
                                {
                                    name: "backup",
                                    image: "backup-tools",
                                    imageID: "",
                                    ready: false,
                                    restartCount: 0,
                                    state: {
                                        terminated: {
                                            exitCode: 1,
                                            reason: "Error",
                                            message: "pre-upgrade backup set FAILED",
                                            startedAt: now,
                                            finishedAt: now,
                                        },
                                    },
                                },
                            ],
                        },
                    });
                }
                await new Promise((res) => setTimeout(res, 300));
            }
        })();
        const r = await timed("upgrades: up (failing pre-upgrade Job)", up).finally(() => {
            done = true;
        });
        await failer;
        await cordon(false);
        assert.ok(r.error, "up failed");
        console.log(`    up reported: ${/[^\n]*BackoffLimitExceeded[^\n]*/.exec(r.error)?.[0]}`);
        assert.match(r.error, /pre-upgrade-/, r.error);
        // The provider's Job await reports the Job controller's reason (backoffLimit 0).
        assert.match(r.error, /BackoffLimitExceeded/, r.error);
        assert.match(r.error, /failed|Failed/, r.error);
        assert.strictEqual(
            get(await deployment(), "spec", "template", "spec", "containers", 0, "image"),
            image("2025.2"),
            "the Deployment was not touched",
        );
        assert.strictEqual(
            get(await irisCluster(), "spec", "topology", "data", "image"),
            image("2025.2"),
        );
        assert.deepStrictEqual(await uids(), before);
    });

    it("after a failed set, a plain up fails again; a new upgrade.attempt is a new Job that takes the set, and the upgrade proceeds", async function () {
        const again = await timed("upgrades: up (retry without a new attempt)", up);
        assert.ok(again.error, "the failed Job is not re-run by itself");
        assert.strictEqual(
            get(await deployment(), "spec", "template", "spec", "containers", 0, "image"),
            image("2025.2"),
        );
        await c.e.setConfig(config(ikoChart, "2025.3", 1));
        const r = await timed("upgrades: up (upgrade.attempt 1)", up);
        assert.strictEqual(r.error, undefined, r.error);
        for (const instance of ["iris", "iko-iris"]) {
            assert.strictEqual(get(await job(instance, "2025.3", 1), "status", "succeeded"), 1);
            const failed = await c.cp.api(
                "GET",
                `/apis/batch/v1/namespaces/iris/jobs/${preUpgradeJobName(instance, keyOf(instance, "2025.3"))}`,
            );
            assert.strictEqual(failed.status, 404, "the failed Job is deleted once up succeeds");
        }
        await assertWorkloadsOn("2025.3");
        assert.deepStrictEqual(await uids(), before);
    });
});
