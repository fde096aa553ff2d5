/**
 * Firing, silent and resolving cases of one IRIS instance's alerts, on exporter-shaped series
 * (baseline.ts), with values derived from the instance's own config (volume sizes, compute nodes,
 * backup schedule) — not from the rules' thresholds.
 */
import { longestCronGapSeconds } from "../../domain/cron";
import * as b from "./baseline";
import type { IrisValues } from "./exporters";
import { t0, type AlertCase } from "./suite";

const { steady, switchAt } = b;

export function irisCases(f: b.InstanceFixture): AlertCase[] {
    const id = b.instanceId(f);
    const inst = { iris_instance: id };
    const others = [...(f.rule.mirrored ? b.mirrorPods(f) : []), ...b.backupSeries(f)];
    const rest = [b.metricsService(f), ...others];
    /** The deploy grace: the instance's metrics Service (and the bad condition) appear at t0. */
    const newlyDeployed = (series: typeof others) => [b.metricsService(f, t0), ...series];
    const withIris = (over: Partial<IrisValues>) => [...b.irisSeries(f, over), ...rest];
    const healthy = withIris({});
    const cases: AlertCase[] = [];
    /** A metric that is bad throughout, healthy throughout, and bad for an hour then healthy. */
    const trio = (
        alert: string,
        labels: Record<string, string>,
        over: (v: string) => Partial<IrisValues>,
        bad: number,
        good: number,
        what: string,
        checks = { firing: "45m", cleared: "2h" },
    ) => {
        cases.push(
            {
                alert,
                kind: "fires",
                what,
                instance: id,
                series: withIris(over(steady(bad))),
                checks: [{ at: checks.firing, firing: [labels] }],
            },
            {
                alert,
                kind: "silent",
                what: `healthy value ${good}`,
                instance: id,
                series: withIris(over(steady(good))),
                checks: [{ at: checks.firing, firing: [] }],
            },
            {
                alert,
                kind: "resolves",
                what: `${bad} for an hour, then ${good}`,
                instance: id,
                series: withIris(over(switchAt(60, bad, good))),
                checks: [
                    { at: checks.firing, firing: [labels] },
                    { at: checks.cleared, firing: [] },
                ],
            },
        );
    };

    cases.push(
        {
            alert: "IRISMetricsAbsent",
            kind: "fires",
            what: "no target scraped at all",
            instance: id,
            series: rest,
            checks: [{ at: "30m", firing: [inst] }],
        },
        {
            alert: "IRISMetricsAbsent",
            kind: "silent",
            what: GRACE,
            instance: id,
            series: newlyDeployed(others),
            checks: graceChecks(inst),
        },
        {
            // `unless` with nothing on its right keeps everything: without kube-state-metrics
            // there is no grace, and the page stays.
            alert: "IRISMetricsAbsent",
            kind: "fires",
            what: "no target and no kube-state-metrics at all",
            instance: id,
            series: [],
            checks: [{ at: "30m", firing: [inst] }],
        },
        {
            alert: "IRISMetricsAbsent",
            kind: "silent",
            what: "targets scraped",
            instance: id,
            series: healthy,
            checks: [{ at: "30m", firing: [] }],
        },
        {
            alert: "IRISMetricsAbsent",
            kind: "resolves",
            what: "the target appears after an hour",
            instance: id,
            series: withIris({ up: `_x60 ${steady(1)}` }),
            checks: [
                { at: "30m", firing: [inst] },
                { at: "2h", firing: [] },
            ],
        },
    );
    // A metric the alerts read, missing from an answering endpoint (here the write-daemon cycle).
    const wd = { ...inst, metric: "iris_wd_cycle_time" };
    cases.push(
        {
            alert: "IRISMetricsIncomplete",
            kind: "fires",
            what: "the endpoint answers without iris_wd_cycle_time",
            instance: id,
            series: withIris({ wdCycleTime: `_x${b.N}` }),
            checks: [{ at: "45m", firing: [wd] }],
        },
        {
            alert: "IRISMetricsIncomplete",
            kind: "silent",
            what: "every metric the alerts read is there",
            instance: id,
            series: healthy,
            checks: [{ at: "45m", firing: [] }],
        },
        {
            alert: "IRISMetricsIncomplete",
            kind: "resolves",
            what: "iris_wd_cycle_time appears after an hour",
            instance: id,
            series: withIris({ wdCycleTime: `_x60 2000x${b.N - 61}` }),
            checks: [
                { at: "45m", firing: [wd] },
                { at: "2h", firing: [] },
            ],
        },
        {
            alert: "IRISMetricsIncomplete",
            kind: "silent",
            what: "the endpoint does not answer (IRISInstanceDown's case, not this one)",
            instance: id,
            series: withIris({ up: steady(0), wdCycleTime: `_x${b.N}` }),
            checks: [{ at: "45m", firing: [] }],
        },
    );
    trio("IRISInstanceDown", inst, (v) => ({ up: v }), 0, 1, "every target fails");
    cases.push(
        {
            alert: "IRISInstanceDown",
            kind: "silent",
            what: GRACE,
            instance: id,
            series: newlyDeployed([...b.irisSeries(f, { up: steady(0) }), ...others]),
            checks: graceChecks(inst),
        },
        {
            alert: "IRISInstanceDown",
            kind: "fires",
            what: "every target fails and kube-state-metrics is not scraped (no grace to apply)",
            instance: id,
            series: b.irisSeries(f, { up: steady(0) }),
            checks: [{ at: "30m", firing: [inst] }],
        },
    );
    if (f.gateways > 1)
        cases.push({
            alert: "IRISInstanceDown",
            kind: "silent",
            what: "one of the web gateways down, another answers",
            instance: id,
            series: [
                ...b
                    .irisSeries(f)
                    .map((s) =>
                        s.series.startsWith("up{") && s.series.includes("webgateway-0")
                            ? { ...s, values: steady(0) }
                            : s,
                    ),
                ...rest,
            ],
            checks: [{ at: "45m", firing: [] }],
        });
    trio("IRISInstanceHung", inst, (v) => ({ systemState: v }), -1, 0, "system state -1 (hung)");
    cases.push({
        alert: "IRISInstanceHung",
        kind: "silent",
        what: "system state 1 (warning) is not hung",
        instance: id,
        series: withIris({ systemState: steady(1) }),
        checks: [{ at: "45m", firing: [] }],
    });
    trio("IRISSystemStateAlert", inst, (v) => ({ systemState: v }), 2, 1, "system state 2 (alert)");

    // Journal and WIJ: 5% free pages, 60% free (the baseline) does not — on this instance's volumes.
    const v = f.rule.journalVolumesMiB;
    const jf = b.healthyIris(f).journalFree;
    for (const which of ["primary", "secondary"] as const)
        trio(
            "IRISJournalSpaceLow",
            { ...inst, id: which },
            (x) => ({ journalFree: { ...jf, [which]: x } }),
            Math.round(v[which] * 0.05),
            Math.round(v[which] * 0.6),
            `5% of the ${Math.round(v[which])} MiB ${which} journal volume free`,
        );
    trio(
        "IRISWIJSpaceLow",
        { ...inst, id: "WIJ" },
        (x) => ({ journalFree: { ...jf, WIJ: x } }),
        Math.round(v.WIJ * 0.05),
        Math.round(v.WIJ * 0.6),
        `5% of the ${Math.round(v.WIJ)} MiB WIJ volume free`,
    );
    trio(
        "IRISDatabaseNearMaxSize",
        { ...inst, id: "USER", dir: "/irissys/data/IRIS/mgr/user/" },
        (x) => ({ dbSizeMb: x }),
        950,
        500,
        "USER at 950 of its 1000 MB maximum (IRISSYS unlimited)",
    );
    trio("IRISLicenseNearlyUsed", inst, (x) => ({ licensePercentUsed: x }), 95, 20, "95% of units");
    trio("IRISWriteDaemonSlow", inst, (x) => ({ wdCycleTime: x }), 70000, 2000, "70 s cycles");
    if (f.rule.computeReplicas > 0)
        trio(
            "IRISECPServerConnectionsLow",
            inst,
            (x) => ({ ecpsConn: x }),
            f.rule.computeReplicas - 1,
            f.rule.computeReplicas,
            `${f.rule.computeReplicas - 1} of ${f.rule.computeReplicas} compute nodes connected`,
        );
    if (f.rule.mirrored) cases.push(...mirrorCases(f, id));
    if (f.rule.backup) cases.push(...backupCases(f, id));
    return cases;
}

