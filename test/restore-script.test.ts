/**
 * The restore script, run for real by bash against a fake kubectl that enforces Longhorn
 * v1.12.1's Volume admission (test/fakes/longhorn-admission.ts): names Longhorn accepts, the
 * StorageClass's settings on every restored volume, complete sets only, all volumes restored at
 * once with their times reported, and nothing created over existing data. Needs bash and jq.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import { irisStorageClassParameters } from "../components/addons/longhorn-values";
import { setLabels } from "../components/iris/backup-script";
import {
    renderRestoreScript,
    restoredLabels,
    restoredVolumeName,
} from "../components/iris/restore-script";
import { drillNamespace, drillInstance } from "../scripts/drill-lib";
import { admitVolume, volumeNameMaxLength } from "./fakes/longhorn-admission";
import { runWithFake, type RestoreRun } from "./fakes/restore-kubectl";

/** A Completed Backup CR of set `set` of instance iris.iris, as Longhorn reports one. */
function backup(set: string, claim: string, size: number, extra: Record<string, unknown> = {}) {
    const labels = {
        [setLabels.set]: set,
        [setLabels.instance]: "iris.iris",
        [setLabels.size]: String(size),
        [setLabels.claim]: claim,
        [setLabels.journal]: "20261129.001",
    };
    const name = `backup-${claim.replace(/[^a-z0-9]/g, "")}-${set.toLowerCase()}`.slice(0, 60);
    return {
        metadata: { name, labels, ...extra },
        spec: { labels },
        status: {
            state: "Completed",
            url: `s3://b@r/?backup=${name}&volume=pvc-${claim}`,
            volumeSize: "10737418240",
        },
    };
}
const ikoSet = (set: string, extra: Record<string, unknown> = {}) =>
    ["data", "wij", "journal1", "journal2"].map((v) =>
        backup(set, `iris-${v}-iris-data-0`, 4, extra),
    );

/** The IRIS StorageClass as the Longhorn layer renders it. */
const storageClass = {
    provisioner: "driver.longhorn.io",
    parameters: irisStorageClassParameters({
        replicaCount: 3,
        defaultClass: false,
        nodeDownPodDeletionPolicy: "do-nothing",
        dataLocality: "best-effort",
        clusterAutoscaler: false,
        volumeSnapshotClass: false,
    }),
};

const env = {
    SOURCE: "iris.iris",
    SET: "latest",
    TARGET_NAMESPACE: "iris",
    TARGET_INSTANCE: "iris",
    TARGET_KIND: "iko",
    STORAGE_CLASS: "iris-retain",
    REPLICAS: "",
    LONGHORN_NAMESPACE: "longhorn-system",
    RESOLVE_TIMEOUT: "0",
    RESTORE_TIMEOUT: "30",
    MIRROR_SETS: "refuse",
};
const script = renderRestoreScript();
const run = (e: Record<string, string>, backups: unknown[]) =>
    runWithFake(script, e, { backups, storageClass });
const ofKind = (r: RestoreRun, kind: string) => r.created.filter((o) => o.kind === kind);
type Vol = {
    metadata: { name: string; labels: Record<string, string> };
    spec: Record<string, unknown>;
};

