/**
 * The one config module: a zod schema (cluster.ts, addons.ts, iris.ts; rules
 * between sections in checks.ts) turns the stack's `iris-platform:*` keys
 * into one typed, frozen `PlatformConfig`, or throws a `ConfigError` listing every
 * problem as `<key>: <what is wrong> (got <value>)` before any resource exists.
 *
 * Plain keys are objects (`cluster`, `longhorn`, ...). Secrets are separate
 * top-level string keys set with `pulumi config set --secret` (see `secretKeys`);
 * the schema only sees whether each is present, never its value.
 */
import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { crossChecks } from "./checks";
import { placeholderProblems } from "./placeholders";
import { baseSchema, secretKeys, type Parsed, type SecretKey } from "./schema";

export { secretKeys, type SecretKey } from "./schema";

/** The full schema: every section plus the rules between them. */
export const configSchema = baseSchema.superRefine(crossChecks);

/**
 * A RunError, which the Pulumi language host prints as its message alone, without a
 * stack trace (@pulumi/pulumi cmd/run/run.ts: "Always hide the stack for RunErrors").
 */
export class ConfigError extends pulumi.RunError {
    constructor(readonly problems: readonly string[]) {
        super(`Invalid iris-platform stack config:\n  - ${problems.join("\n  - ")}`);
        this.name = "ConfigError";
    }
}

/** Keys earlier versions took, with why they are gone and what to do instead. */
export const removedKeys: Readonly<Record<string, string>> = {
    "iris-platform:certManager.dns01":
        "was removed: its solvers had no credentials on any cloud (GKE pods never see the node account, AWS workers have no Route53 rights, Azure needs workload identity); remove the key, certificates are issued with HTTP-01",
    "iris-platform:certManager.azureIdentityClientId":
        "was removed together with certManager.dns01; remove the key",
};

function describe(value: unknown): string {
    if (value === undefined) return "nothing";
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function formatIssue(issue: z.core.$ZodIssue): string | string[] {
    const key = `iris-platform:${issue.path
        .map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))
        .join("")
        .slice(1)}`;
    // At the top level the unknown keys are config keys themselves: name each one.
    if (issue.code === "unrecognized_keys" && issue.path.length === 0) {
        return issue.keys.map(
            (k) => `iris-platform:${k}: unknown config key; check the spelling against README`,
        );
    }
    let input: unknown = issue.input;
    let message = issue.message;
    if (issue.code === "invalid_union" && "discriminator" in issue && issue.discriminator) {
        const options = ((issue as { options?: unknown[] }).options ?? []).map(String);
        message = `must be one of ${options.join(", ")}`;
        input = (input as Record<string, unknown> | undefined)?.[issue.discriminator];
    }
    if (issue.code === "invalid_value" && issue.values.length > 0)
        message = `must be one of ${issue.values.map(String).join(", ")}`;
    if (issue.code === "unrecognized_keys") {
        const removed = issue.keys
            .filter((k) => `${key}.${k}` in removedKeys)
            .map((k) => `${key}.${k}: ${removedKeys[`${key}.${k}`]}`);
        const unknown = issue.keys.filter((k) => !(`${key}.${k}` in removedKeys));
        return [
            ...removed,
            ...(unknown.length > 0
                ? [
                      `${key}: unknown key(s) ${unknown.join(", ")}; check the spelling against README`,
                  ]
                : []),
        ];
    }
    if (issue.code === "invalid_type" && input === undefined)
        return `${key}: is required (${message})`;
    return `${key}: ${message} (got ${describe(input)})`;
}

// ------------------------------------------------------------------ loading
/** Secret values, present only for the keys the stack sets; always Pulumi secrets. */
export type Secrets = Readonly<Partial<Record<SecretKey, pulumi.Output<string>>>>;

/** The validated stack config every component reads. */
export type PlatformConfig = Readonly<Omit<Parsed, "secretsPresent">> & {
    readonly secrets: Secrets;
};
export type ClusterConfig = Parsed["cluster"];
export type IrisInstanceConfig = Parsed["iris"]["instances"][number];

function deepFreeze<T>(value: T): T {
    if (value && typeof value === "object" && !pulumi.Output.isInstance(value)) {
        Object.values(value).forEach(deepFreeze);
        Object.freeze(value);
    }
    return value;
}

/**
 * Validates plain config (the `iris-platform:*` objects, keys without the
 * namespace) plus the secrets the stack sets. `plaintextSecrets` names secret
 * keys the stack file holds unencrypted (refused). Throws `ConfigError`.
 */
export function parseConfig(
    plain: Record<string, unknown>,
    secrets: Secrets = {},
    plaintextSecrets: readonly SecretKey[] = [],
): PlatformConfig {
    const secretsPresent = secretKeys.filter((k) => secrets[k] !== undefined);
    const problems = plaintextSecrets.map(
        (k) =>
            `iris-platform:${k}: is a secret but the stack file holds it in plain text: set it with \`pulumi config set --secret ${k} …\` (value not shown)`,
    );
    // A key named like the schema's internal field is the user's, and unknown.
    const { secretsPresent: internal, ...userKeys } = plain;
    if (internal !== undefined)
        problems.push(
            "iris-platform:secretsPresent: unknown key; check the spelling against README",
        );
    const result = configSchema.safeParse({ ...userKeys, secretsPresent }, { reportInput: true });
    if (!result.success) problems.push(...result.error.issues.flatMap(formatIssue));
    if (problems.length > 0 || !result.success) throw new ConfigError(problems);
    const { secretsPresent: _present, ...rest } = result.data;
    return deepFreeze({ ...rest, secrets: Object.freeze({ ...secrets }) });
}

// isConfigSecret is internal to @pulumi/pulumi, but it is the only way to tell
// an encrypted stack value from a plain one (the language host passes the list).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runtimeConfig = require("@pulumi/pulumi/runtime/config") as {
    isConfigSecret?: (key: string) => boolean;
};

