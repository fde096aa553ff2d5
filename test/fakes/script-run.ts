/**
 * Runs a rendered bash script (backup set or restore) against a fake kubectl, shared by the
 * backup and restore script tests. The fake is a bash script given by path; it appends each call
 * to $FAKE_DIR/calls and reads the Backup CRs that exist from $FAKE_DIR/backups.json.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { setLabels } from "../../components/iris/backup-script";

export interface Run {
    readonly status: number | null;
    readonly calls: string[];
    readonly stderr: string;
    readonly stdout: string;
}

/** The fake kubectl the restore tests use (test/fixtures/fake-kubectl.sh). */
export const fakeKubectl = path.join(__dirname, "..", "fixtures", "fake-kubectl.sh");

/**
 * Runs `script` with `kubectl` (a fake) first on PATH; `backups` are the Backup CRs that exist;
 * `files` are written into $FAKE_DIR before the run (name → content).
 */
export function run(
    script: string,
    env: Record<string, string>,
    backups: unknown[] = [],
    kubectl: string = fakeKubectl,
    files: Record<string, string> = {},
): Run {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "iris-script-"));
    fs.mkdirSync(path.join(dir, "bin"));
    fs.copyFileSync(kubectl, path.join(dir, "bin", "kubectl"));
    fs.chmodSync(path.join(dir, "bin", "kubectl"), 0o755);
    fs.writeFileSync(path.join(dir, "backups.json"), JSON.stringify({ items: backups }));
    for (const [name, content] of Object.entries(files))
        fs.writeFileSync(path.join(dir, name), content);
    fs.writeFileSync(path.join(dir, "script.sh"), script);
    const r = spawnSync("bash", [path.join(dir, "script.sh")], {
        env: {
            PATH: `${path.join(dir, "bin")}:${process.env.PATH ?? ""}`,
            FAKE_DIR: dir,
            ...env,
        },
        encoding: "utf8",
        timeout: 60_000,
    });
    const callsFile = path.join(dir, "calls");
    const calls = fs.existsSync(callsFile)
        ? fs.readFileSync(callsFile, "utf8").trim().split("\n")
        : [];
    fs.rmSync(dir, { recursive: true, force: true });
    return { status: r.status, calls, stderr: r.stderr, stdout: r.stdout };
}

/** Index of the first call containing `text` (-1 when none). */
export const at = (r: Run, text: string): number => r.calls.findIndex((c) => c.includes(text));
/** Number of calls containing `text`. */
export const count = (r: Run, text: string): number =>
    r.calls.filter((c) => c.includes(text)).length;

/** A Backup CR of set `set` of instance iris.iris, as a finished backup set leaves it. */
export function backup(set: string, claim: string, size = 2, state = "Completed"): unknown {
    const labels = {
        [setLabels.set]: set,
        [setLabels.instance]: "iris.iris",
        [setLabels.size]: String(size),
        [setLabels.claim]: claim,
        [setLabels.journal]: "20261129.001",
    };
    return {
        metadata: { name: `${claim}-${set.toLowerCase()}`, labels },
        spec: { labels },
        status: { state, url: `s3://b@r/?backup=${claim}-${set}`, volumeSize: "10737418240" },
    };
}
