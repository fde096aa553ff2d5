/**
 * The destroy guard: its decision (sets, their age, the override → allow or refuse with a
 * message naming the fix), its config, and where the program puts it (prod has one that every
 * IRIS instance depends on, with the kubeconfig secret; dev has none).
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { setLabels } from "../components/iris/backup-script";
import {
    completeSets,
    destroyDecision,
    setIdTime,
    type BackupItem,
    type GuardPolicy,
} from "../components/iris/destroy-guard-decision";
import { destroyGuardProvider } from "../components/iris/destroy-guard";
import { buildStack } from "./build-stack";
import { isSecretValue } from "./mocks";
import { rejectsKey, problemsOf } from "./config-helpers";

const L = setLabels;
const policy: GuardPolicy = {
    instances: ["iris/iris"],
    maxBackupAgeHours: 24,
    allowWithoutBackup: false,
    labels: { set: L.set, instance: L.instance, size: L.size, state: L.state },
};
const now = Date.UTC(2026, 11, 3, 10, 0, 0); // 20261203T100000Z
const hours = (h: number) => h * 3_600_000;

/** One Backup CR of a set, as the backup script labels it and Longhorn completes it. */
function backup(
    set: string,
    size: number,
    extra: { state?: string; instance?: string; failed?: boolean; deleting?: boolean } = {},
): BackupItem {
    const labels = {
        [L.set]: set,
        [L.instance]: extra.instance ?? "iris.iris",
        [L.size]: String(size),
    };
    return {
        metadata: {
            labels: extra.failed ? { [L.state]: "failed" } : {},
            deletionTimestamp: extra.deleting ? "2026-12-03T09:00:00Z" : undefined,
        },
        spec: { labels },
        status: { state: extra.state ?? "Completed" },
    };
}

describe("destroy guard: decision", function () {
    it("allows with a complete set younger than maxBackupAgeHours", function () {
        const d = destroyDecision([backup("20261203T020000Z", 1)], policy, now);
        assert.strictEqual(d.allow, true, d.message);
        assert.match(d.message, /iris\/iris: complete backup set 20261203T020000Z \(8 h old\)/);
    });

    it("refuses without any set, naming the fix, the age key and the override", function () {
        const d = destroyDecision([], policy, now);
        assert.strictEqual(d.allow, false);
        assert.match(d.message, /destroy refused/);
        assert.match(d.message, /iris\/iris: no complete backup set newer than 24 h; none found/);
        assert.match(d.message, /kubectl -n iris create job --from=cronjob\/iris-backup /);
        assert.match(d.message, /iris\.destroyGuard\.maxBackupAgeHours/);
        assert.match(
            d.message,
            /pulumi config set --path iris-platform:iris\.destroyGuard\.allowWithoutBackup true, pulumi up, then pulumi destroy/,
        );
    });

    it("refuses when the newest complete set is older, naming it; the boundary is inclusive", function () {
        const set = "20261202T100000Z"; // exactly 24 h before `now`
        assert.strictEqual(destroyDecision([backup(set, 1)], policy, now).allow, true);
        const d = destroyDecision([backup(set, 1)], policy, now + 1000);
        assert.strictEqual(d.allow, false);
        assert.match(d.message, /the newest is 20261202T100000Z \(24 h old\)/);
        assert.strictEqual(
            destroyDecision([backup(set, 1)], { ...policy, maxBackupAgeHours: 48 }, now + hours(3))
                .allow,
            true,
        );
    });

    it("counts only complete sets: every volume Completed, none failed, deleting or of another instance", function () {
        const fresh = "20261203T090000Z";
        const old = "20261130T090000Z";
        const cases: [string, BackupItem[]][] = [
            ["one of two volumes", [backup(fresh, 2)]],
            ["an Error volume", [backup(fresh, 2), backup(fresh, 2, { state: "Error" })]],
            ["a set marked failed", [backup(fresh, 1, { failed: true })]],
            ["a Backup being deleted", [backup(fresh, 1, { deleting: true })]],
            ["another instance's set", [backup(fresh, 1, { instance: "iris.other" })]],
            ["an InProgress volume", [backup(fresh, 1, { state: "InProgress" })]],
        ];
        for (const [what, items] of cases) {
            const d = destroyDecision([...items, backup(old, 1)], policy, now);
            assert.strictEqual(d.allow, false, what);
            assert.match(d.message, /the newest is 20261130T090000Z/, what);
        }
        const two = [backup(fresh, 2), backup(fresh, 2)];
        assert.deepStrictEqual(completeSets(two, "iris.iris", policy.labels), [fresh]);
    });

    it("reads set labels from status.labels too (a cluster that found the set on the target)", function () {
        const item: BackupItem = {
            status: {
                state: "Completed",
                labels: { [L.set]: "20261203T090000Z", [L.instance]: "iris.iris", [L.size]: "1" },
            },
        };
        assert.strictEqual(destroyDecision([item], policy, now).allow, true);
    });

    it("needs a fresh set of every instance and names only those without", function () {
        const p = { ...policy, instances: ["iris/iris", "dr/copy"] };
        const d = destroyDecision([backup("20261203T090000Z", 1)], p, now);
        assert.strictEqual(d.allow, false);
        assert.match(d.message, /dr\/copy: no complete backup set/);
        assert.doesNotMatch(d.message, /iris\/iris: no complete/);
        assert.match(d.message, /kubectl -n dr create job --from=cronjob\/copy-backup/);
    });

    it("allowWithoutBackup lets the destroy go on and says so", function () {
        const d = destroyDecision([], { ...policy, allowWithoutBackup: true }, now);
        assert.strictEqual(d.allow, true);
        assert.match(d.message, /allowWithoutBackup is true: deleting the data anyway/);
    });

    it("set ids are UTC times; anything else is no set", function () {
        assert.strictEqual(setIdTime("20261203T100000Z"), now);
        for (const bad of ["20261340T000000Z", "20260231T000000Z", "2026-12-03", "latest"])
            assert.ok(Number.isNaN(setIdTime(bad)), bad);
        assert.strictEqual(
            destroyDecision([backup("20261340T000000Z", 1)], policy, now).allow,
            false,
        );
    });
});