/**
 * Reads the current stack's config through Pulumi (secrets stay secret). Every
 * `iris-platform:*` key reaches the schema, so a misspelt section is refused
 * instead of silently leaving its defaults in force. Values left from the example
 * stacks (placeholders.ts) are refused here too, with the schema's problems: the
 * unit tests' fixtures go through `parseConfig` and may use example names.
 */
export function loadConfig(): PlatformConfig {
    const namespace = "iris-platform:";
    const cfg = new pulumi.Config("iris-platform");
    const isSecret = runtimeConfig.isConfigSecret;
    if (typeof isSecret !== "function")
        throw new Error(
            "@pulumi/pulumi no longer exposes runtime isConfigSecret: config.loadConfig needs a replacement",
        );
    const plain: Record<string, unknown> = {};
    const secrets: Partial<Record<SecretKey, pulumi.Output<string>>> = {};
    const plaintext: SecretKey[] = [];
    for (const [fullKey, text] of Object.entries(pulumi.runtime.allConfig())) {
        if (!fullKey.startsWith(namespace)) continue;
        const key = fullKey.slice(namespace.length);
        if ((secretKeys as readonly string[]).includes(key)) {
            // Pulumi.yaml declares every secret key with default "", which means unset.
            if (!text) continue;
            secrets[key as SecretKey] = cfg.requireSecret(key);
            if (!isSecret(fullKey)) plaintext.push(key as SecretKey);
            continue;
        }
        plain[key] = parseValue(text);
    }
    const placeholders = placeholderProblems(plain);
    try {
        const config = parseConfig(plain, secrets, plaintext);
        if (placeholders.length === 0) return config;
    } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        throw new ConfigError([...err.problems, ...placeholders]);
    }
    throw new ConfigError(placeholders);
}

/** A config value as Pulumi stores it: JSON for objects, lists and numbers; anything else is the text itself. */
function parseValue(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}
