/**
 * The longest wait between two runs of a five-field cron schedule (pure), for thresholds that
 * must follow a schedule (the backup-set age alert). Field syntax as Kubernetes CronJobs parse it:
 * robfig/cron v3 `ParseStandard` (kubernetes pkg/controller/cronjob/utils.go) — numbers, `*`,
 * `?`, ranges `a-b`, steps `/n`, lists, month and weekday names; day-of-month and day-of-week
 * combine with OR when both are restricted (robfig/cron v3 spec.go `dayMatches`). Times are UTC
 * (our CronJobs set `timeZone: Etc/UTC`).
 */

interface Field {
    readonly min: number;
    readonly max: number;
    readonly names?: readonly string[];
}

const fields: readonly Field[] = [
    { min: 0, max: 59 },
    { min: 0, max: 23 },
    { min: 1, max: 31 },
    {
        min: 1,
        max: 12,
        names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
    },
    { min: 0, max: 6, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] },
];

/** Allowed values of one field, and whether it was a wildcard (`*` or `?`). */
function parseField(text: string, f: Field, what: string): { values: Set<number>; star: boolean } {
    const values = new Set<number>();
    const num = (s: string): number => {
        const i = f.names?.indexOf(s.toLowerCase()) ?? -1;
        const n = i >= 0 ? i + f.min : /^\d+$/.test(s) ? Number(s) : NaN;
        if (!(n >= f.min && n <= f.max)) throw new Error(`cron "${what}": ${s} is out of range`);
        return n;
    };
    let star = false;
    for (const part of text.split(",")) {
        const [range, stepText] = part.split("/");
        const step = stepText === undefined ? 1 : Number(stepText);
        if (!(step >= 1) || !Number.isInteger(step))
            throw new Error(`cron "${what}": bad step in ${part}`);
        let lo: number;
        let hi: number;
        if (range === "*" || range === "?") {
            [lo, hi] = [f.min, f.max];
            star = step === 1; // robfig/cron v3 parser.go getRange: a step > 1 drops starBit
        } else if (range.includes("-")) {
            const [a, b] = range.split("-");
            [lo, hi] = [num(a), num(b)];
        } else {
            lo = num(range);
            hi = stepText === undefined ? lo : f.max;
        }
        if (lo > hi) throw new Error(`cron "${what}": empty range ${part}`);
        for (let v = lo; v <= hi; v += step) values.add(v);
    }
    return { values, star };
}

/**
 * Seconds of the longest gap between consecutive runs, over eight years from 2026 (every
 * weekday/leap-year pattern repeats within that). Throws on a schedule that never runs.
 */
export function longestCronGapSeconds(schedule: string): number {
    const parts = schedule.trim().split(/\s+/);
    if (parts.length !== 5) throw new Error(`cron "${schedule}": needs five fields`);
    const [min, hour, dom, month, dow] = parts.map((p, i) => parseField(p, fields[i], schedule));
    const minutes = [...min.values].sort((a, b) => a - b);
    const hours = [...hour.values].sort((a, b) => a - b);
    const start = Date.UTC(2026, 0, 1);
    const days = 8 * 366;
    let previous: number | undefined;
    let longest = 0;
    for (let d = 0; d < days; d++) {
        const day = new Date(start + d * 86_400_000);
        if (!month.values.has(day.getUTCMonth() + 1)) continue;
        const domOk = dom.values.has(day.getUTCDate());
        const dowOk = dow.values.has(day.getUTCDay());
        // robfig/cron v3 dayMatches: either wildcard → AND, else OR.
        const matches = dom.star || dow.star ? domOk && dowOk : domOk || dowOk;
        if (!matches) continue;
        for (const h of hours)
            for (const m of minutes) {
                const t = day.getTime() / 1000 + h * 3600 + m * 60;
                if (previous !== undefined) longest = Math.max(longest, t - previous);
                previous = t;
            }
    }
    if (previous === undefined || longest === 0)
        throw new Error(`cron "${schedule}": never runs twice in eight years`);
    return longest;
}
