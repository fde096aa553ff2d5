/** Builds a whole stack (index.ts against a stack file) under mocks: used by tests and the benchmark. */
import type { StackOutputs } from "../program";
import { runProgram, type Recording } from "./mocks";
import { loadStackFile } from "./stack-files";

/** Each stack file and the secrets its quickstart tells the user to set. */
export const stackFiles: Readonly<Record<string, { file: string; secrets: string[] }>> = {
    dev: { file: "Pulumi.dev.yaml", secrets: ["irisPassword"] },
    prod: {
        file: "Pulumi.prod.yaml",
        secrets: [
            "irisPassword",
            "irisLicenseKey",
            "registryToken",
            "chartRegistryPassword",
            "webgatewayPassword",
            "grafanaAdminPassword",
            "alertSmtpPassword",
        ],
    },
    aks: { file: "examples/Pulumi.aks.yaml", secrets: ["irisPassword"] },
    existing: { file: "examples/Pulumi.existing.yaml", secrets: ["kubeconfig", "irisPassword"] },
};

export type { StackOutputs };
export type BuiltStack = { recording: Recording; outputs: StackOutputs };

const built = new Map<string, Promise<BuiltStack>>();

/**
 * Builds a stack once per test process and shares the recording: several test
 * files assert on the same stacks, and each build costs seconds.
 */
export function buildStack(stack: string): Promise<BuiltStack> {
    let result = built.get(stack);
    if (!result) {
        result = buildStackFresh(stack);
        built.set(stack, result);
    }
    return result;
}

/** Runs index.ts afresh against a stack file (the benchmark times this). */
export async function buildStackFresh(stack: string): Promise<BuiltStack> {
    const { file, secrets } = stackFiles[stack];
    const loaded = loadStackFile(file, secrets);
    const { result, recording } = await runProgram(
        () => {
            delete require.cache[require.resolve("../index")];
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            return require("../index") as StackOutputs;
        },
        { stack, config: loaded.config, secretConfigKeys: loaded.secretConfigKeys },
    );
    return { recording, outputs: result };
}
