/**
 * Where the integration tier finds what toolchain/build.sh built: binaries in
 * .toolchain/bin (or $IRIS_TOOLCHAIN_BIN), kwok's stages beside them, and the
 * versions from the toolchain's go.mod files (their one home).
 */
import * as fs from "fs";
import * as path from "path";

const repoRoot = path.resolve(__dirname, "..", "..");
const outDir = path.join(repoRoot, ".toolchain");

function goModVersion(module: string, dependency: string): string {
    const text = fs.readFileSync(path.join(repoRoot, "toolchain", module, "go.mod"), "utf8");
    const m = new RegExp(`^\\s*${dependency.replace(/[.*/]/g, (c) => `\\${c}`)} (v\\S+)`, "m").exec(
        text,
    );
    if (!m) throw new Error(`toolchain/${module}/go.mod does not require ${dependency}`);
    return m[1];
}

export const toolchain = {
    binDir(): string {
        return process.env.IRIS_TOOLCHAIN_BIN ?? path.join(outDir, "bin");
    },
    /** The Pulumi CLI, alone in its folder (it looks for plugins beside itself first). */
    pulumiBinary(): string {
        const file = process.env.IRIS_PULUMI_BIN ?? path.join(outDir, "pulumi", "bin", "pulumi");
        if (!fs.existsSync(file))
            throw new Error(
                `integration toolchain incomplete (no ${file}): run toolchain/build.sh`,
            );
        return file;
    },
    /**
     * kwok's stages, which toolchain/build.sh installs beside `bin/`: a toolchain built
     * elsewhere ($IRIS_TOOLCHAIN_BIN) has them beside its own `bin/`, not in this checkout.
     */
    kwokStagesDir(): string {
        return path.join(path.dirname(path.resolve(this.binDir())), "kwok-stages");
    },
    /** The Kubernetes release the control plane is built from (k8s.io/kubernetes in toolchain/kube). */
    kubernetesVersion(): string {
        return goModVersion("kube", "k8s.io/kubernetes");
    },
    /** The Pulumi CLI version (github.com/pulumi/pulumi/pkg/v3 in toolchain/pulumi). */
    pulumiVersion(): string {
        return goModVersion("pulumi", "github.com/pulumi/pulumi/pkg/v3");
    },
    /** Absolute paths of the named binaries; throws with the build command when one is missing. */
    requireBinaries<T extends string>(names: readonly T[]): Record<T, string> {
        const found = {} as Record<T, string>;
        const missing: string[] = [];
        for (const n of names) {
            const file = path.join(this.binDir(), n);
            if (fs.existsSync(file)) found[n] = file;
            else missing.push(n);
        }
        if (missing.length > 0) {
            throw new Error(
                `integration toolchain incomplete (${missing.join(", ")} not in ${this.binDir()}): run toolchain/build.sh`,
            );
        }
        return found;
    },
};
