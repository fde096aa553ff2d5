/**
 * The real Pulumi engine for the integration tier: the CLI built by
 * toolchain/build.sh, driven by the Automation API with the program as an
 * *inline* program (no nodejs language host needed), a `file://` backend and a
 * fresh PULUMI_HOME per stack.
 *
 * Plugins: the engine finds provider plugins on PATH ("ambient" plugins) and
 * this harness puts only known folders there: `pluginDirs` (the real
 * kubernetes provider, or the stand-ins), then @pulumi/pulumi's own
 * pulumi-resource-pulumi-nodejs for dynamic resources. Downloads are refused
 * (PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION), and PULUMI_HOME starts empty,
 * so a plugin the harness did not provide fails the run instead of being
 * fetched or taken from a cache.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import { program } from "../../program";
import { toolchain } from "./toolchain";
import { fillInPlaceholders } from "../stack-files";

const repoRoot = path.resolve(__dirname, "..", "..");

export interface EngineStackOptions {
    /** Stack name (its stack file is written as Pulumi.<name>.yaml). */
    readonly name: string;
    /** The stack file's `config:` map, as a user's Pulumi.<stack>.yaml holds it. */
    readonly config: Record<string, unknown>;
    /** Secret keys (without namespace) set as `pulumi config set --secret` would. */
    readonly secrets: Record<string, string>;
    /** Folders with provider plugins, searched first. */
    readonly pluginDirs: readonly string[];
    /** Extra environment for the engine and its plugins. */
    readonly env?: Record<string, string>;
}

export interface EngineStack {
    readonly stack: Stack;
    /** The folder with Pulumi.yaml, the stack file, the state and PULUMI_HOME. */
    readonly dir: string;
    /** Replaces the stack file's config (secrets set again), as editing the file would. */
    setConfig(config: Record<string, unknown>): Promise<void>;
    /**
     * Every file of the `file://` backend as text: what a state bucket holds.
     * (The Automation API's exportStack decrypts secrets, so it cannot show a leak.)
     */
    exportText(): Promise<string>;
    /** Removes the stack and its folder. */
    remove(): Promise<void>;
}

/** A stack file's `config:` map, read from the repository. */
export function stackFileConfig(file: string): Record<string, unknown> {
    const doc = yaml.load(fs.readFileSync(path.join(repoRoot, file), "utf8")) as {
        config?: Record<string, unknown>;
    };
    // Placeholders filled in as a user would (the program refuses example.com values).
    return fillInPlaceholders({ ...(doc.config ?? {}) }) as Record<string, unknown>;
}

export async function engineStack(opts: EngineStackOptions): Promise<EngineStack> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `iris-e2e-${opts.name}-`));
    const home = path.join(dir, "pulumi-home");
    const state = path.join(dir, "state");
    fs.mkdirSync(home);
    fs.mkdirSync(state);
    // The real project file: its secret-key declarations apply as they do for users.
    fs.copyFileSync(path.join(repoRoot, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    const stackFile = path.join(dir, `Pulumi.${opts.name}.yaml`);
    const writeStackFile = (config: Record<string, unknown>) => {
        const salt = fs.existsSync(stackFile)
            ? (yaml.load(fs.readFileSync(stackFile, "utf8")) as { encryptionsalt?: string })
                  .encryptionsalt
            : undefined;
        fs.writeFileSync(
            stackFile,
            yaml.dump({ ...(salt ? { encryptionsalt: salt } : {}), config }),
        );
    };
    writeStackFile(opts.config);

    const pulumiBin = toolchain.pulumiBinary();
    const dynamicPluginDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
    const envVars: Record<string, string> = {
        PATH: [
            ...opts.pluginDirs,
            dynamicPluginDir,
            path.dirname(pulumiBin),
            process.env.PATH ?? "",
        ].join(path.delimiter),
        PULUMI_HOME: home,
        PULUMI_BACKEND_URL: `file://${state}`,
        PULUMI_CONFIG_PASSPHRASE: "iris-e2e",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
        // pulumi-resource-pulumi-nodejs resolves @pulumi/pulumi from its working directory,
        // which for users is the project (with node_modules); here it is the stack's folder.
        NODE_PATH: path.resolve(dynamicPluginDir, "..", ".."),
        ...opts.env,
    };
    const pulumiCommand = await PulumiCommand.get({
        root: path.dirname(path.dirname(pulumiBin)),
        skipVersionCheck: true,
    });
    const stack = await LocalWorkspace.createOrSelectStack(
        { stackName: opts.name, projectName: "iris-platform", program: async () => program() },
        { workDir: dir, pulumiCommand, envVars, secretsProvider: "passphrase" },
    );
    const setSecrets = async () => {
        for (const [key, value] of Object.entries(opts.secrets))
            await stack.setConfig(`iris-platform:${key}`, { value, secret: true });
    };
    await setSecrets();
    return {
        stack,
        dir,
        async setConfig(config) {
            writeStackFile(config);
            await setSecrets();
        },
        async exportText() {
            const files = fs
                .readdirSync(state, { recursive: true, withFileTypes: true })
                .filter((f) => f.isFile());
            const texts = files.map((f) =>
                fs.readFileSync(path.join(f.parentPath, f.name), "utf8"),
            );
            assert.ok(
                texts.some((t) => t.includes(`"urn:pulumi:${opts.name}::`)),
                `no checkpoint of stack ${opts.name} under ${state}`,
            );
            return texts.join("\n");
        },
        async remove() {
            await stack.workspace.removeStack(opts.name, { force: true });
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}