describe("restore script (bash, fake kubectl with Longhorn's admission)", function () {
    this.timeout(60_000);

    it("is valid bash", function () {
        const r = spawnSync("bash", ["-n"], { input: script, encoding: "utf8" });
        assert.strictEqual(r.status, 0, r.stderr);
    });

    it("names volumes as its TypeScript twin does, within Longhorn's 40 characters", function () {
        for (const [ns, claim] of [
            ["iris", "iris-durable"],
            ["iris-drill-20261130t030405z", "drill-durable"],
            ["a".repeat(63), `iris-journal2-${"b".repeat(40)}-data-0`],
        ]) {
            const bash = spawnSync(
                "bash",
                [
                    "-c",
                    `printf 'r-%s' "$(printf '%s/%s' "$0" "$1" | sha256sum | cut -c1-32)"`,
                    ns,
                    claim,
                ],
                { encoding: "utf8" },
            ).stdout;
            assert.strictEqual(bash, restoredVolumeName(ns, claim));
            assert.ok(bash.length <= volumeNameMaxLength, bash);
        }
        assert.notStrictEqual(restoredVolumeName("a", "b-c"), restoredVolumeName("a-b", "c"));
    });

    it("a drill's volumes pass Longhorn's admission (the old restore-<ns>-<claim> name would not)", function () {
        const ns = drillNamespace(new Date("2026-11-30T03:04:05Z"));
        const r = run(
            {
                ...env,
                TARGET_NAMESPACE: ns,
                TARGET_INSTANCE: drillInstance,
                TARGET_KIND: "standalone",
            },
            [backup("20261129T020000Z", "iris-durable", 1)],
        );
        assert.strictEqual(r.status, 0, r.stderr);
        assert.ok(!r.calls.some((c) => c.startsWith("refused")), r.calls.join("\n"));
        const [vol] = ofKind(r, "Volume") as Vol[];
        assert.strictEqual(vol.metadata.name, restoredVolumeName(ns, "drill-durable"));
        const old = { ...vol, metadata: { ...vol.metadata, name: `restore-${ns}-drill-durable` } };
        assert.match(
            admitVolume(old, [
                String(/backup=([^&]+)/.exec(String(vol.spec.fromBackup))?.[1]),
            ]).join(),
            /is \d+ characters; Longhorn allows 40/,
        );
    });

    it("restores every volume of the latest complete set at once, with the class's settings, and reports each one's time", function () {
        const partial = ikoSet("20261130T020000Z").slice(0, 3);
        const r = runWithFake(
            script,
            { ...env, FAKE_POLLS_UNTIL_RESTORED: "1" },
            { backups: [...ikoSet("20261129T020000Z"), ...partial], storageClass },
        );
        assert.strictEqual(r.status, 0, r.stderr);
        assert.match(
            r.stdout,
            /set=20261129T020000Z journal=20261129\.001 set_age_seconds=\d+ restore_seconds=\d+ mirrored=false$/m,
        );
        const vols = ofKind(r, "Volume") as Vol[];
        assert.strictEqual(vols.length, 4);
        // In parallel: every Volume exists before the first PV (a sequential restore interleaves).
        const firstPv = r.calls.findIndex((c) => c.startsWith("created PersistentVolume "));
        const lastVol = r.calls.map((c) => c.startsWith("created Volume")).lastIndexOf(true);
        assert.ok(lastVol < firstPv, r.calls.join("\n"));
        for (const v of vols) {
            assert.deepStrictEqual(
                [v.spec.numberOfReplicas, v.spec.dataLocality, v.spec.staleReplicaTimeout],
                [3, "best-effort", 2880],
            );
            assert.strictEqual(
                v.metadata.labels["recurring-job-group.longhorn.io/iris"],
                "enabled",
            );
            assert.strictEqual(v.metadata.labels[restoredLabels.namespace], "iris");
            assert.match(v.metadata.labels[restoredLabels.claim], /^iris-[a-z0-9]+-iris-data-0$/);
        }
        const claims = ofKind(r, "PersistentVolumeClaim") as {
            spec: { volumeName: string };
            metadata: { name: string };
        }[];
        assert.deepStrictEqual(
            claims.map((c) => c.spec.volumeName).sort(),
            claims.map((c) => restoredVolumeName("iris", c.metadata.name)).sort(),
        );
        const lines = r.stdout.split("\n").filter((l) => l.startsWith("volume "));
        assert.strictEqual(lines.length, 4);
        for (const l of lines)
            assert.match(
                l,
                /^volume claim=iris-\S+ name=r-[0-9a-f]{32} bytes=10737418240 seconds=\d+$/,
            );
    });

    it("refuses a mirror member's set for restoreFrom, and restores it for the drill, which removes its mirror configuration", function () {
        const member = ["data", "wij", "journal1", "journal2"].map((v) =>
            backup("20261129T020000Z", `iris-${v}-iris-data-0-1`, 4),
        );
        const refused = run({ ...env, MIRROR_SETS: "refuse" }, member);
        assert.strictEqual(refused.status, 1);
        assert.match(refused.stderr, /taken from a mirror member/);
        assert.deepStrictEqual(
            refused.created.filter((o) => o.kind !== "Event"),
            [],
        );
        const drill = run({ ...env, TARGET_INSTANCE: "drill", MIRROR_SETS: "demirror" }, member);
        assert.strictEqual(drill.status, 0, drill.stderr);
        assert.match(drill.stdout, /mirrored=true$/m);
        assert.ok(
            drill.calls.some((c) => c === "created PersistentVolumeClaim iris-data-drill-data-0"),
        );
    });

    it("never picks a Backup being deleted or not Completed", function () {
        const deleting = ikoSet("20261130T020000Z", { deletionTimestamp: "2026-11-30T05:00:00Z" });
        const r = run(env, [...ikoSet("20261129T020000Z"), ...deleting]);
        assert.strictEqual(r.status, 0, r.stderr);
        assert.match(r.stdout, /set=20261129T020000Z/);
        const erroring = ikoSet("20261201T020000Z").map((b, i) =>
            i === 0 ? { ...b, status: { ...b.status, state: "InProgress" } } : b,
        );
        const only = run({ ...env, SET: "20261201T020000Z" }, erroring);
        assert.strictEqual(only.status, 1);
        assert.match(only.stderr, /no complete backup set '20261201T020000Z'/);
    });

    it("refuses to restore over a claim, PV or Volume that exists, and creates nothing", function () {
        const vol = restoredVolumeName("iris", "iris-data-iris-data-0");
        for (const existing of ["iris/iris-wij-iris-data-0", `pv/${vol}`, `volume/${vol}`]) {
            const r = run({ ...env, FAKE_EXISTING: existing }, ikoSet("20261129T020000Z"));
            assert.strictEqual(r.status, 1, existing);
            assert.match(r.stderr, /refusing to restore over it|exists \(an earlier restore\?\)/);
            assert.deepStrictEqual(
                r.created.filter((o) => o.kind !== "Event"),
                [],
            );
        }
    });

    it("fails when no complete set exists, on a kind mismatch, and without a Longhorn class", function () {
        const none = run(env, ikoSet("20261129T020000Z").slice(0, 2));
        assert.strictEqual(none.status, 1);
        assert.match(none.stderr, /no complete backup set 'latest' of iris\.iris/);
        const kind = run({ ...env, TARGET_KIND: "standalone" }, ikoSet("20261129T020000Z"));
        assert.match(kind.stderr, /restores into an IKO instance only/);
        const noClass = runWithFake(script, env, { backups: ikoSet("20261129T020000Z") });
        assert.strictEqual(noClass.status, 1);
        assert.match(noClass.stderr, /could not read StorageClass iris-retain/);
    });
});
