/**
 * The world the fake kubectl of the backup-set tests sees (test/fakes/backup-kubectl.js), and a
 * runner that keeps it across runs (for incremental backups) and can send TERM mid-run.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { backupRules } from "../../components/iris/backup";
import { irisMethods } from "./iris-methods";
import { longhornRules } from "./longhorn-rules";

export interface Behaviour {
    freezeFails?: boolean;
    freezeHangs?: boolean;
    thawFails?: boolean;
    /** IRIS's suspend limit ended the freeze before the snapshots were taken. */
    wdResumedEarly?: boolean;
    snapshotCreateFails?: boolean;
    snapshotNeverReady?: boolean;
    /** `kubectl wait` blocks (until killed). */
    waitHangs?: boolean;
    /** The state every Backup reaches (longhorn-manager v1.12.1 v1beta2/backup.go BackupState). */
    backupState?: "Completed" | "Error" | "Deleting";
    deleteFails?: boolean;
}

export interface PodSpec {
    name: string;
    mirrorRole?: string;
    claims?: string[];
}

export const LH = "longhorn-system";
export const NS = "iris";

/** A pod with its claims, each on a Longhorn volume `pvc-<claim>`. */
function pod(p: PodSpec): object {
    return {
        metadata: {
            name: p.name,
            labels: {
                "app.kubernetes.io/instance": "iris",
                ...(p.mirrorRole ? { "intersystems.com/mirrorRole": p.mirrorRole } : {}),
            },
        },
        status: { phase: "Running" },
        spec: {
            volumes: (p.claims ?? ["iris-data", "iris-wij"]).map((c) => ({
                name: c,
                persistentVolumeClaim: { claimName: c },
            })),
        },
    };
}

export class BackupWorld {
    readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "iris-backup-"));

    constructor(pods: PodSpec[] = [{ name: "iris-0" }], behaviour: Behaviour = {}) {
        const rules = backupRules();
        const claims = pods.flatMap((p) => p.claims ?? ["iris-data", "iris-wij"]);
        const world = {
            rbac: [
                ...rules.instance.map((r) => ({ ...r, namespace: NS })),
                ...rules.longhorn.map((r) => ({ ...r, namespace: LH })),
                ...rules.volumes.map((r) => ({ ...r, namespace: null })),
            ],
            rules: longhornRules,
            irisMethods,
            pods: pods.map(pod),
            pvcs: Object.fromEntries(claims.map((c) => [c, `pv-${c}`])),
            pvs: Object.fromEntries(
                claims.map((c) => [
                    `pv-${c}`,
                    { spec: { csi: { driver: "driver.longhorn.io", volumeHandle: `pvc-${c}` } } },
                ]),
            ),
            volumes: Object.fromEntries(
                claims.map((c) => [`pvc-${c}`, { backupTargetName: "default" }]),
            ),
            backupTargets: { default: { available: true } },
            snapshots: [],
            backups: [],
            lastBackup: {},
            iris: {
                frozen: false,
                wdSuspended: false,
                journalDir: "/irissys/journal1",
                journalDate: "20261130",
                journal: 1,
                freezeArgs: [],
            },
            behaviour,
        };
        fs.mkdirSync(path.join(this.dir, "bin"));
        // A link, so the fake finds its neighbours (fake-iris.js) by its real path.
        fs.symlinkSync(
            path.join(__dirname, "backup-kubectl.js"),
            path.join(this.dir, "bin", "kubectl"),
        );
        this.write(world);
    }

    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the fake's JSON world
    read(): any {
        return JSON.parse(fs.readFileSync(path.join(this.dir, "world.json"), "utf8"));
    }
    write(world: object): void {
        fs.writeFileSync(path.join(this.dir, "world.json"), JSON.stringify(world));
    }
    /** Changes the fake's behaviour for the next run. */
    behave(b: Behaviour): void {
        this.write({ ...this.read(), behaviour: b });
    }
    remove(): void {
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}

export interface Outcome {
    readonly status: number | null;
    readonly calls: string[];
    readonly stderr: string;
    /** Milliseconds from TERM to the script's exit (when `termOn` fired). */
    readonly afterTerm?: number;
}

/**
 * Runs `script` in `world` with `env`; with `termOn`, sends TERM to bash as soon as a call
 * containing that text appears. Calls of this run only.
 */
export function runIn(
    world: BackupWorld,
    script: string,
    env: Record<string, string>,
    termOn?: string,
): Promise<Outcome> {
    const callsFile = path.join(world.dir, "calls");
    fs.writeFileSync(callsFile, "");
    fs.writeFileSync(path.join(world.dir, "script.sh"), script);
    const child = spawn("bash", [path.join(world.dir, "script.sh")], {
        env: {
            PATH: `${path.join(world.dir, "bin")}:${process.env.PATH ?? ""}`,
            FAKE_DIR: world.dir,
            ...env,
        },
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout.resume();
    let termAt: number | undefined;
    const poll = termOn
        ? setInterval(() => {
              if (termAt === undefined && fs.readFileSync(callsFile, "utf8").includes(termOn)) {
                  termAt = Date.now();
                  child.kill("SIGTERM");
              }
          }, 50)
        : undefined;
    return new Promise((resolve) => {
        child.on("exit", (status) => {
            if (poll) clearInterval(poll);
            resolve({
                status,
                calls: fs.readFileSync(callsFile, "utf8").trim().split("\n"),
                stderr,
                afterTerm: termAt === undefined ? undefined : Date.now() - termAt,
            });
        });
    });
}
