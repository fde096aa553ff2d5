/**
 * Preflight through the real engine (stand-in cloud providers answering for a fresh AWS
 * account or a GCP project without an API, see standin/provider.ts): `pulumi preview`
 * already fails with the key and the fix, prints no stack trace, and `up` creates
 * nothing in the cloud. Placeholders left in a committed stack file fail the same way.
 */
import * as assert from "assert";
import { engineStack, type EngineStack } from "./engine";
import { e2eSecrets } from "./helpers";
import { alwaysStoodIn, standinPlugins } from "./standin/plugins";
import { stackFiles } from "../build-stack";
import { loadStackFile } from "../stack-files";
import { fakeEnabledApis } from "../fakes/gcp";
import * as yaml from "js-yaml";
import * as fs from "fs";
import * as path from "path";

const stackTrace = /^\s+at .*\(.*:\d+:\d+\)$/m;

/** The engine's complaint, whatever form the Automation API gives it. */
async function refusal(p: Promise<unknown>): Promise<string> {
    try {
        await p;
    } catch (err) {
        const e = err as { message?: string; commandResult?: { stderr?: string; stdout?: string } };
        return [e.message, e.commandResult?.stdout, e.commandResult?.stderr].join("\n");
    }
    return assert.fail("the engine accepted the stack");
}

function secretsOf(stack: string): Record<string, string> {
    return Object.fromEntries(
        stackFiles[stack].secrets.map((k) => [k, e2eSecrets[k as keyof typeof e2eSecrets]]),
    );
}

describe("preflight through the real engine (stand-in providers)", function () {
    const stacks: EngineStack[] = [];
    after(async function () {
        for (const e of stacks) await e.remove().catch(() => undefined);
    });

    async function stack(
        name: string,
        config: Record<string, unknown>,
        account?: object,
    ): Promise<EngineStack> {
        const plugins = standinPlugins([...alwaysStoodIn, "kubernetes"]);
        const e = await engineStack({
            name,
            config,
            secrets: secretsOf(name),
            pluginDirs: [plugins.dir],
            env: {
                IRIS_STANDIN_DIR: plugins.stateDir,
                ...(account ? { IRIS_STANDIN_ACCOUNT: JSON.stringify(account) } : {}),
            },
        });
        stacks.push(e);
        return e;
    }

    /** Only the stack, the platform component and the cloud providers exist. */
    async function nothingCreated(e: EngineStack): Promise<void> {
        const deployment = (await e.stack.exportStack()).deployment as {
            resources?: { type: string }[];
        };
        const types = (deployment.resources ?? []).map((r) => r.type);
        const created = types.filter(
            (t) =>
                t !== "pulumi:pulumi:Stack" &&
                t !== "iris-platform:platform:Platform" &&
                !t.startsWith("pulumi:providers:"),
        );
        assert.deepStrictEqual(created, []);
    }

    it("a GCP project without the Kubernetes Engine API: preview fails naming the project and the gcloud command", async function () {
        const config = loadStackFile(stackFiles.dev.file, []).config;
        const plain = Object.fromEntries(
            Object.entries(config).map(([k, v]) => [k, JSON.parse(v) as unknown]),
        );
        const e = await stack("dev", plain, {
            enabledGcpApis: fakeEnabledApis.filter((a) => a !== "container.googleapis.com"),
        });
        const text = await refusal(e.stack.preview({ onOutput: () => undefined }));
        assert.match(
            text,
            /iris-platform:cluster\.gke\.project: project my-gcp-project has not enabled container\.googleapis\.com/,
        );
        assert.match(
            text,
            /gcloud services enable container\.googleapis\.com --project my-gcp-project/,
        );
        assert.doesNotMatch(text, stackTrace);
        // The fix is printed as written, not behind the names of the properties it passed through.
        assert.doesNotMatch(text, /error serializing property/);
        await refusal(e.stack.up({ onOutput: () => undefined }));
        await nothingCreated(e);
    });

    it("a fresh AWS account (5 Elastic IPs): prod's preview fails naming the quota and the request", async function () {
        const config = loadStackFile(stackFiles.prod.file, []).config;
        const plain = Object.fromEntries(
            Object.entries(config).map(([k, v]) => [k, JSON.parse(v) as unknown]),
        );
        const e = await stack("prod", plain, { elasticIpQuota: 5 });
        const text = await refusal(e.stack.preview({ onOutput: () => undefined }));
        assert.match(text, /the stack needs 6 Elastic IPs in eu-west-1/);
        assert.match(text, /--quota-code L-0263D0A3 --desired-value 7 --region eu-west-1/);
        assert.doesNotMatch(text, stackTrace);
        assert.doesNotMatch(text, /error serializing property/);
    });

    it("the committed prod stack file, placeholders left in: preview fails naming each key", async function () {
        const doc = yaml.load(
            fs.readFileSync(path.join(__dirname, "..", "..", stackFiles.prod.file), "utf8"),
        ) as { config: Record<string, unknown> };
        const e = await stack("prod", doc.config);
        const text = await refusal(e.stack.preview({ onOutput: () => undefined }));
        assert.match(text, /iris-platform:certManager\.email: is a placeholder/);
        assert.match(text, /iris-platform:cluster\.aws\.adminCidrs\[0\]: is a placeholder/);
        assert.doesNotMatch(text, stackTrace);
    });
});
