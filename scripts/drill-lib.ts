/**
 * The restore drill's pure parts: its namespace, the throwaway IRIS it starts on the restored
 * volumes, the integrity check it runs, and the report (RPO and RTO as figures).
 */
import { demirrorMergeFile, demirrorScript } from "../components/iris/demirror";
import { durableClaimName, restoredVolumeName } from "../components/iris/restore-script";

/** One restored volume, as the restore script reports it (`volume claim=… name=… bytes=… seconds=…`). */
export interface RestoredVolume {
    readonly claim: string;
    /** The Longhorn Volume and PV name. */
    readonly name: string;
    readonly seconds: number;
}

/** What the restore script prints: a line per volume, then `set=… journal=… set_age_seconds=… restore_seconds=…`. */
export interface RestoreSummary {
    readonly set: string;
    readonly journal: string;
    readonly setAgeSeconds: number;
    /** The whole set, volumes restored in parallel. */
    readonly restoreSeconds: number;
    readonly volumes: readonly RestoredVolume[];
    /** Taken from a mirror member (the drill removes its mirror configuration). */
    readonly mirrored: boolean;
}

export function parseRestoreSummary(stdout: string): RestoreSummary {
    const lines = stdout.trim().split("\n");
    const line = [...lines].reverse().find((l) => l.startsWith("set="));
    const m =
        line &&
        /^set=(\S+) journal=(\S+) set_age_seconds=(\d+) restore_seconds=(\d+) mirrored=(true|false)$/.exec(
            line,
        );
    if (!m) throw new Error(`the restore printed no summary line:\n${stdout}`);
    const volumes = lines.flatMap((l) => {
        const v = /^volume claim=(\S+) name=(\S+) bytes=\d+ seconds=(\d+)$/.exec(l);
        return v ? [{ claim: v[1], name: v[2], seconds: +v[3] }] : [];
    });
    return {
        set: m[1],
        journal: m[2],
        setAgeSeconds: +m[3],
        restoreSeconds: +m[4],
        mirrored: m[5] === "true",
        volumes,
    };
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

/** Marker the integrity check prints, on a line of its own, only when every database checked clean. */
export const integrityOk = "IRIS-PLATFORM-INTEGRITY-OK";

/**
 * ObjectScript fed to `iris session IRIS -U%SYS`. `$$CheckList^Integrity(,,0)` checks every
 * database and returns a %Status: `$system.Status.IsOK(sc)` means it ran and found no errors
 * (InterSystems Data Integrity Guide, "Integrity Check API",
 * https://docs.intersystems.com/irislatest/csp/docbook/DocBook.UI.Page.cls?KEY=GCDI_integrity).
 * One line: an error anywhere in it (a missing routine, a <SYNTAX>) ends the line before the
 * marker. The marker is built by concatenation, so the terminal echoing the input never shows it.
 */
export const integrityScript = [
    `set sc=$$CheckList^Integrity(,,0) if $system.Status.IsOK(sc) { write "${integrityOk.slice(0, 10)}"_"${integrityOk.slice(10)}",! } else { write "INTEGRITY-FAILED ",$system.Status.GetErrorText(sc),! do Display^Integrity(,2) }`,
    "halt",
].join("\n");

/** `ok` only when the session printed the marker on a line of its own. */
export function integrityResult(stdout: string): "ok" | "failed" {
    const lines = stdout.split(/\r?\n/).map((l) => l.trim());
    return lines.includes(integrityOk) && !lines.some((l) => l.startsWith("INTEGRITY-FAILED"))
        ? "ok"
        : "failed";
}

/**
 * ObjectScript: whether the restored instance still believes it is a mirror member.
 * `$SYSTEM.Mirror.IsMember()` (%SYSTEM.Mirror) is 0 for a non-member, 1 for a failover member,
 * 2 for an async (as used in InterSystems-based code; the class reference page itself is
 * unconfirmed here). The marker is concatenated, as above.
 */
export const mirrorMemberScript = [
    'write "IRIS-PLATFORM-MIRROR-"_"MEMBER=",$SYSTEM.Mirror.IsMember(),!',
    "halt",
].join("\n");

/** The IsMember() value the session printed, or undefined when it printed none. */
export function mirrorMember(stdout: string): number | undefined {
    const m = /^IRIS-PLATFORM-MIRROR-MEMBER=(\d+)\r?$/m.exec(stdout);
    return m ? Number(m[1]) : undefined;
}

export interface DrillWorkloadInput {
    readonly namespace: string;
    /** The source instance's IRIS image. */
    readonly image: string;
    /** Pull secret copied from the source namespace, if it has one. */
    readonly pullSecret?: string;
}

/** Where the drill pod mounts the restored durable claim (ISC_DATA_DIRECTORY below it). */
const durableMount = "/durable";

/**
 * A one-pod IRIS on the restored durable claim (a standalone instance's set): it starts with
 * IRIS's own WIJ and journal recovery, as after a crash at the freeze. An init step first writes
 * the merge file that removes any mirror configuration the set carries (components/iris/demirror.ts),
 * which IRIS applies through ISC_CPF_MERGE_FILE before it serves.
 */
export function drillPod(input: DrillWorkloadInput): Record<string, unknown> {
    const mount = [{ name: "durable", mountPath: durableMount }];
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
            initContainers: [
                {
                    name: "demirror",
                    image: input.image,
                    command: ["sh", "-c", demirrorScript, "demirror", durableMount],
                    volumeMounts: mount,
                },
            ],
            containers: [
                {
                    name: "iris",
                    image: input.image,
                    env: [
                        { name: "ISC_DATA_DIRECTORY", value: `${durableMount}/iris` },
                        {
                            name: "ISC_CPF_MERGE_FILE",
                            value: `${durableMount}/${demirrorMergeFile}`,
                        },
                    ],
                    volumeMounts: mount,
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
    /** How the drill namespace is cut off from production. */
    readonly isolation?: string;
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
        if (r.restore.mirrored)
            row(
                "mirror",
                "set of a mirror member: mirror configuration removed before IRIS started",
            );
        row("RPO", `${duration(r.restore.setAgeSeconds)} (age of the set when the drill began)`);
    }
    if (r.restore && r.readySeconds !== undefined) {
        const rto = r.restore.restoreSeconds + r.readySeconds;
        row(
            "RTO",
            `${duration(rto)} (volumes restored in ${duration(r.restore.restoreSeconds)}, IRIS Ready ${duration(r.readySeconds)} later)`,
        );
    }
    // Each volume's own restore time (they run in parallel: the set takes the longest).
    for (const v of r.restore?.volumes ?? [])
        row("volume", `${v.claim} restored in ${duration(v.seconds)} (Longhorn volume ${v.name})`);
    row("integrity", r.integrity);
    if (r.isolation) row("isolation", r.isolation);
    row("namespace", `${r.namespace} (deleted, with its restored volumes)`);
    if (r.error) row("error", r.error);
    return lines.join("\n");
}
