/**
 * docs/permissions.md must cover every cloud resource type and cloud call (invoke) the program
 * makes: the stacks are built under mocks (with variants that switch on the optional parts:
 * backups, private nodes, DNS), their cloud types and invoke tokens are collected per cloud, and
 * each must be named in that cloud's section. A new resource type fails here until the permission
 * it needs is written down.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { buildStack, stackFiles } from "./build-stack";
import { runProgram, type Recording } from "./mocks";
import { loadStackFile, userValues } from "./stack-files";

/** The cloud a type or invoke token belongs to; undefined for Kubernetes, random, tls, dynamic. */
export function cloudOf(token: string): "aws" | "gcp" | "azure" | undefined {
    const pkg = token.startsWith("pulumi:providers:") ? undefined : token.split(":")[0];
    if (pkg === "aws") return "aws";
    if (pkg === "gcp") return "gcp";
    if (pkg === "azure-native") return "azure";
    return undefined;
}

/** Backticked tokens of each `## <Cloud>` section of the doc (`aws`, `gcp`, `azure`). */
export function documentedTokens(doc: string): Record<string, Set<string>> {
    const out: Record<string, Set<string>> = {};
    for (const section of doc.split(/\n(?=## )/)) {
        const m = /^## (AWS|GCP|Azure)\b/.exec(section);
        if (!m) continue;
        const cloud = m[1].toLowerCase();
        out[cloud] = new Set([...section.matchAll(/`([a-z-]+:[^`\s]+)`/g)].map((x) => x[1]));
    }
    return out;
}

/** Which collected tokens a doc does not name, per cloud. */
export function uncovered(used: Set<string>, doc: string): string[] {
    const documented = documentedTokens(doc);
    return [...used]
        .filter((t) => {
            const cloud = cloudOf(t);
            return cloud !== undefined && !documented[cloud]?.has(t);
        })
        .sort();
}

/**
 * Table rows of the cloud sections whose last cell cites no source (`<https://...>`): every row
 * names roles or actions read in a reference page, and says which. Returns the rows' first cells.
 */
export function rowsWithoutSource(doc: string): string[] {
    const out: string[] = [];
    for (const section of doc.split(/\n(?=## )/)) {
        if (!/^## (AWS|GCP|Azure)\b/.test(section)) continue;
        const lines = section.split("\n");
        lines.forEach((line, i) => {
            const header = lines[i + 1]?.startsWith("| ---") ?? false;
            if (!line.startsWith("|") || line.startsWith("| ---") || header) return;
            const cells = line.split(" | ");
            if (!/<https:\/\/[^>\s]+>/.test(cells[cells.length - 1])) out.push(cells[0]);
        });
    }
    return out;
}

/** Resource types and invoke tokens of a built stack. */
function tokens(recording: Recording): string[] {
    return [...recording.resources.map((r) => r.type), ...recording.invokes];
}

/** A stack file with some keys deep-merged over its config (the optional parts switched on). */
async function variant(stack: string, overrides: Record<string, unknown>): Promise<string[]> {
    const { file, secrets } = stackFiles[stack];
    const loaded = loadStackFile(file, secrets);
    const config = { ...loaded.config };
    for (const [key, value] of Object.entries(overrides)) {
        const full = `iris-platform:${key}`;
        config[full] = JSON.stringify(merge(JSON.parse(config[full] ?? "{}"), value));
    }
    const { recording } = await runProgram(
        () => {
            delete require.cache[require.resolve("../index")];
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            return require("../index") as unknown;
        },
        { stack, config, secretConfigKeys: loaded.secretConfigKeys },
    );
    return tokens(recording);
}

function merge(a: unknown, b: unknown): unknown {
    if (isMap(a) && isMap(b)) {
        const out: Record<string, unknown> = { ...a };
        for (const [k, v] of Object.entries(b)) out[k] = merge(a[k], v);
        return out;
    }
    return b;
}
const isMap = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);

describe("cloud permissions (docs/permissions.md)", function () {
    const doc = fs.readFileSync(path.join(__dirname, "..", "docs", "permissions.md"), "utf8");
    let used: Set<string>;

    before(async function () {
        const all: string[] = [];
        for (const stack of Object.keys(stackFiles))
            all.push(...tokens((await buildStack(stack)).recording));
        // dev with what a production GKE stack adds: a backup store, private nodes behind NAT.
        all.push(
            ...(await variant("dev", {
                cluster: {
                    gke: { privateNodes: true, masterAuthorizedNetworks: [userValues.runnerCidr] },
                },
                longhorn: { backup: { enabled: true } },
            })),
        );
        used = new Set(all);
    });

    it("names every cloud resource type and cloud call of every stack in its cloud's section", function () {
        assert.deepStrictEqual(uncovered(used, doc), []);
    });

    it("builds stacks of all three clouds (so the check has something to check)", function () {
        const clouds = new Set([...used].map(cloudOf).filter((c) => c));
        assert.deepStrictEqual([...clouds].sort(), ["aws", "azure", "gcp"]);
    });

    it("cites a reference page in the last cell of every table row of the cloud sections", function () {
        assert.deepStrictEqual(rowsWithoutSource(doc), []);
    });

    it("finds a row without a source, in a cloud section only", function () {
        const text = [
            "## Intro\n\n| a | b |\n| --- | --- |\n| x | y |\n",
            "## GCP\n\n| what | role | source |\n| --- | --- | --- |",
            "| cited | `roles/dns.admin` | <https://cloud.google.com/iam/docs/roles-permissions/dns> |",
            "| uncited | `roles/storage.admin` | the storage page |",
            "| link elsewhere | <https://example.org> | none |\n",
        ].join("\n");
        assert.deepStrictEqual(rowsWithoutSource(text), ["| uncited", "| link elsewhere"]);
    });

    it("fails for a type the doc does not name, and only in its own cloud's section", function () {
        const text = "## AWS\n\n`aws:s3/bucket:Bucket`\n\n## GCP\n\n`aws:ec2/vpc:Vpc`\n";
        const types = new Set([
            "aws:s3/bucket:Bucket",
            "aws:ec2/vpc:Vpc",
            "kubernetes:core/v1:Secret",
        ]);
        assert.deepStrictEqual(uncovered(types, text), ["aws:ec2/vpc:Vpc"]);
    });
});
