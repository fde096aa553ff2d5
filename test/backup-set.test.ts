/**
 * The backup-set script run for real by bash against a fake kubectl derived from upstream
 * (test/fakes/backup-kubectl.js): the Job's own RBAC, Longhorn's admission and incremental rule,
 * and an `iris` that answers only what InterSystems documents. Needs bash, jq and node.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import { renderBackupScript, setLabels } from "../components/iris/backup-script";
import {
    BackupWorld,
    runIn,
    type Behaviour,
    type Outcome,
    type PodSpec,
} from "./fakes/backup-world";

const env = {
    NAMESPACE: "iris",
    INSTANCE: "iris",
    POD_SELECTOR: "app.kubernetes.io/instance=iris",
    CONTAINER: "iris",
    LONGHORN_NAMESPACE: "longhorn-system",
    RETAIN: "2",
    FREEZE_TIMEOUT: "20",
    BACKUP_TIMEOUT: "20",
    SET_ID: "20261130T020000Z",
};
const script = renderBackupScript();

const at = (r: Outcome, text: string) => r.calls.findIndex((c) => c.includes(text));
const count = (r: Outcome, text: string) => r.calls.filter((c) => c.includes(text)).length;
/** No call the Roles forbid, no object upstream refuses, no IRIS method InterSystems lacks. */
function clean(r: Outcome): void {
    const bad = r.calls.filter((c) => /^(FORBIDDEN|REFUSED|UNDOCUMENTED)/.test(c));
    assert.deepStrictEqual(bad, [], r.stderr);
}

let worlds: BackupWorld[] = [];
function world(pods?: PodSpec[], behaviour?: Behaviour): BackupWorld {
    const w = new BackupWorld(pods, behaviour);
    worlds.push(w);
    return w;
}
const once = (behaviour: Behaviour = {}, extra: Record<string, string> = {}, termOn?: string) =>
    runIn(world(undefined, behaviour), script, { ...env, ...extra }, termOn);

