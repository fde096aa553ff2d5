/**
 * Writes `pulumi-resource-<package>` shims for the STAND-IN providers
 * (see provider.ts) into a fresh folder, for the engine to find on PATH.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** Packages that cannot be built here and are always stood in. */
export const alwaysStoodIn = ["random", "tls", "aws", "gcp", "azure-native"] as const;

/** A folder of shims for `packages`; `stateDir` receives what the stand-ins share with the test. */
export function standinPlugins(packages: readonly string[]): { dir: string; stateDir: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "iris-e2e-standins-"));
    const stateDir = path.join(dir, "state");
    fs.mkdirSync(stateDir);
    const provider = path.join(__dirname, "provider.ts");
    const tsNode = require.resolve("ts-node/register/transpile-only");
    const project = path.resolve(__dirname, "..", "..", "..", "tsconfig.json");
    for (const pkg of packages) {
        const shim = path.join(dir, `pulumi-resource-${pkg}`);
        fs.writeFileSync(
            shim,
            `#!/bin/sh\n# STAND-IN for pulumi-resource-${pkg} (integration tier only): see ${provider}\nTS_NODE_PROJECT="${project}" exec "${process.execPath}" -r "${tsNode}" "${provider}" ${pkg} "$@"\n`,
            { mode: 0o755 },
        );
    }
    return { dir, stateDir };
}