describe("destroy guard: config", function () {
    const base = {
        cluster: { provider: "gke", gke: { project: "p", region: "europe-west1" } },
        iris: { instances: [{ name: "iris" }] },
    };
    const secrets = { irisPassword: pulumi.secret("x") };

    it("defaults: off, 24 h, no override", function () {
        assert.deepStrictEqual(problemsOf(base, secrets), []);
    });

    it("refuses enabled without a backup target, and with an instance that takes no sets", function () {
        rejectsKey(
            { ...base, iris: { ...base.iris, destroyGuard: { enabled: true } } },
            "iris.destroyGuard.enabled",
            /needs longhorn\.backup\.enabled/,
            secrets,
        );
        rejectsKey(
            {
                ...base,
                longhorn: { backup: { enabled: true } },
                iris: {
                    destroyGuard: { enabled: true },
                    instances: [{ name: "iris", backup: { enabled: false } }],
                },
            },
            "iris.destroyGuard.enabled",
            /iris\/iris has backup\.enabled false/,
            secrets,
        );
    });

    it("refuses a platform-made store that the destroy deletes (retainStore false); a named target passes", function () {
        const guarded = { destroyGuard: { enabled: true }, instances: [{ name: "iris" }] };
        rejectsKey(
            { ...base, longhorn: { backup: { enabled: true, retainStore: false } }, iris: guarded },
            "iris.destroyGuard.enabled",
            /needs longhorn\.backup\.retainStore true.*deletes the backup store/,
            secrets,
        );
        assert.deepStrictEqual(
            problemsOf(
                { ...base, longhorn: { backup: { enabled: true } }, iris: guarded },
                secrets,
            ),
            [],
        );
        const named = {
            enabled: true,
            retainStore: false,
            target: "s3://my-bucket@eu-west-1/iris/",
        };
        const keys = {
            backupAccessKeyId: pulumi.secret("k"),
            backupSecretAccessKey: pulumi.secret("s"),
        };
        assert.deepStrictEqual(
            problemsOf(
                { ...base, longhorn: { backup: named }, iris: guarded },
                { ...secrets, ...keys },
            ),
            [],
        );
    });

    it("refuses an age outside 1–8760 hours", function () {
        for (const v of [0, 8761, 1.5])
            rejectsKey(
                { ...base, iris: { ...base.iris, destroyGuard: { maxBackupAgeHours: v } } },
                "iris.destroyGuard.maxBackupAgeHours",
                /./,
                secrets,
            );
    });
});