describe("backup-set script (bash, fake kubectl and iris from upstream)", function () {
    this.timeout(60_000);
    afterEach(() => {
        worlds.forEach((w) => w.remove());
        worlds = [];
    });

    it("is valid bash", function () {
        const r = spawnSync("bash", ["-n"], { input: script, encoding: "utf8" });
        assert.strictEqual(r.status, 0, r.stderr);
    });

    it("freezes with IRIS's own limit, snapshots, checks IRIS stayed frozen, thaws, then backs up one labelled set", async function () {
        const w = world([{ name: "iris-0", claims: ["iris-data", "iris-wij", "iris-journal1"] }]);
        const r = await runIn(w, script, env);
        assert.strictEqual(r.status, 0, r.stderr);
        clean(r);
        const freeze = at(r, "iris Backup.General.ExternalFreeze");
        const suspended = at(r, "iris Backup.General.IsWDSuspended");
        const thaw = at(r, "iris Backup.General.ExternalThaw");
        assert.ok(freeze >= 0 && freeze < suspended && suspended < thaw, r.calls.join("\n"));
        const snaps = r.calls.flatMap((c, i) => (c.startsWith("created Snapshot") ? [i] : []));
        assert.strictEqual(snaps.length, 3);
        assert.ok(snaps.every((i) => i > freeze && i < suspended));
        assert.ok(at(r, "created Backup") > thaw, "backups upload after the thaw");
        // WDSuspendLimit is ExternalFreeze's 10th argument: IRIS ends a freeze nobody thaws.
        const args = w.read().iris.freezeArgs as string[];
        assert.strictEqual(args[9], env.FREEZE_TIMEOUT);
        assert.strictEqual(args[2], "1", "switches the journal file");
        assert.strictEqual(args[1], `"iris-platform-backup-set-${env.SET_ID}"`, "journal marker");
        const backups = w.read().backups as { metadata: { labels: Record<string, string> } }[];
        assert.strictEqual(backups.length, 3);
        for (const b of backups) {
            assert.strictEqual(b.metadata.labels[setLabels.journal], "20261130.002");
            assert.strictEqual(b.metadata.labels[setLabels.set], env.SET_ID);
            assert.strictEqual(b.metadata.labels["backup-target"], "default");
        }
        assert.match(r.calls[at(r, "BackupSetCompleted")], /3 volumes, journal 20261130\.002/);
    });

    for (const [why, behaviour, reason] of [
        ["the freeze fails", { freezeFails: true }, /ExternalFreeze exited 3/],
        [
            "a snapshot cannot be made",
            { snapshotCreateFails: true },
            /could not snapshot iris-data/,
        ],
        [
            "IRIS's suspend limit ended the freeze early",
            { wdResumedEarly: true },
            /did not stay frozen/,
        ],
        ["a backup ends in Error", { backupState: "Error" }, /backup .*: Error target unreachable/],
        // Deleting is final too (longhorn-manager v1.12.1 k8s/pkg/apis/longhorn/v1beta2/backup.go).
        ["a backup is being deleted", { backupState: "Deleting" }, /backup \S+: Deleting/],
    ] as const) {
        it(`thaws and fails the set loudly when ${why}`, async function () {
            const r = await once(behaviour);
            assert.strictEqual(r.status, 1, r.stderr);
            clean(r);
            assert.strictEqual(count(r, "iris Backup.General.ExternalThaw"), 1, "thawed once");
            const failed = r.calls.find((c) => c.startsWith("event Warning BackupSetFailed"));
            assert.match(failed ?? "(no BackupSetFailed event)", reason);
            assert.strictEqual(count(r, "BackupSetCompleted"), 0);
        });
    }

    it("thaws when the freeze call hangs past the freeze window (IRIS may be frozen)", async function () {
        const r = await once({ freezeHangs: true }, { FREEZE_TIMEOUT: "2" });
        assert.strictEqual(r.status, 1, r.stderr);
        assert.strictEqual(count(r, "iris Backup.General.ExternalThaw"), 1);
        assert.match(
            r.calls.find((c) => c.includes("BackupSetFailed")) ?? "",
            /ExternalFreeze exited 124/,
        );
        assert.strictEqual(count(r, "created Snapshot"), 0);
    });

    it("fails the Job with a Warning Event when the thaw fails, keeping the consistent set", async function () {
        const r = await once({ thawFails: true });
        assert.strictEqual(r.status, 1, r.stderr);
        clean(r);
        assert.ok(at(r, "event Warning ThawFailed: ExternalThaw of iris.iris exited 3") >= 0);
        assert.ok(at(r, "BackupSetCompleted") >= 0, "the snapshots were taken while frozen");
        assert.strictEqual(count(r, `${setLabels.state}=failed`), 0);
    });

    it("thaws at once on TERM during a wait, without waiting for the call to end", async function () {
        const r = await once({ waitHangs: true }, {}, "kubectl wait");
        assert.strictEqual(r.status, 143, r.stderr);
        assert.ok(at(r, "iris Backup.General.ExternalThaw") > at(r, "kubectl wait"));
        // The hung call lasts 60 s; a trap deferred until it ended would miss this by far.
        assert.ok((r.afterTerm ?? Infinity) < 10_000, `exited ${r.afterTerm} ms after TERM`);
    });

    it("keeps a complete set complete when pruning fails, and fails the Job", async function () {
        const w = world();
        for (const set of ["20261127T020000Z", "20261128T020000Z", "20261129T020000Z"])
            assert.strictEqual((await runIn(w, script, { ...env, SET_ID: set })).status, 0);
        w.behave({ deleteFails: true });
        const r = await runIn(w, script, env);
        assert.strictEqual(r.status, 1, r.stderr);
        clean(r);
        assert.ok(at(r, "event Warning BackupPruneFailed") >= 0);
        assert.ok(at(r, "event Normal BackupSetCompleted: set 20261130T020000Z") >= 0);
        assert.strictEqual(count(r, `${setLabels.state}=failed`), 0);
        assert.strictEqual(count(r, "BackupSetFailed"), 0);
    });

    it("keeps the newest RETAIN complete sets, deletes older sets whole, and backs up incrementally", async function () {
        const w = world();
        const sets = ["20261127T020000Z", "20261128T020000Z", "20261129T020000Z", env.SET_ID];
        const runs: Outcome[] = [];
        for (const set of sets) runs.push(await runIn(w, script, { ...env, SET_ID: set }));
        runs.forEach((r) => assert.strictEqual(r.status, 0, r.stderr));
        runs.forEach(clean);
        // The first set uploads whole volumes; every later one only what changed since the last.
        assert.strictEqual(count(runs[0], ": full"), 2);
        assert.ok(
            at(
                runs[1],
                "backup pvc-iris-data-20261128t020000z of pvc-iris-data: incremental from pvc-iris-data-20261127t020000z",
            ) >= 0,
            runs[1].calls.join("\n"),
        );
        assert.strictEqual(count(runs[3], ": incremental from"), 2);
        assert.strictEqual(count(runs[3], ": full"), 0);
        // Only the newest set's snapshots stay (the base of the next delta).
        const snaps = (w.read().snapshots as { metadata: { name: string } }[]).map(
            (s) => s.metadata.name,
        );
        assert.deepStrictEqual(snaps.sort(), [
            "pvc-iris-data-20261130t020000z",
            "pvc-iris-wij-20261130t020000z",
        ]);
        // Kept: 20261129 and 20261130; deleted: both volumes of 27 and 28.
        const left = (w.read().backups as { metadata: { labels: Record<string, string> } }[]).map(
            (b) => b.metadata.labels[setLabels.set],
        );
        assert.deepStrictEqual([...new Set(left)].sort(), ["20261129T020000Z", env.SET_ID]);
    });

    it("never counts a set marked failed among the RETAIN kept, even if Longhorn completed its backups later", async function () {
        const w = world();
        for (const set of ["20261127T020000Z", "20261128T020000Z"])
            assert.strictEqual((await runIn(w, script, { ...env, SET_ID: set })).status, 0);
        // 28 timed out here (the script marked it failed); Longhorn finished its uploads later.
        const state = w.read();
        for (const b of state.backups as { metadata: { labels: Record<string, string> } }[])
            if (b.metadata.labels[setLabels.set] === "20261128T020000Z")
                b.metadata.labels[setLabels.state] = "failed";
        w.write(state);
        const r = await runIn(w, script, { ...env, SET_ID: "20261129T020000Z" });
        assert.strictEqual(r.status, 0, r.stderr);
        // RETAIN 2 restorable sets: 29 and 27 (the restore never picks 28).
        const left = (w.read().backups as { metadata: { labels: Record<string, string> } }[]).map(
            (b) => b.metadata.labels[setLabels.set],
        );
        assert.ok(left.includes("20261127T020000Z"), `27 was pruned: ${left.join(" ")}`);
    });

    it("keeps earlier snapshots when a set fails, so the next set is still incremental", async function () {
        const w = world();
        assert.strictEqual(
            (await runIn(w, script, { ...env, SET_ID: "20261129T020000Z" })).status,
            0,
        );
        w.behave({ backupState: "Error" });
        assert.strictEqual((await runIn(w, script, env)).status, 1);
        w.behave({});
        const r = await runIn(w, script, { ...env, SET_ID: "20261201T020000Z" });
        assert.strictEqual(r.status, 0, r.stderr);
        assert.strictEqual(count(r, "incremental from pvc-iris-data-20261129t020000z"), 1);
    });

    it("refuses several data pods without mirror roles (a sharded instance): no partial set", async function () {
        const w = world([
            { name: "iris-data-0", claims: ["iris-data-0"] },
            { name: "iris-data-1", claims: ["iris-data-1"] },
        ]);
        const r = await runIn(w, script, env);
        assert.strictEqual(r.status, 1);
        assert.strictEqual(count(r, "ExternalFreeze"), 0);
        assert.match(
            r.calls.find((c) => c.includes("BackupSetFailed")) ?? "",
            /2 running pods match/,
        );
    });

    it("freezes the mirror's backup member, never the primary", async function () {
        const w = world([
            { name: "iris-data-0-0", mirrorRole: "primary", claims: ["a"] },
            { name: "iris-data-0-1", mirrorRole: "backup", claims: ["b"] },
        ]);
        const r = await runIn(w, script, env);
        assert.strictEqual(r.status, 0, r.stderr);
        assert.ok(
            at(
                r,
                "exec -n iris iris-data-0-1 -c iris -- iris session IRIS -U%SYS ##Class(Backup.General).ExternalFreeze",
            ) >= 0,
        );
        assert.strictEqual(count(r, "iris-data-0-0 -c iris"), 0);
    });

    it("refuses, before freezing, a claim name that no label value can hold", async function () {
        const long = `iris-journal2-${"x".repeat(45)}-data-0-1`;
        const r = await runIn(world([{ name: "iris-0", claims: [long] }]), script, env);
        assert.strictEqual(r.status, 1);
        assert.strictEqual(count(r, "ExternalFreeze"), 0);
        assert.ok(at(r, "does not fit a label value") >= 0);
    });

    it("says so when the journal file cannot be recorded as a label, and still completes the set", async function () {
        const w = world();
        w.write({
            ...w.read(),
            iris: { ...w.read().iris, journalDate: `MIRROR-${"M".repeat(60)}-20261130` },
        });
        const r = await runIn(w, script, env);
        assert.strictEqual(r.status, 0, r.stderr);
        clean(r);
        assert.ok(at(r, "event Warning JournalNotRecorded") >= 0);
        assert.ok(
            at(
                r,
                "BackupSetCompleted: set 20261130T020000Z of iris.iris: 2 volumes, journal unknown",
            ) >= 0,
        );
    });
});
