/**
 * The Longhorn admission table (test/fakes/longhorn-admission.ts) answers the same in both of its
 * forms — TypeScript (the integration tier's stand-in manager) and jq (the fake kubectl) — for
 * admitted and refused Volumes alike.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import { admissionJq, admitVolume, type VolumeObject } from "./fakes/longhorn-admission";

const good: VolumeObject = {
    metadata: {
        name: "r-0123456789abcdef0123456789abcdef",
        labels: { "recurring-job-group.longhorn.io/iris": "enabled", "iris-platform.io/x": "a.b" },
    },
    spec: {
        fromBackup: "s3://b@r/?backup=backup-1a2b&volume=pvc-abc",
        size: "10737418240",
        numberOfReplicas: 3,
        staleReplicaTimeout: 2880,
        dataLocality: "best-effort",
        frontend: "blockdev",
        accessMode: "rwo",
        dataEngine: "v1",
    },
};
const backups = ["backup-1a2b"];
const spec = (s: Record<string, unknown>) => ({ ...good, spec: { ...good.spec, ...s } });
const named = (name: string) => ({ ...good, metadata: { ...good.metadata, name } });

const cases: [string, VolumeObject, RegExp | undefined][] = [
    ["admitted", good, undefined],
    ["41 characters", named("r".repeat(41)), /name-length/],
    [
        "the old drill name",
        named("restore-iris-drill-20261130t030405z-drill-durable"),
        /name-length/,
    ],
    ["upper case", named("R-abc"), /name-pattern/],
    ["a trailing dash", named("r-abc-"), /name-pattern/],
    ["an unknown field", spec({ replicaAutoBalance: "ignored" }), /known-fields/],
    ["a number size", spec({ size: 10 }), /\[size\]|size:/],
    ["no backup=", spec({ fromBackup: "s3://b@r/?volume=pvc-abc" }), /fromBackup-url/],
    [
        "a missing Backup",
        spec({ fromBackup: "s3://b@r/?backup=nope&volume=v1" }),
        /fromBackup-exists/,
    ],
    ["bad locality", spec({ dataLocality: "local" }), /dataLocality/],
    ["bad access", spec({ accessMode: "ReadWriteOnce" }), /accessMode/],
    ["0 replicas", spec({ numberOfReplicas: 0 }), /numberOfReplicas/],
    ["strict-local with 3", spec({ dataLocality: "strict-local" }), /numberOfReplicas/],
    ["replicas as a string", spec({ numberOfReplicas: "3" }), /numberOfReplicas/],
    ["no stale timeout", spec({ staleReplicaTimeout: "2880" }), /staleReplicaTimeout/],
    ["nvmf on v1", spec({ frontend: "nvmf" }), /frontend/],
    [
        "a long label value",
        { ...good, metadata: { ...good.metadata, labels: { a: "x".repeat(64) } } },
        /labels/,
    ],
    [
        "a bad label key",
        { ...good, metadata: { ...good.metadata, labels: { "A_/b": "x" } } },
        /labels/,
    ],
];

function viaJq(v: VolumeObject): string {
    const r = spawnSync(
        "jq",
        ["-r", "--argjson", "backups", JSON.stringify(backups), admissionJq()],
        {
            input: JSON.stringify(v),
            encoding: "utf8",
        },
    );
    assert.strictEqual(r.status, 0, r.stderr);
    return r.stdout.trim();
}

describe("Longhorn v1.12.1 Volume admission table (TypeScript and jq agree)", function () {
    for (const [what, v, refused] of cases) {
        it(`${refused ? "refuses" : "admits"} ${what}`, function () {
            const ts = admitVolume(v, backups);
            const jq = viaJq(v);
            if (!refused) {
                assert.deepStrictEqual(ts, []);
                assert.strictEqual(jq, "");
                return;
            }
            assert.match(ts.join("\n"), refused);
            const tsIds = ts.map((t) => /\[([\w-]+):/.exec(t)?.[1]);
            const jqIds = jq.split("\n").map((l) => /\[([\w-]+)\]$/.exec(l)?.[1]);
            assert.deepStrictEqual(jqIds, tsIds, `${jq}\n---\n${ts.join("\n")}`);
        });
    }
});
