/**
 * The backup-set and restore scripts, run for real by bash against a fake kubectl
 * (test/fixtures/fake-kubectl.sh): the order freeze → snapshots → thaw → backups, thaw on
 * every failure, failed sets never counted, pruning by whole sets, and restores that refuse
 * to land on existing data. Needs bash and jq (README, .ci/run).
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import { renderBackupScript, setLabels } from "../components/iris/backup-script";
import { renderRestoreScript } from "../components/iris/restore-script";
import { at, backup, count, run } from "./fakes/script-run";

const backupEnv = {
    NAMESPACE: "iris",
    INSTANCE: "iris",
    POD_SELECTOR: "app.kubernetes.io/instance=iris",
    CONTAINER: "iris",
    LONGHORN_NAMESPACE: "longhorn-system",
    RETAIN: "2",
    FREEZE_TIMEOUT: "30",
    BACKUP_TIMEOUT: "30",
    SET_ID: "20261130T020000Z",
};

describe("backup-set script (bash, fake kubectl)", function () {
    const script = renderBackupScript();

    it("is valid bash", function () {
        const r = spawnSync("bash", ["-n"], { input: script, encoding: "utf8" });
        assert.strictEqual(r.status, 0, r.stderr);
    });

    it("freezes, snapshots every volume, thaws, then backs each snapshot up as one labelled set", function () {
        const r = run(script, { ...backupEnv, FAKE_CLAIMS: "iris-data iris-wij iris-journal1" });
        assert.strictEqual(r.status, 0, r.stderr);
        const freeze = at(r, "ExternalFreeze");
        const thaw = at(r, "ExternalThaw");
        assert.ok(freeze >= 0 && thaw > freeze);
        assert.strictEqual(count(r, "created Snapshot"), 3);
        assert.ok(r.calls.every((c, i) => !c.startsWith("created Snapshot") || i > freeze));
        assert.ok(r.calls.every((c, i) => !c.startsWith("created Snapshot") || i < thaw));
        assert.strictEqual(count(r, "created Backup"), 3);
        assert.ok(at(r, "created Backup") > thaw, "backups upload after the thaw");
        assert.ok(at(r, "exec -n iris iris-0 -c iris --") >= 0, "runs in the IRIS container");
        assert.ok(at(r, "event Normal BackupSetCompleted: set 20261130T020000Z") >= 0);
        assert.match(r.calls[at(r, "BackupSetCompleted: set")], /3 volumes, journal 20261130\.002/);
    });

    for (const [why, env, reason] of [
        ["a snapshot cannot be made", { FAKE_FAIL_SNAPSHOT: "1" }, /could not snapshot iris-data/],
        ["the freeze fails", { FAKE_FREEZE_RC: "3" }, /ExternalFreeze exited 3/],
        ["a backup ends in Error", { FAKE_BACKUP_STATE: "Error" }, /target unreachable/],
    ] as const) {
        it(`thaws and fails the set loudly when ${why}`, function () {
            const r = run(script, { ...backupEnv, ...env });
            assert.strictEqual(r.status, 1);
            assert.strictEqual(count(r, "ExternalThaw"), 1, "thawed exactly once");
            const failed = r.calls.find((c) => c.startsWith("event Warning BackupSetFailed"));
            assert.ok(failed, "a Warning Event says the set failed");
            assert.match(failed, reason);
            assert.strictEqual(count(r, "BackupSetCompleted"), 0);
        });
    }

    it("labels the backups of a failed set failed, so they never count as a good set", function () {
        const r = run(script, { ...backupEnv, FAKE_BACKUP_STATE: "Error" });
        assert.strictEqual(count(r, `${setLabels.state}=failed`), 2);
    });

    it("keeps the newest RETAIN complete sets and deletes older sets whole", function () {
        const old = ["20261127T020000Z", "20261128T020000Z", "20261129T020000Z"];
        const existing = old.flatMap((s) => [backup(s, "iris-data"), backup(s, "iris-wij")]);
        const r = run(script, backupEnv, existing);
        assert.strictEqual(r.status, 0, r.stderr);
        const deleted = r.calls.filter((c) => c.includes("delete -n longhorn-system backups"));
        // Kept: today's set and 20261129; deleted: both volumes of 27 and 28.
        assert.strictEqual(deleted.length, 4, deleted.join("\n"));
        assert.ok(deleted.every((c) => /2026112[78]t/.test(c)));
    });
});

const restoreEnv = {
    SOURCE: "iris.iris",
    SET: "latest",
    TARGET_NAMESPACE: "iris",
    TARGET_INSTANCE: "iris",
    TARGET_KIND: "iko",
    STORAGE_CLASS: "longhorn-iris",
    REPLICAS: "3",
    LONGHORN_NAMESPACE: "longhorn-system",
    RESOLVE_TIMEOUT: "0",
    RESTORE_TIMEOUT: "30",
};

describe("restore script (bash, fake kubectl)", function () {
    const script = renderRestoreScript();
    const complete = (set: string) =>
        ["data", "wij", "journal1", "journal2"].map((v) => backup(set, `iris-${v}-iris-data-0`, 4));

    it("is valid bash", function () {
        const r = spawnSync("bash", ["-n"], { input: script, encoding: "utf8" });
        assert.strictEqual(r.status, 0, r.stderr);
    });

    it("restores the latest complete set, skipping a newer partial one, into the claims IKO adopts", function () {
        const partial = complete("20261130T020000Z").slice(0, 3);
        const r = run(script, restoreEnv, [...complete("20261129T020000Z"), ...partial]);
        assert.strictEqual(r.status, 0, r.stderr);
        assert.match(r.stdout, /set=20261129T020000Z journal=20261129\.001/);
        assert.strictEqual(count(r, "created Volume"), 4);
        assert.strictEqual(count(r, "created PersistentVolume restore-iris-"), 4);
        assert.ok(at(r, "created PersistentVolumeClaim iris-journal2-iris-data-0") >= 0);
    });

    it("restores a named set into another instance's claims", function () {
        const sets = [...complete("20261128T020000Z"), ...complete("20261129T020000Z")];
        const r = run(
            script,
            { ...restoreEnv, SET: "20261128T020000Z", TARGET_INSTANCE: "drill" },
            sets,
        );
        assert.strictEqual(r.status, 0, r.stderr);
        assert.match(r.stdout, /set=20261128T020000Z/);
        assert.ok(at(r, "created PersistentVolumeClaim iris-data-drill-data-0") >= 0);
    });

    it("refuses to restore over a claim that exists, and creates nothing", function () {
        const r = run(script, { ...restoreEnv, FAKE_EXISTING: "iris/iris-wij-iris-data-0" }, [
            ...complete("20261129T020000Z"),
        ]);
        assert.strictEqual(r.status, 1);
        assert.match(r.stderr, /refusing to restore over it/);
        assert.strictEqual(count(r, "created Volume"), 0);
    });

    it("fails when no complete set exists, and when the set's kind does not match the instance", function () {
        const none = run(script, restoreEnv, complete("20261129T020000Z").slice(0, 2));
        assert.strictEqual(none.status, 1);
        assert.match(none.stderr, /no complete backup set 'latest' of iris\.iris/);
        const kind = run(script, { ...restoreEnv, TARGET_KIND: "standalone" }, [
            ...complete("20261129T020000Z"),
        ]);
        assert.strictEqual(kind.status, 1);
        assert.match(kind.stderr, /restores into an IKO instance only/);
    });
});
