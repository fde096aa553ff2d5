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
import { baseSchema, secretKeys, type Parsed, type SecretKey } from "./schema";

export { dnsCloud, dnsDomain } from "./checks";
export { isCommunityImage } from "./iris";
export { secretKeys, type SecretKey } from "./schema";

/** The full schema: every section plus the rules between them. */
export const configSchema = baseSchema.superRefine(crossChecks);

export class ConfigError extends Error {
    constructor(readonly problems: readonly string[]) {
        super(`Invalid iris-platform stack config:\n  - ${problems.join("\n  - ")}`);
        this.name = "ConfigError";
    }
}

function describe(value: unknown): string {
    if (value === undefined) return "nothing";
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function formatIssue(issue: z.core.$ZodIssue): string {
    const key = `iris-platform:${issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").slice(1)}`;
    let input: unknown = issue.input;
    let message = issue.message;
    if (issue.code === "invalid_union" && "discriminator" in issue && issue.discriminator) {
        const options = ((issue as { options?: unknown[] }).options ?? []).map(String);
        message = `must be one of ${options.join(", ")}`;
        input = (input as Record<string, unknown> | undefined)?.[issue.discriminator];
    }
    if (issue.code === "invalid_value" && issue.values.length > 0) message = `must be one of ${issue.values.map(String).join(", ")}`;
    if (issue.code === "unrecognized_keys") return `${key}: unknown key(s) ${issue.keys.join(", ")}; check the spelling against README`;
    if (issue.code === "invalid_type" && input === undefined) return `${key}: is required (${message})`;
    return `${key}: ${message} (got ${describe(input)})`;
}

// ------------------------------------------------------------------ loading
/** Secret values, present only for the keys the stack sets; always Pulumi secrets. */
export type Secrets = Readonly<Partial<Record<SecretKey, pulumi.Output<string>>>>;

/** The validated stack config every component reads. */
export type PlatformConfig = Readonly<Omit<Parsed, "secretsPresent">> & { readonly secrets: Secrets };
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
 * namespace) plus the secrets the stack sets. Throws `ConfigError`.
 */
export function parseConfig(plain: Record<string, unknown>, secrets: Secrets = {}): PlatformConfig {
    const secretsPresent = secretKeys.filter((k) => secrets[k] !== undefined);
    const result = configSchema.safeParse({ ...plain, secretsPresent }, { reportInput: true });
    if (!result.success) throw new ConfigError(result.error.issues.map(formatIssue));
    const { secretsPresent: _present, ...rest } = result.data;
    return deepFreeze({ ...rest, secrets: Object.freeze({ ...secrets }) });
}

/** The structured keys: every section of the schema (secrets are read separately). */
const plainKeys = Object.keys(baseSchema.shape).filter((k) => k !== "secretsPresent");

/** Reads the current stack's config through Pulumi (secrets stay secret). */
export function loadConfig(): PlatformConfig {
    const cfg = new pulumi.Config("iris-platform");
    const plain: Record<string, unknown> = {};
    for (const key of plainKeys) {
        const value = cfg.getObject<unknown>(key);
        if (value !== undefined) plain[key] = value;
    }
    const secrets: Partial<Record<SecretKey, pulumi.Output<string>>> = {};
    for (const key of secretKeys) {
        // Pulumi.yaml declares every secret key with default "", which means unset.
        if (cfg.get(key)) secrets[key] = cfg.requireSecret(key);
    }
    return parseConfig(plain, secrets);
}
