/**
 * The restore drill's pure parts: its namespace, the throwaway IRIS it starts on the restored
 * volumes, the integrity check it runs, and the report (RPO and RTO as figures).
 */
import { durableClaimName, restoredVolumeName } from "../components/iris/restore-script";

/** What the restore script prints last (`set=… journal=… set_age_seconds=… restore_seconds=…`). */
export interface RestoreSummary {
    readonly set: string;
    readonly journal: string;
    readonly setAgeSeconds: number;
    readonly restoreSeconds: number;
}

export function parseRestoreSummary(stdout: string): RestoreSummary {
    const line = stdout
        .trim()
        .split("\n")
        .reverse()
        .find((l) => l.startsWith("set="));
    const m =
        line && /^set=(\S+) journal=(\S+) set_age_seconds=(\d+) restore_seconds=(\d+)$/.exec(line);
    if (!m) throw new Error(`the restore printed no summary line:\n${stdout}`);
    return { set: m[1], journal: m[2], setAgeSeconds: +m[3], restoreSeconds: +m[4] };
}

/** `iris-drill-<utc time>`: unique per run, and recognisable for cleanup. */
export function drillNamespace(now: Date): string {
    const t = now
        .toISOString()
        .replace(/[-:]/g, "")
        .replace(/\.\d+Z$/, "z");
    return `iris-drill-${t.toLowerCase()}`;
}

/** Instance name the drill restores into. */
export const drillInstance = "drill";

/** Marker the integrity check prints when every database checked clean. */
export const integrityOk = "IRIS-PLATFORM-INTEGRITY-OK";

/**
 * ObjectScript fed to `iris session IRIS -U%SYS`: checks every database (^Integrity) and prints
 * the marker only when no error was found. Unconfirmed on a real instance: the entry point and
 * its status are as InterSystems documents ^Integrity; check the first drill's output.
 */
export const integrityScript = [
    'set sc=$$CheckList^Integrity(,,0) if $system.Status.IsError(sc) write "INTEGRITY-FAILED ",$system.Status.GetErrorText(sc),! halt',
    `write "${integrityOk}",! halt`,
].join("\n");

export interface DrillWorkloadInput {
    readonly namespace: string;
    /** The source instance's IRIS image. */
    readonly image: string;
    /** Pull secret copied from the source namespace, if it has one. */
    readonly pullSecret?: string;
}

/**
 * A one-pod IRIS on the restored durable claim (a standalone instance's set): it starts with
 * IRIS's own WIJ and journal recovery, as after a crash at the freeze.
 */
export function drillPod(input: DrillWorkloadInput): Record<string, unknown> {
    return {
        apiVersion: "v1",
        kind: "Pod",
        metadata: {
            name: drillInstance,
            namespace: input.namespace,
            labels: { "app.kubernetes.io/name": "iris-drill" },
        },
        spec: {
            restartPolicy: "Never",
            imagePullSecrets: input.pullSecret ? [{ name: input.pullSecret }] : [],
            containers: [
                {
                    name: "iris",
                    image: input.image,
                    env: [{ name: "ISC_DATA_DIRECTORY", value: "/durable/iris" }],
                    volumeMounts: [{ name: "durable", mountPath: "/durable" }],
                    readinessProbe: {
                        exec: { command: ["sh", "-c", "iris qlist iris | grep -q running"] },
                        periodSeconds: 10,
                        failureThreshold: 180,
                    },
                },
            ],
            volumes: [
                {
                    name: "durable",
                    persistentVolumeClaim: { claimName: durableClaimName(drillInstance) },
                },
            ],
        },
    };
}

/**
 * A data-only, unmirrored IrisCluster `drill` from the source's live spec (an IKO set): IKO's
 * StatefulSet claims `iris-<volume>-drill-data-0`, which the restore made, so the operator adopts
 * the restored volumes. The source's configSource, licence and pull secrets are copied beside it.
 */
