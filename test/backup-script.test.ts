/**
 * The restore script, run for real by bash against a fake kubectl (test/fixtures/fake-kubectl.sh):
 * restores that pick complete sets and refuse to land on existing data. Needs bash and jq
 * (README, .ci/run). The backup-set script's tests are in backup-set.test.ts.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import { renderRestoreScript } from "../components/iris/restore-script";
import { at, backup, count, run } from "./fakes/script-run";

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
