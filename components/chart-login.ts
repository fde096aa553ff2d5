/**
 * The Helm registry credentials file for private `oci://` chart sources, written from the
 * `chartRegistryPassword` secret while the program runs (why a file: domain/chart-registry.ts).
 *
 * Where: `<temp>/iris-platform-helm-<uid>/<hash of project and stack>.json`, `<temp>` being
 * `$RUNNER_TEMP` when set (a GitHub Actions runner's temporary folder, emptied at the start and
 * end of every job: docs.github.com "Variables reference", RUNNER_TEMP), otherwise os.tmpdir().
 * Mode 0600 in a directory of mode 0700 that must belong to this user (anything else is refused,
 * so no other user can plant or read it). The path is the same on every run of a stack on one
 * machine, so the provider's `helmReleaseSettings` do not change between runs (a changing path
 * would make every preview plan a provider update).
 *
 * The file is removed when the program's process exits (end of each `pulumi preview`/`up`) and
 * when it is stopped by SIGINT, SIGTERM or SIGHUP (a cancelled CI job): Node emits no `exit`
 * then, and @pulumi/pulumi installs no handlers. It is removed only while it is still the file
 * this process wrote (same inode, same content), so a concurrent run of the same stack that
 * rewrote it keeps its own. SIGKILL leaves it until the next run rewrites and removes it. Only
 * the path reaches the state.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { helmRegistryConfig, type OciLogin } from "../domain/chart-registry";

/** What this process wrote at each path: the file's inode and a hash of its content. */
const written = new Map<string, { ino: number; sha256: string }>();
let cleanupRegistered = false;

const sha256 = (text: string | Buffer) => crypto.createHash("sha256").update(text).digest("hex");

/** Removes `file` if it is still the one this process wrote; another run's file stays. */
function removeIfMine(file: string, mine: { ino: number; sha256: string }): void {
    try {
        if (fs.lstatSync(file).ino !== mine.ino) return;
        if (sha256(fs.readFileSync(file)) !== mine.sha256) return;
        fs.rmSync(file, { force: true });
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
}

function removeWritten(): void {
    for (const [f, mine] of written) removeIfMine(f, mine);
    written.clear();
}

/** The signals that stop a run early (Ctrl-C, a cancelled CI job, a closed terminal). */
const stopSignals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/**
 * On a stop signal: remove the file, then let the signal do what it would have done. When this
 * is the only listener, it stops listening and raises the signal again, so the process ends by
 * that signal as without us; when the program has other listeners, they decide (Node ends the
 * process on a signal only while it has no listener for it).
 */
function onStopSignal(sig: NodeJS.Signals): void {
    removeWritten();
    if (process.listenerCount(sig) > 1) return;
    for (const s of stopSignals) process.removeListener(s, onStopSignal);
    process.kill(process.pid, sig);
}

/** The private directory for this user's credentials files; refuses one it cannot trust. */
function privateDir(): string {
    const uid = process.getuid?.() ?? 0;
    const dir = path.join(tempRoot(), `iris-platform-helm-${uid}`);
    try {
        fs.mkdirSync(dir, { mode: 0o700 });
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const st = fs.lstatSync(dir);
    if (!st.isDirectory() || st.uid !== uid || (st.mode & 0o077) !== 0)
        throw new Error(
            `${dir} must be a directory of this user with mode 0700 (it holds the chart registry login); remove it and run again`,
        );
    return dir;
}

/** The job's own temporary folder on a GitHub Actions runner, else the system's. */
function tempRoot(): string {
    return process.env.RUNNER_TEMP || os.tmpdir();
}

/** Where the credentials file of `project`/`stack` goes, without creating anything. */
export function helmRegistryConfigLocation(project: string, stack: string): string {
    const id = sha256(`${project}/${stack}`).slice(0, 16);
    return path.join(tempRoot(), `iris-platform-helm-${process.getuid?.() ?? 0}`, `${id}.json`);
}

/** Where the credentials file of the current stack goes (stable across runs), its folder checked. */
export function helmRegistryConfigPath(): string {
    const dir = privateDir();
    const file = helmRegistryConfigLocation(pulumi.getProject(), pulumi.getStack());
    if (path.dirname(file) !== dir) throw new Error(`internal: ${file} is not in ${dir}`);
    return file;
}

/**
 * Writes the credentials file for `logins` with `password` and resolves to its path once it is
 * on disk (so the provider, configured with that path, never reads it before it exists). The path
 * is not secret; the file's content never leaves this process except to the file.
 */
export function writeHelmRegistryConfig(
    logins: readonly OciLogin[],
    password: pulumi.Output<string>,
): pulumi.Output<string> {
    const file = helmRegistryConfigPath();
    const ready = password.apply((p) => {
        const tmp = `${file}.${process.pid}.tmp`;
        const text = helmRegistryConfig(logins, p);
        // Created 0600 ('wx': never through a file someone else made), then moved into place.
        fs.rmSync(tmp, { force: true });
        fs.writeFileSync(tmp, text, { mode: 0o600, flag: "wx" });
        const { ino } = fs.lstatSync(tmp);
        fs.renameSync(tmp, file);
        written.set(file, { ino, sha256: sha256(text) });
        if (!cleanupRegistered) {
            cleanupRegistered = true;
            process.once("exit", removeWritten);
            for (const s of stopSignals) process.on(s, onStopSignal);
        }
        return file;
    });
    return pulumi.unsecret(ready);
}
