/**
 * The destroy guard's decision (pure): may the IRIS data of these instances be deleted, given the
 * Backup CRs Longhorn holds, the time and the policy? Used by destroy-guard.ts inside its dynamic
 * provider, so everything here is a function declaration that captures nothing but its peers
 * (closure serialization copies them into the state; see components/cluster/aws/readyz.ts).
 *
 * A set is complete by the rule the restore uses (components/iris/restore-script.ts, `pick`):
 * Backups whose labels (`status.labels` merged with `spec.labels`) name the instance, in state
 * `Completed`, not being deleted and not labelled failed, as many of them as the set's size label.
 * Backup CR fields: longhorn-manager v1.12.1 k8s/pkg/apis/longhorn/v1beta2/backup.go (BackupSpec
 * `labels`; BackupStatus `state`, `labels`).
 */

/** A Longhorn `Backup` (longhorn.io/v1beta2) as the API server returns it; only what is read. */
export interface BackupItem {
    readonly metadata?: {
        readonly labels?: Readonly<Record<string, string>>;
        readonly deletionTimestamp?: string | null;
    };
    readonly spec?: { readonly labels?: Readonly<Record<string, string>> };
    readonly status?: {
        readonly state?: string;
        readonly labels?: Readonly<Record<string, string>>;
    };
}

/** The set labels the backup script writes (components/iris/backup-script.ts `setLabels`). */
export interface GuardLabels {
    readonly set: string;
    readonly instance: string;
    readonly size: string;
    readonly state: string;
}

export interface GuardPolicy {
    /** `namespace/name` of each instance whose data the destroy would delete. */
    readonly instances: readonly string[];
    /** A complete set younger than this many hours lets the destroy go on. */
    readonly maxBackupAgeHours: number;
    /** The deliberate override (`iris.destroyGuard.allowWithoutBackup`): destroy without a set. */
    readonly allowWithoutBackup: boolean;
    readonly labels: GuardLabels;
}

export interface GuardDecision {
    readonly allow: boolean;
    /** Why, per instance; on refusal it names the config keys and the fix. */
    readonly message: string;
}

/** Milliseconds since the epoch of a set id `YYYYMMDDTHHMMSSZ` (domain/backup.ts), or NaN. */
export function setIdTime(id: string): number {
    const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(id);
    if (!m) return NaN;
    const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
    const t = Date.UTC(y, mo - 1, d, h, mi, s);
    // Date.UTC rolls 20261340 over into the next year: only a real date counts.
    return new Date(t).getUTCMonth() === mo - 1 && new Date(t).getUTCDate() === d ? t : NaN;
}

/** Ids of the complete sets of `source` (`<namespace>.<name>`), oldest first. */
export function completeSets(
    items: readonly BackupItem[],
    source: string,
    L: GuardLabels,
): string[] {
    const counts = new Map<string, { size: number; n: number }>();
    for (const b of items) {
        const l: Record<string, string> = {
            ...(b.status?.labels ?? {}),
            ...(b.spec?.labels ?? {}),
        };
        if (l[L.instance] !== source || b.status?.state !== "Completed") continue;
        if (b.metadata?.deletionTimestamp) continue;
        if ((b.metadata?.labels ?? {})[L.state] === "failed") continue;
        const set = l[L.set];
        const size = Number(l[L.size]);
        if (!set || !Number.isInteger(size) || size < 1) continue;
        const c = counts.get(set) ?? { size, n: 0 };
        c.n += 1;
        counts.set(set, c);
    }
    return [...counts.entries()]
        .filter(([, c]) => c.n === c.size)
        .map(([set]) => set)
        .sort();
}

/** Allow or refuse deleting the instances' data, with a message a user can act on. */
export function destroyDecision(
    items: readonly BackupItem[],
    policy: GuardPolicy,
    nowMs: number,
): GuardDecision {
    const maxMs = policy.maxBackupAgeHours * 3_600_000;
    const lines: string[] = [];
    const missing: string[] = [];
    for (const inst of policy.instances) {
        const source = inst.replace("/", ".");
        const sets = completeSets(items, source, policy.labels).filter(
            (s) => !Number.isNaN(setIdTime(s)),
        );
        const newest = sets[sets.length - 1];
        const age = newest === undefined ? undefined : nowMs - setIdTime(newest);
        const ageText = age === undefined ? "" : ` (${Math.floor(age / 3_600_000)} h old)`;
        if (age !== undefined && age <= maxMs) {
            lines.push(`${inst}: complete backup set ${newest}${ageText}`);
            continue;
        }
        missing.push(inst);
        lines.push(
            `${inst}: no complete backup set newer than ${policy.maxBackupAgeHours} h` +
                (newest ? `; the newest is ${newest}${ageText}` : "; none found"),
        );
    }
    if (missing.length === 0) return { allow: true, message: lines.join("\n") };
    if (policy.allowWithoutBackup)
        return {
            allow: true,
            message: [
                ...lines,
                "iris.destroyGuard.allowWithoutBackup is true: deleting the data anyway",
            ].join("\n"),
        };
    const [ns, name] = (missing[0] ?? "").split("/");
    return {
        allow: false,
        message: [
            "iris-platform: destroy refused, the IRIS data would be lost:",
            ...lines.map((l) => `  ${l}`),
            `Take a set and destroy again: kubectl -n ${ns} create job --from=cronjob/${name}-backup ${name}-backup-now` +
                " (then check it completed: docs/backup.md).",
            "Or accept a set up to N hours old: iris.destroyGuard.maxBackupAgeHours.",
            "Or, deliberately losing the data: pulumi config set --path iris-platform:iris.destroyGuard.allowWithoutBackup true," +
                " pulumi up, then pulumi destroy.",
        ].join("\n"),
    };
}
