/**
 * The restore drill's pure parts: the summary it reads from the restore, the throwaway IRIS it
 * starts on the restored volumes, and a report whose RPO and RTO are figures.
 */
import * as assert from "assert";
import { restoredVolumeName } from "../components/iris/restore-script";
import {
    drillIrisCluster,
    drillNamespace,
    drillPassed,
    drillPod,
    drillReport,
    irisClusterRefs,
    parseRestoreSummary,
    type DrillResult,
} from "../scripts/drill-lib";

const summary =
    "log line\nset=20261129T030000Z journal=20261129.004 set_age_seconds=18720 restore_seconds=700 mirrored=false\n";

describe("restore drill (pure)", function () {
    it("reads the restore's summary line, and fails without one", function () {
        assert.deepStrictEqual(parseRestoreSummary(summary), {
            set: "20261129T030000Z",
            journal: "20261129.004",
            setAgeSeconds: 18720,
            restoreSeconds: 700,
            mirrored: false,
            volumes: [],
        });
        assert.throws(() => parseRestoreSummary("no summary"), /printed no summary line/);
    });

    it("names its namespace by the UTC time, as a valid DNS label", function () {
        const ns = drillNamespace(new Date("2026-11-30T03:04:05.678Z"));
        assert.strictEqual(ns, "iris-drill-20261130t030405z");
        assert.match(ns, /^[a-z0-9-]{1,63}$/);
    });

    it("starts standalone IRIS on the claim the restore bound, with the source image", function () {
        const pod = drillPod({ namespace: "d", image: "iris:2025.1", pullSecret: "pull" }) as {
            spec: { volumes: { persistentVolumeClaim: { claimName: string } }[] };
        };
        const claim = pod.spec.volumes[0].persistentVolumeClaim.claimName;
        assert.strictEqual(claim, "drill-durable");
        assert.match(restoredVolumeName("d", claim), /^r-[0-9a-f]{32}$/);
    });

    it("makes an IKO set's drill a single unmirrored data node, keeping the source's references", function () {
        const spec = {
            licenseKeySecret: { name: "iris-license" },
            configSource: { name: "iris-config-abc" },
            imagePullSecrets: [{ name: "intersystems-pull" }],
            topology: {
                data: { image: "iris:2025.1", mirrored: true, storageDB: { resources: {} } },
                arbiter: { image: "arbiter:2025.1" },
                webgateway: { replicas: 2 },
            },
        };
        const ic = drillIrisCluster("d", spec) as {
            metadata: { name: string };
            spec: { topology: Record<string, Record<string, unknown>> };
        };
        assert.strictEqual(ic.metadata.name, "drill");
        assert.deepStrictEqual(Object.keys(ic.spec.topology), ["data"]);
        assert.strictEqual(ic.spec.topology.data.mirrored, undefined);
        assert.deepStrictEqual(irisClusterRefs(spec), {
            secrets: ["iris-license", "intersystems-pull"],
            configMaps: ["iris-config-abc"],
        });
    });

    it("reports RPO and RTO as figures, and passes only with IRIS ready and a clean integrity check", function () {
        const ok: DrillResult = {
            source: "iris/iris",
            namespace: "iris-drill-x",
            restore: parseRestoreSummary(summary),
            readySeconds: 143,
            integrity: "ok",
        };
        const report = drillReport(ok);
        assert.match(report, /^restore drill of iris\/iris: PASSED/);
        assert.match(report, /RPO {10}5h 12m 00s \(age of the set when the drill began\)/);
        assert.match(
            report,
            /RTO {10}14m 03s \(volumes restored in 11m 40s, IRIS Ready 2m 23s later\)/,
        );
        assert.ok(drillPassed(ok));
        assert.ok(!drillPassed({ ...ok, integrity: "failed" }));
        assert.ok(!drillPassed({ ...ok, readySeconds: undefined }));
        assert.match(drillReport({ ...ok, error: "boom" }), /FAILED[\s\S]*error {8}boom/);
    });
});
