/**
 * Every stack file (and every example in examples/) loads as real config and
 * builds the whole program under mocks, with explicit providers everywhere.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import * as pulumi from "@pulumi/pulumi";
import { isSecretValue, type Recording } from "./mocks";
import { repoRoot, testSecrets, userValues } from "./stack-files";
import { buildStack, stackFiles, type StackOutputs } from "./build-stack";

const providerPackages: Record<string, string> = {
    kubernetes: "pulumi:providers:kubernetes",
    gcp: "pulumi:providers:gcp",
    "azure-native": "pulumi:providers:azure-native",
    aws: "pulumi:providers:aws",
    tls: "pulumi:providers:tls",
    random: "pulumi:providers:random",
    // Dynamic resources too: the engine refuses them a default provider when defaults are disabled.
    "pulumi-nodejs": "pulumi:providers:pulumi-nodejs",
};

for (const stack of Object.keys(stackFiles)) {
    describe(`stack ${stack} (${stackFiles[stack].file})`, function () {
        let recording: Recording;
        let outputs: StackOutputs;
        before(async function () {
            ({ recording, outputs } = await buildStack(stack));
        });

        it("builds a platform with a cluster", function () {
            assert.ok(
                recording.resources.some((r) => r.type === "iris-platform:platform:Platform"),
            );
            assert.ok(recording.resources.some((r) => r.type.startsWith("iris-platform:cluster:")));
        });

        it("gives every cloud and Kubernetes resource an explicit provider of its package", function () {
            const offenders: string[] = [];
            for (const r of recording.resources.filter(
                (x) => x.custom && !x.type.startsWith("pulumi:providers:"),
            )) {
                const pkg = r.type.split(":")[0];
                const expected = providerPackages[pkg];
                if (!expected) continue;
                const provider = recording.providerOf(r);
                if (provider?.type !== expected)
                    offenders.push(
                        `${r.type} ${r.name} -> ${provider?.type ?? "default provider"}`,
                    );
            }
            assert.deepStrictEqual(offenders, []);
        });

        it("keeps every secret value inside Pulumi secrets (no plain copy in any resource's inputs)", function () {
            const sentinels = Object.values(testSecrets).map(
                (v) => /SENTINEL-[A-Z-]+/.exec(v)?.[0] as string,
            );
            const leaks: string[] = [];
            const walk = (value: unknown, where: string): void => {
                if (isSecretValue(value)) return;
                if (typeof value === "string") {
                    for (const s of sentinels)
                        if (value.includes(s)) leaks.push(`${where} contains ${s}`);
                } else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${where}[${i}]`));
                else if (value && typeof value === "object")
                    for (const [k, v] of Object.entries(value)) walk(v, `${where}.${k}`);
            };
            for (const r of recording.resources) walk(r.rawInputs, `${r.type} ${r.name}`);
            assert.deepStrictEqual(leaks, []);
        });

        it("exports the kubeconfig as a secret", async function () {
            assert.strictEqual(await pulumi.isSecret(outputs.kubeconfig), true);
        });
    });
}

describe("committed stack files are previewable from a clean checkout (CI)", function () {
    it("name no local chart path the repository does not hold (helm loads charts during preview)", function () {
        const missing: string[] = [];
        for (const { file } of Object.values(stackFiles)) {
            const doc = yaml.load(fs.readFileSync(path.join(repoRoot, file), "utf8")) as {
                config: Record<string, { chart?: { path?: string } }>;
            };
            const chartPath = doc.config["iris-platform:iko"]?.chart?.path;
            if (chartPath && !fs.existsSync(path.resolve(repoRoot, chartPath)))
                missing.push(`${file}: iko.chart.path ${chartPath}`);
        }
        assert.deepStrictEqual(missing, []);
    });

    it("prod pulls the IKO chart from its OCI registry (its login: chart-login.test.ts)", async function () {
        const { recording } = await buildStack("prod");
        const release = recording.resources.find(
            (r) => r.type === "kubernetes:helm.sh/v3:Release" && r.name.endsWith("-iko-release"),
        );
        assert.ok(release, "the IKO Release exists");
        // The login reaches Helm through the provider's registry credentials file, not the
        // Release (test/chart-login.test.ts).
        assert.strictEqual(
            release.inputs.chart,
            `oci://registry.${userValues.domain}/charts/iris-operator`,
        );
    });
});
