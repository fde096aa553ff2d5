/**
 * A healthy instance and platform, as series (exporters.ts shapes), that each alert case bends
 * in one place. Five hours of samples, one a minute from t0.
 */
import type { RuleInstance, RulesInput } from "../../components/monitoring/rules";
import type { PlatformConfig } from "../../config";
import { stackRulesInput as rulesInput } from "../rules-input";
import * as x from "./exporters";
import * as ksm from "./kube-state-metrics";
import { t0 } from "./suite";

/** Samples after the first (promtool `axN` gives N+1). */
export const N = 300;
export const steady = (v: number | string): string => `${v}x${N}`;
/** `a` for the first `minute` samples, `b` from then on. */
export const switchAt = (minute: number, a: number | string, b: number | string): string =>
    `${a}x${minute - 1} ${b}x${N - minute}`;

export interface InstanceFixture {
    readonly rule: RuleInstance;
    /** Targets the instance's metrics Service has (web-gateway replicas, or the one data pod). */
    readonly gateways: number;
    /** How the metrics Service reaches IRIS (monitoring's irisTarget): IKO's web gateway, or the pod. */
    readonly via: "webgateway" | "private web server";
}

/** The rules' input and a fixture per instance, from a stack config. */
export function fixtures(config: PlatformConfig): {
    input: RulesInput;
    instances: InstanceFixture[];
} {
    const input = rulesInput(config);
    const instances = input.instances.map((rule, n) => {
        const i = config.iris.instances[n];
        const gateway = i.mode === "iko" && i.webgateway.replicas > 0;
        return {
            rule,
            gateways: gateway ? i.webgateway.replicas : 1,
            via: gateway ? ("webgateway" as const) : ("private web server" as const),
        };
    });
    return { input, instances };
}

export const instanceId = (f: InstanceFixture): string => `${f.rule.namespace}/${f.rule.name}`;

/** Healthy IRIS metrics: 60% free on every journal volume, half-full database, no alerts. */
export function healthyIris(f: InstanceFixture, over: Partial<x.IrisValues> = {}): x.IrisValues {
    const v = f.rule.journalVolumesMiB;
    return {
        up: steady(1),
        systemState: steady(0),
        journalFree: {
            primary: steady(Math.round(v.primary * 0.6)),
            secondary: steady(Math.round(v.secondary * 0.6)),
            WIJ: steady(Math.round(v.WIJ * 0.6)),
        },
        dbSizeMb: steady(500),
        dbMaxSizeMb: steady(1000),
        licensePercentUsed: steady(20),
        wdCycleTime: steady(2000),
        ecpsConn: steady(f.rule.computeReplicas),
        ...over,
    };
}

export const irisSeries = (f: InstanceFixture, over: Partial<x.IrisValues> = {}) =>
    x.irisScrape(f.rule, f.gateways, f.via, healthyIris(f, over));

/** IKO pods of a mirrored instance: two data members, the arbiter, the web gateways. */
export function mirrorPods(
    f: InstanceFixture,
    values: { primary?: string; backup?: string } = {},
    allowlisted = true,
): x.InputSeries[] {
    const { namespace: ns } = f.rule;
    // Without the allowlist kube-state-metrics still reports every pod, with no label_* keys.
    const name = allowlisted ? f.rule.name : undefined;
    const mirrorRole = (role: string) => (allowlisted ? role : undefined);
    return [
        ksm.podLabels(
            ns,
            `${f.rule.name}-data-0-0`,
            { name, mirrorRole: mirrorRole("primary") },
            values.primary ?? steady(1),
        ),
        ksm.podLabels(
            ns,
            `${f.rule.name}-data-0-1`,
            { name, mirrorRole: mirrorRole("backup") },
            values.backup ?? steady(1),
        ),
        ksm.podLabels(ns, `${f.rule.name}-arbiter-0`, { name }, steady(1)),
        ...Array.from({ length: f.gateways }, (_, g) =>
            ksm.podLabels(ns, `${f.rule.name}-webgateway-${g}`, { name }, steady(1)),
        ),
    ];
}

/** A CronJob's Job name: `<cronjob>-<scheduled time in minutes>` (kubernetes cronjob controller). */
export const jobName = (cronJob: string, start: number): string =>
    `${cronJob}-${Math.floor(start / 60)}`;

/** The instance's backup CronJob: a good set two hours ago unless told otherwise. */
export function backupSeries(
    f: InstanceFixture,
    o: { lastSuccessful?: string | null; failedJobStart?: number } = {},
): x.InputSeries[] {
    const b = f.rule.backup;
    if (!b) return [];
    const ns = f.rule.namespace;
    const goodStart = t0 - 2 * 3600 - 600;
    return [
        ...ksm.cronJob(ns, b.cronJob, {
            created: t0 - 30 * 86400,
            lastSuccessful:
                o.lastSuccessful === null ? undefined : (o.lastSuccessful ?? steady(t0 - 2 * 3600)),
        }),
        ...ksm.job(ns, jobName(b.cronJob, goodStart), {
            cronJob: b.cronJob,
            startTime: goodStart,
            outcome: "complete",
        }),
        ...(o.failedJobStart === undefined
            ? []
            : ksm.job(ns, jobName(b.cronJob, o.failedJobStart), {
                  cronJob: b.cronJob,
                  startTime: o.failedJobStart,
                  outcome: "failed",
              })),
    ];
}

/**
 * The instance's `<name>-metrics` Service (monitoring/index.ts) as kube-state-metrics reports it:
 * created 30 days before t0 unless told otherwise (a deploy long done).
 */
export const metricsService = (f: InstanceFixture, created = t0 - 30 * 86400): x.InputSeries =>
    ksm.serviceCreated(f.rule.namespace, `${f.rule.name}-metrics`, created);

/** Everything healthy about one instance. */
export function healthyInstance(f: InstanceFixture): x.InputSeries[] {
    return [
        ...irisSeries(f),
        metricsService(f),
        ...(f.rule.mirrored ? mirrorPods(f) : []),
        ...backupSeries(f),
    ];
}

/** Healthy Longhorn volume and backup, and a Ready certificate. */
export function healthyPlatform(): x.InputSeries[] {
    return [
        ...longhornVolume(),
        x.longhornBackup("pvc-0a1b2c", "backup-1", steady(3)),
        ...certificate(),
    ];
}

export const longhornVolume = (robustness = "healthyx300", lastBackupAt = steady(t0 - 7200)) =>
    x.longhornVolume(
        "pvc-0a1b2c",
        { namespace: "iris", name: "iris-data-iris-data-0-0" },
        {
            robustness,
            lastBackupAt,
        },
    );

export const certificate = (expiration = steady(t0 + 60 * 86400), ready = "Truex300") =>
    x.certificate("iris", "iris-tls", { expiration, ready });
