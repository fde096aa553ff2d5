/**
 * Every stack file (and every example in examples/) loads as real config and
 * builds the whole program under mocks, with explicit providers everywhere.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { runProgram, type Recording } from "./mocks";
import { loadStackFile } from "./stack-files";

/** Each stack file and the secrets its quickstart tells the user to set. */
export const stacks: Record<string, { file: string; secrets: string[] }> = {
    dev: { file: "Pulumi.dev.yaml", secrets: ["irisPassword"] },
    prod: { file: "Pulumi.prod.yaml", secrets: ["irisPassword", "irisLicenseKey", "registryToken"] },
    aks: { file: "examples/Pulumi.aks.yaml", secrets: ["irisPassword"] },
    existing: { file: "examples/Pulumi.existing.yaml", secrets: ["kubeconfig", "irisPassword"] },
};

interface IndexModule {
    kubeconfig: pulumi.Output<string>;
    ingressAddress: pulumi.Output<string | undefined>;
    portalUrls: pulumi.Output<Record<string, string>>;
}

/** Runs index.ts afresh against a stack file. */
export async function buildStack(stack: string): Promise<{ recording: Recording; outputs: IndexModule }> {
    const { file, secrets } = stacks[stack];
    const loaded = loadStackFile(file, secrets);
    const { result, recording } = await runProgram(
        () => {
            delete require.cache[require.resolve("../index")];
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            return require("../index") as IndexModule;
        },
        { stack, config: loaded.config, secretConfigKeys: loaded.secretConfigKeys },
    );
    return { recording, outputs: result };
}

const providerPackages: Record<string, string> = {
    kubernetes: "pulumi:providers:kubernetes",
    gcp: "pulumi:providers:gcp",
    "azure-native": "pulumi:providers:azure-native",
    aws: "pulumi:providers:aws",
    tls: "pulumi:providers:tls",
    random: "pulumi:providers:random",
};

for (const stack of Object.keys(stacks)) {
    describe(`stack ${stack} (${stacks[stack].file})`, function () {
        let recording: Recording;
        let outputs: IndexModule;
        before(async function () {
            ({ recording, outputs } = await buildStack(stack));
        });

        it("builds a platform with a cluster", function () {
            assert.ok(recording.resources.some((r) => r.type === "iris-platform:platform:Platform"));
            assert.ok(recording.resources.some((r) => r.type.startsWith("iris-platform:cluster:")));
        });

        it("gives every cloud and Kubernetes resource an explicit provider of its package", function () {
            const offenders: string[] = [];
            for (const r of recording.resources.filter((x) => x.custom && !x.type.startsWith("pulumi:providers:"))) {
                const pkg = r.type.split(":")[0];
                const expected = providerPackages[pkg];
                if (!expected) continue;
                const provider = recording.providerOf(r);
                if (provider?.type !== expected) offenders.push(`${r.type} ${r.name} -> ${provider?.type ?? "default provider"}`);
            }
            assert.deepStrictEqual(offenders, []);
        });

        it("exports the kubeconfig as a secret", async function () {
            assert.strictEqual(await pulumi.isSecret(outputs.kubeconfig), true);
        });
    });
}
