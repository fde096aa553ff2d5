/** Assertions on config errors, shared by the config test files. */
import * as pulumi from "@pulumi/pulumi";
import * as assert from "assert";
import { ConfigError, parseConfig, type Secrets } from "../config";

/** The problem lines of a config; [] when it is accepted. Other errors propagate. */
export function problemsOf(plain: Record<string, unknown>, secrets: Secrets = {}): string[] {
    try {
        parseConfig(plain, secrets);
    } catch (err) {
        if (err instanceof ConfigError) return [...err.problems];
        throw err;
    }
    return [];
}

/** Asserts the config is rejected with a problem matching every pattern; returns all problems. */
export function rejects(
    plain: Record<string, unknown>,
    secrets: Secrets,
    ...patterns: RegExp[]
): string[] {
    const found = problemsOf(plain, secrets);
    assert.ok(found.length > 0, "config was accepted");
    for (const p of patterns) {
        assert.ok(
            found.some((line) => p.test(line)),
            `no problem matches ${p}:\n${found.join("\n")}`,
        );
    }
    return found;
}

/** Asserts exactly one problem, naming `key`, whose text matches `pattern`. */
export function rejectsKey(
    plain: Record<string, unknown>,
    key: string,
    pattern: RegExp,
    secrets: Secrets = {},
): void {
    const found = problemsOf(plain, secrets);
    assert.strictEqual(
        found.length,
        1,
        `expected one problem, got:\n${found.join("\n") || "(config accepted)"}`,
    );
    assert.ok(
        found[0].startsWith(`iris-platform:${key}: `),
        `problem does not name ${key}: ${found[0]}`,
    );
    assert.match(found[0], pattern);
}

/** A GKE cluster section for IRIS config tests. */
export const irisTestGke = { provider: "gke", gke: { project: "p", region: "europe-west1" } };
export const licensedImage = "containers.intersystems.com/intersystems/iris:2025.1";
/** IKO on, chart from a local path, with a registry user. */
export const ikoOn = {
    enabled: true,
    chart: { path: "./vendor/iris-operator" },
    registry: { username: "me@example.com" },
};
/** Every secret an IRIS instance can need. */
export const allIrisSecrets: Secrets = {
    irisPassword: pulumi.secret("pw"),
    irisLicenseKey: pulumi.secret("key"),
    registryToken: pulumi.secret("tok"),
    webgatewayPassword: pulumi.secret("wg"),
};

/** A licensed, mirrored IKO instance (plus `extra` keys). */
export function mirroredIko(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        name: "iris",
        mode: "iko",
        image: licensedImage,
        data: { topology: "mirrored" },
        ...extra,
    };
}