export function drillIrisCluster(
    namespace: string,
    sourceSpec: Record<string, unknown>,
): Record<string, unknown> {
    const topology = (sourceSpec.topology ?? {}) as { data?: Record<string, unknown> };
    if (!topology.data) throw new Error("the source IrisCluster has no topology.data");
    const { mirrored: _mirrored, shards: _shards, ...data } = topology.data;
    return {
        apiVersion: "intersystems.com/v1alpha1",
        kind: "IrisCluster",
        metadata: {
            name: drillInstance,
            namespace,
            labels: { "app.kubernetes.io/name": "iris-drill" },
        },
        spec: { ...sourceSpec, topology: { data } },
    };
}

/** Secret and ConfigMap names an IrisCluster spec refers to (copied into the drill namespace). */
export function irisClusterRefs(spec: Record<string, unknown>): {
    secrets: string[];
    configMaps: string[];
} {
    const name = (x: unknown) => (x as { name?: string } | undefined)?.name;
    const secrets = [
        name(spec.licenseKeySecret),
        ...((spec.imagePullSecrets as unknown[] | undefined) ?? []).map(name),
    ].filter((n): n is string => Boolean(n));
    const configMaps = [name(spec.configSource)].filter((n): n is string => Boolean(n));
    return { secrets, configMaps };
}

/** The durable claim a standalone drill mounts, bound to the PV the restore made. */
export function drillClaim(
    namespace: string,
    storageClassName: string,
    size: string,
): Record<string, unknown> {
    const claim = durableClaimName(drillInstance);
    return {
        apiVersion: "v1",
        kind: "PersistentVolumeClaim",
        metadata: { name: claim, namespace },
        spec: {
            accessModes: ["ReadWriteOnce"],
            storageClassName,
            volumeName: restoredVolumeName(namespace, claim),
            resources: { requests: { storage: size } },
        },
    };
}

/** Seconds as `1h 02m 03s` / `4m 05s` / `6s`. */
export function duration(seconds: number): string {
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = Math.round(seconds % 60);
    const pad = (n: number) => String(n).padStart(2, "0");
    if (h) return `${h}h ${pad(m)}m ${pad(s)}s`;
    if (m) return `${m}m ${pad(s)}s`;
    return `${s}s`;
}

export interface DrillResult {
    readonly source: string;
    readonly namespace: string;
    readonly restore?: RestoreSummary;
    /** Seconds from the restored volumes to IRIS Ready. */
    readonly readySeconds?: number;
    readonly integrity: "ok" | "failed" | "not run";
    /** Why the drill failed, when it did. */
    readonly error?: string;
}

/** Passed only when the set restored, IRIS came up and the integrity check was clean. */
export function drillPassed(r: DrillResult): boolean {
    return !r.error && r.integrity === "ok" && r.readySeconds !== undefined;
}

/** The report: RPO = the set's age when the drill started; RTO = restore + time to Ready. */
export function drillReport(r: DrillResult): string {
    const lines = [`restore drill of ${r.source}: ${drillPassed(r) ? "PASSED" : "FAILED"}`];
    const row = (k: string, v: string) => lines.push(`  ${k.padEnd(12)} ${v}`);
    if (r.restore) {
        row("set", `${r.restore.set} (journal ${r.restore.journal} at the freeze)`);
        row("RPO", `${duration(r.restore.setAgeSeconds)} (age of the set when the drill began)`);
    }
    if (r.restore && r.readySeconds !== undefined) {
        const rto = r.restore.restoreSeconds + r.readySeconds;
        row(
            "RTO",
            `${duration(rto)} (volumes restored in ${duration(r.restore.restoreSeconds)}, IRIS Ready ${duration(r.readySeconds)} later)`,
        );
    }
    row("integrity", r.integrity);
    row("namespace", `${r.namespace} (deleted, with its restored volumes)`);
    if (r.error) row("error", r.error);
    return lines.join("\n");
}
