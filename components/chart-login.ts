/**
 * The Helm registry credentials file for private `oci://` chart sources, written from the
 * `chartRegistryPassword` secret while the program runs (why a file: domain/chart-registry.ts).
 *
 * Where: `<tmpdir>/iris-platform-helm-<uid>/<hash of project and stack>.json`, mode 0600 in a
 * directory of mode 0700 that must belong to this user (anything else is refused, so no other
 * user can plant or read it). The path is the same on every run of a stack, so the provider's
 * `helmReleaseSettings` do not change between runs (a changing path would make every preview
 * plan a provider update). The file is removed when the program's process exits, i.e. at the
 * end of each `pulumi preview`/`up` run from the CLI; a run that is killed leaves it until the
 * next run of the stack rewrites and removes it. Only the path reaches the state.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { helmRegistryConfig, type OciLogin } from "../domain/chart-registry";

const written = new Set<string>();
let cleanupRegistered = false;

function removeWritten(): void {
    for (const f of written) fs.rmSync(f, { force: true });
    written.clear();
}

/** The private directory for this user's credentials files; refuses one it cannot trust. */
function privateDir(): string {
    const uid = process.getuid?.() ?? 0;
    const dir = path.join(os.tmpdir(), `iris-platform-helm-${uid}`);
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

/** Where the credentials file of `project`/`stack` goes, without creating anything. */
export function helmRegistryConfigLocation(project: string, stack: string): string {
    const id = crypto.createHash("sha256").update(`${project}/${stack}`).digest("hex").slice(0, 16);
    return path.join(os.tmpdir(), `iris-platform-helm-${process.getuid?.() ?? 0}`, `${id}.json`);
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
        // Created 0600 ('wx': never through a file someone else made), then moved into place.
        fs.rmSync(tmp, { force: true });
        fs.writeFileSync(tmp, helmRegistryConfig(logins, p), { mode: 0o600, flag: "wx" });
        fs.renameSync(tmp, file);
        written.add(file);
        if (!cleanupRegistered) {
            cleanupRegistered = true;
            process.once("exit", removeWritten);
        }
        return file;
    });
    return pulumi.unsecret(ready);
}
