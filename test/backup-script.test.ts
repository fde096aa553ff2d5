/**
 * The backup-set and restore scripts, run for real by bash against a fake kubectl
 * (test/fixtures/fake-kubectl.sh): the order freeze → snapshots → thaw → backups, thaw on
 * every failure, failed sets never counted, pruning by whole sets. The restore script's tests are
 * test/restore-script.test.ts. Needs bash and jq (README, .ci/run).
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { renderBackupScript, setLabels } from "../components/iris/backup-script";

interface Run {
    readonly status: number | null;
    readonly calls: string[];
    readonly stderr: string;
    readonly stdout: string;
}

/** Runs `script` with the fake kubectl first on PATH; `backups` are the Backup CRs that exist. */
function run(script: string, env: Record<string, string>, backups: unknown[] = []): Run {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "iris-backup-"));
    fs.mkdirSync(path.join(dir, "bin"));
    fs.copyFileSync(
        path.join(__dirname, "fixtures", "fake-kubectl.sh"),
        path.join(dir, "bin", "kubectl"),
    );
    fs.chmodSync(path.join(dir, "bin", "kubectl"), 0o755);
    fs.writeFileSync(path.join(dir, "backups.json"), JSON.stringify({ items: backups }));
    fs.writeFileSync(path.join(dir, "script.sh"), script);
    const r = spawnSync("bash", [path.join(dir, "script.sh")], {
        env: {
            PATH: `${path.join(dir, "bin")}:${process.env.PATH ?? ""}`,
            FAKE_DIR: dir,
            ...env,
        },
        encoding: "utf8",
        timeout: 60_000,
    });
    const calls = fs.readFileSync(path.join(dir, "calls"), "utf8").trim().split("\n");
    fs.rmSync(dir, { recursive: true, force: true });
    return { status: r.status, calls, stderr: r.stderr, stdout: r.stdout };
}

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

/** Index of the first call containing `text` (-1 when none). */
const at = (r: Run, text: string) => r.calls.findIndex((c) => c.includes(text));
const count = (r: Run, text: string) => r.calls.filter((c) => c.includes(text)).length;

/** A Completed Backup CR of set `set` of instance iris.iris. */
function backup(set: string, claim: string, size = 2, state = "Completed"): unknown {
    const labels = {
        [setLabels.set]: set,
        [setLabels.instance]: "iris.iris",
        [setLabels.size]: String(size),
        [setLabels.claim]: claim,
        [setLabels.journal]: "20261129.001",
    };
    return {
        metadata: { name: `${claim}-${set.toLowerCase()}`, labels },
        spec: { labels },
        status: { state, url: `s3://b@r/?backup=${claim}-${set}`, volumeSize: "10737418240" },
    };
}

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