describe("destroy guard: in the stacks (under mocks)", function () {
    const guardType = "pulumi-nodejs:dynamic:IrisDestroyGuard";

    it("prod: one guard, on an explicit pulumi-nodejs provider, with the kubeconfig secret, that every IRIS instance waits behind", async function () {
        const { recording } = await buildStack("prod");
        const [guard] = recording.ofType(guardType);
        assert.ok(guard, `no ${guardType}`);
        assert.strictEqual(recording.providerOf(guard)?.type, "pulumi:providers:pulumi-nodejs");
        assert.ok(isSecretValue(guard.rawInputs.kubeconfig), "kubeconfig is a secret input");
        assert.deepStrictEqual(guard.inputs.instances, ["iris/iris"]);
        assert.strictEqual(guard.inputs.maxBackupAgeHours, 24);
        assert.strictEqual(guard.inputs.allowWithoutBackup, false);
        assert.strictEqual(guard.inputs.longhornNamespace, "longhorn-system");
        // Deleted first: it depends on the IrisCluster (and so on its namespace and Longhorn).
        const ic = recording.ofType("kubernetes:intersystems.com/v1alpha1:IrisCluster")[0];
        assert.ok(ic && recording.dependsOn(guard, ic), "the guard depends on the IrisCluster");
        const longhorn = recording
            .ofType("kubernetes:helm.sh/v3:Release")
            .find((r) => r.name.includes("longhorn"));
        assert.ok(longhorn && recording.dependsOn(guard, longhorn), "and on Longhorn");
        // On every other resource: the engine deletes nothing before it (providers go last anyway).
        const missed = recording.resources
            .filter((r) => r.custom && r !== guard && !r.type.startsWith("pulumi:providers:"))
            .filter((r) => !recording.dependsOn(guard, r))
            .map((r) => r.urn);
        assert.deepStrictEqual(missed, []);
    });

    it("dev: no guard (destroy deletes the data)", async function () {
        const { recording } = await buildStack("dev");
        assert.deepStrictEqual(recording.ofType(guardType), []);
    });
});

describe("destroy guard: the provider's steps", function () {
    // An API server nobody answers on, and a token that must never appear in a message.
    const kubeconfig = [
        "apiVersion: v1",
        "kind: Config",
        "clusters: [{name: c, cluster: {server: 'https://127.0.0.1:9'}}]",
        "users: [{name: u, user: {token: E2E-SENTINEL-GUARD-TOKEN}}]",
        "contexts: [{name: x, context: {cluster: c, user: u}}]",
        "current-context: x",
    ].join("\n");
    const inputs = {
        ...policy,
        kubeconfig,
        context: "",
        longhornNamespace: "longhorn-system",
        instances: ["iris/iris"],
    };
    const p = destroyGuardProvider;

    it("create and an update that keeps every instance read nothing (up and preview never fail on it)", async function () {
        assert.ok(p.update);
        await p.create(inputs);
        await p.update("iris-destroy-guard", inputs, { ...inputs, maxBackupAgeHours: 48 });
    });

    it("delete refuses when the cluster cannot be read, naming the override and no secret", async function () {
        assert.ok(p.delete);
        await assert.rejects(p.delete("iris-destroy-guard", inputs), (err: Error) => {
            assert.match(
                err.message,
                /destroy refused: cannot read Longhorn's Backups in longhorn-system/,
            );
            assert.match(err.message, /allowWithoutBackup true, pulumi up, then pulumi destroy/);
            assert.doesNotMatch(err.message, /E2E-SENTINEL-GUARD-TOKEN/);
            return true;
        });
    });

    it("delete refuses when the credential plugin writes no JSON, without quoting what it wrote", async function () {
        assert.ok(p.delete);
        // Node's JSON.parse error quotes the input's start ("E2E-SENTIN"...): none of it may show.
        const execKc = kubeconfig.replace(
            "user: {token: E2E-SENTINEL-GUARD-TOKEN}",
            "user: {exec: {command: sh, args: ['-c', 'echo E2E-SENTINEL-GUARD-TOKEN'], apiVersion: client.authentication.k8s.io/v1}}",
        );
        assert.notStrictEqual(execKc, kubeconfig);
        await assert.rejects(
            p.delete("iris-destroy-guard", { ...inputs, kubeconfig: execKc }),
            (err: Error) => {
                assert.match(err.message, /destroy refused: cannot read Longhorn's Backups/);
                assert.match(
                    err.message,
                    /credential plugin sh wrote output that is not valid JSON/,
                );
                assert.doesNotMatch(err.message, /E2E-SENT/);
                return true;
            },
        );
    });

    it("delete with allowWithoutBackup goes through without reading the cluster", async function () {
        assert.ok(p.delete);
        await p.delete("iris-destroy-guard", { ...inputs, allowWithoutBackup: true });
    });

    it("an update that drops an instance checks that instance (its resources are deleted after)", async function () {
        assert.ok(p.update);
        const two = { ...inputs, instances: ["iris/iris", "dr/copy"] };
        await assert.rejects(p.update("iris-destroy-guard", two, inputs), /destroy refused/);
    });
});
