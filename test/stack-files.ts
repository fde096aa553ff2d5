/**
 * Loads a `Pulumi.<stack>.yaml` file as Pulumi would hand it to the program, so
 * tests run `index.ts` against the real stack config.
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { secretKeys } from "../config";

export const repoRoot = path.resolve(__dirname, "..");

/** Test values for the secrets the README tells users to set; sentinels so leaks are searchable. */
export const testSecrets: Readonly<Record<string, string>> = {
    kubeconfig:
        "apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n# SENTINEL-KUBECONFIG\n",
    registryToken: "SENTINEL-REGISTRY-TOKEN",
    irisPassword: "SENTINEL-IRIS-PASSWORD",
    irisLicenseKey: "[ConfigFile]\nFileType=License 2025\n; SENTINEL-LICENSE\n",
    webgatewayPassword: "SENTINEL-WEBGATEWAY-PASSWORD",
    chartRegistryPassword: "SENTINEL-CHART-REGISTRY-PASSWORD",
    backupAccessKeyId: "SENTINEL-BACKUP-KEY-ID",
    backupSecretAccessKey: "SENTINEL-BACKUP-SECRET",
    grafanaAdminPassword: "SENTINEL-GRAFANA-ADMIN",
    alertSlackWebhookUrl: "https://hooks.slack.example/SENTINEL-SLACK",
    alertTeamsWebhookUrl: "https://teams.example/SENTINEL-TEAMS",
    alertSmtpPassword: "SENTINEL-SMTP-PASSWORD",
    irisMetricsPassword: "SENTINEL-IRIS-METRICS",
};

/**
 * What a user puts in place of the committed stack files' placeholders (which
 * config/placeholders.ts refuses): their own domain for every example.com name and
 * address, and their CI runner's range for the documentation range in the allow-lists.
 */
export const userValues = { domain: "mycompany.test", runnerCidr: "172.20.0.0/24" } as const;

/** A stack file's config value with the placeholders replaced as README's quickstart says. */
export function fillInPlaceholders(value: unknown): unknown {
    if (typeof value === "string")
        return value
            .replace(/\bexample\.(com|net|org)\b/g, userValues.domain)
            .replace(/^203\.0\.113\.0\/24$/, userValues.runnerCidr);
    if (Array.isArray(value)) return value.map(fillInPlaceholders);
    if (value && typeof value === "object")
        return Object.fromEntries(
            Object.entries(value).map(([k, v]) => [k, fillInPlaceholders(v)]),
        );
    return value;
}

export interface StackFile {
    readonly file: string;
    /** `iris-platform:key` → JSON text, as `pulumi.runtime.setAllConfig` expects. */
    readonly config: Record<string, string>;
    readonly secretConfigKeys: string[];
}

/**
 * Reads a stack file; `secrets` lists the secret keys to add (as the quickstart
 * says to `pulumi config set --secret`). Encrypted values in the file are replaced
 * by the matching test secret. Placeholders are filled in as a user would
 * (`fillInPlaceholders`) unless `asCommitted`.
 */
export function loadStackFile(
    file: string,
    secrets: readonly string[],
    { asCommitted = false }: { asCommitted?: boolean } = {},
): StackFile {
    const doc = yaml.load(fs.readFileSync(path.resolve(repoRoot, file), "utf8")) as {
        config?: Record<string, unknown>;
    };
    const config: Record<string, string> = {};
    const secretConfigKeys: string[] = [];
    for (const [key, value] of Object.entries(doc.config ?? {})) {
        const short = key.replace(/^iris-platform:/, "");
        if (value && typeof value === "object" && "secure" in value) {
            config[key] = testSecrets[short] ?? "SENTINEL-UNKNOWN-SECRET";
            secretConfigKeys.push(key);
        } else {
            const v = asCommitted ? value : fillInPlaceholders(value);
            config[key] = typeof v === "string" ? v : JSON.stringify(v);
        }
    }
    for (const name of secrets) {
        if (!(secretKeys as readonly string[]).includes(name))
            throw new Error(`${name} is not a secret key of config/schema.ts`);
        config[`iris-platform:${name}`] = testSecrets[name];
        secretConfigKeys.push(`iris-platform:${name}`);
    }
    return { file, config, secretConfigKeys };
}