/** What the deploy-grace cases show. */
const GRACE =
    "silent during the first 30 minutes after the metrics Service appeared (a first deploy)";

/**
 * The bad condition holds from t0, when the metrics Service was created: silent at 20m, inside the
 * 30-minute grace (each of these alerts would fire there without it: their `for` is at most 10m);
 * firing at 45m, past the grace and the longest `for` (10m).
 */
const graceChecks = (firing: Record<string, string>) => [
    { at: "20m", firing: [] },
    { at: "45m", firing: [firing] },
];

function mirrorCases(f: b.InstanceFixture, id: string): AlertCase[] {
    const iris = [...b.irisSeries(f), b.metricsService(f)];
    const out: AlertCase[] = [];
    for (const [alert, role] of [
        ["IRISMirrorBackupLost", "backup"],
        ["IRISMirrorNoPrimary", "primary"],
    ] as const) {
        const pods = (values: string) => [...iris, ...b.mirrorPods(f, { [role]: values })];
        // absent() yields its selector's equality labels (promql/functions.go createLabelsForAbsentFunction).
        const none = {
            namespace: f.rule.namespace,
            label_intersystems_com_name: f.rule.name,
            label_intersystems_com_mirror_role: role,
        };
        out.push(
            {
                alert,
                kind: "fires",
                what: `no pod labelled ${role}`,
                instance: id,
                series: [
                    ...iris,
                    ...b.mirrorPods(f).filter((s) => !s.series.includes(`"${role}"`)),
                ],
                checks: [{ at: "30m", firing: [none] }],
            },
            {
                alert,
                kind: "fires",
                what: "the pods run but kube-state-metrics exports no intersystems.com labels (a stock allowlist)",
                instance: id,
                series: [...iris, ...b.mirrorPods(f, {}, false)],
                checks: [{ at: "30m", firing: [none] }],
            },
            {
                alert,
                kind: "silent",
                what: GRACE,
                instance: id,
                series: [
                    ...b.irisSeries(f),
                    b.metricsService(f, t0),
                    ...b.mirrorPods(f).filter((s) => !s.series.includes(`"${role}"`)),
                ],
                checks: graceChecks(none),
            },
            {
                alert,
                kind: "silent",
                what: "a primary and a backup",
                instance: id,
                series: pods(steady(1)),
                checks: [{ at: "30m", firing: [] }],
            },
            {
                alert,
                kind: "resolves",
                what: `the ${role} pod returns after an hour`,
                instance: id,
                series: pods(`_x60 ${steady(1)}`),
                checks: [
                    { at: "30m", firing: [none] },
                    { at: "2h", firing: [] },
                ],
            },
            {
                alert,
                kind: "fires",
                what: "both data pods gone, the arbiter and gateways remain",
                instance: id,
                series: [
                    ...iris,
                    ...b.mirrorPods(f).filter((s) => !/"(primary|backup)"/.test(s.series)),
                ],
                checks: [{ at: "30m", firing: [none] }],
            },
        );
    }
    return out;
}

