/** The restore drill's command line (scripts/restore-drill.ts), parsed without touching a cluster. */
import { strictArgs, UsageError, type Parsed } from "./cli";

export const drillUsage = `usage: npm run restore-drill -- --instance <namespace>/<name> [options]

Restores a backup set of an IRIS instance into a throwaway namespace, checks it and
deletes what it made (docs/backup.md). Talks to the cluster in KUBECONFIG.

  --instance <ns>/<name>     the IRIS instance whose backups to restore (required)
  --set <name|latest>        the backup set (default: latest)
  --storage-class <name>     StorageClass of the restored volumes (default: iris-retain)
  --replicas <n>             Longhorn replicas per restored volume (default: 1)
  --restore-timeout <s>      seconds to wait for the volumes to restore (default: 14400)
  --ready-timeout <s>        seconds to wait for IRIS to become Ready (default: 1800)
  --json <file>              also write the result as JSON to <file>
  -h, --help                 print this and exit
`;

export interface DrillArgs {
    readonly namespace: string;
    readonly name: string;
    readonly set: string;
    readonly storageClass: string;
    readonly replicas: number;
    readonly restoreTimeoutSeconds: number;
    readonly readyTimeoutSeconds: number;
    readonly json?: string;
}

const str = { type: "string" } as const;

function positive(option: string, value: string | boolean | undefined, fallback: number): number {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (typeof value !== "string" || !/^\d+$/.test(value) || n < 1)
        throw new UsageError(`--${option} must be a positive whole number (got ${String(value)})`);
    return n;
}

const text = (v: string | boolean | undefined, fallback: string) =>
    typeof v === "string" ? v : fallback;

/** Parses `argv` (without node and the script); throws UsageError naming the bad argument. */
export function parseDrillArgs(argv: readonly string[]): Parsed<DrillArgs> {
    const { values } = strictArgs(
        argv,
        {
            instance: str,
            set: str,
            "storage-class": str,
            replicas: str,
            "restore-timeout": str,
            "ready-timeout": str,
            json: str,
        },
        false,
    );
    if (values.help) return { help: true };
    const instance = values.instance;
    if (typeof instance !== "string") throw new UsageError("--instance is required");
    const parts = instance.split("/");
    if (parts.length !== 2 || !parts[0] || !parts[1])
        throw new UsageError(`--instance must be <namespace>/<name> (got ${instance})`);
    return {
        help: false,
        args: {
            namespace: parts[0],
            name: parts[1],
            set: text(values.set, "latest"),
            storageClass: text(values["storage-class"], "iris-retain"),
            replicas: positive("replicas", values.replicas, 1),
            restoreTimeoutSeconds: positive("restore-timeout", values["restore-timeout"], 14400),
            readyTimeoutSeconds: positive("ready-timeout", values["ready-timeout"], 1800),
            ...(typeof values.json === "string" ? { json: values.json } : {}),
        },
    };
}