function backupCases(f: b.InstanceFixture, id: string): AlertCase[] {
    const plan = f.rule.backup!;
    const ns = f.rule.namespace;
    const iris = b.irisSeries(f);
    const failedStart = t0 - 2 * 3600;
    const failed = { namespace: ns, job_name: b.jobName(plan.cronJob, failedStart) };
    const series = (o: Parameters<typeof b.backupSeries>[1]) => [...iris, ...b.backupSeries(f, o)];
    const gap = longestCronGapSeconds(plan.schedule);
    const missing = { namespace: ns, cronjob: plan.cronJob };
    // Late but within the run's deadlines: gap + 3 h old at the check (deadlines allow 4.5 h).
    const late = t0 + 30 * 60 - gap - 3 * 3600;
    const overdue = t0 - gap - plan.maxRunSeconds - 3600;
    return [
        {
            alert: "IRISBackupSetFailed",
            kind: "fires",
            what: "the last run failed; the last good set is a day older",
            instance: id,
            series: series({ lastSuccessful: steady(t0 - 26 * 3600), failedJobStart: failedStart }),
            checks: [{ at: "30m", firing: [failed] }],
        },
        {
            alert: "IRISBackupSetFailed",
            kind: "silent",
            what: "a failed Job kept by failedJobsHistoryLimit, a set succeeded since",
            instance: id,
            series: series({ failedJobStart: t0 - 50 * 3600 }),
            checks: [{ at: "30m", firing: [] }],
        },
        {
            alert: "IRISBackupSetFailed",
            kind: "resolves",
            what: "the next set succeeds",
            instance: id,
            series: series({
                lastSuccessful: switchAt(50, t0 - 26 * 3600, t0 + 50 * 60),
                failedJobStart: failedStart,
            }),
            checks: [
                { at: "30m", firing: [failed] },
                { at: "90m", firing: [] },
            ],
        },
        {
            alert: "IRISBackupSetMissing",
            kind: "fires",
            what: `last good set older than the schedule "${plan.schedule}" allows`,
            instance: id,
            series: series({ lastSuccessful: steady(overdue) }),
            checks: [{ at: "30m", firing: [missing] }],
        },
        {
            alert: "IRISBackupSetMissing",
            kind: "fires",
            what: "never a good set since the CronJob was created",
            instance: id,
            series: series({ lastSuccessful: null }),
            checks: [{ at: "30m", firing: [missing] }],
        },
        {
            alert: "IRISBackupSetMissing",
            kind: "fires",
            what: "kube-state-metrics reports no such CronJob (deleted, or not scraped)",
            instance: id,
            series: iris,
            checks: [{ at: "30m", firing: [missing] }],
        },
        {
            alert: "IRISBackupSetMissing",
            kind: "silent",
            what: `the run of "${plan.schedule}" is late but within its deadlines`,
            instance: id,
            series: series({ lastSuccessful: steady(late) }),
            checks: [{ at: "30m", firing: [] }],
        },
        {
            alert: "IRISBackupSetMissing",
            kind: "resolves",
            what: "a set succeeds",
            instance: id,
            series: series({ lastSuccessful: switchAt(50, overdue, t0 + 50 * 60) }),
            checks: [
                { at: "30m", firing: [missing] },
                { at: "90m", firing: [] },
            ],
        },
    ];
}
