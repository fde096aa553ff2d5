/**
 * Reports drift: what in a stack's cluster and cloud no longer matches the code (docs/drift.md).
 *
 *   npm run drift -- --stack <name> [--json drift.json]
 *
 * Runs a preview with refresh on the stack (read-only: the state is not written) with the
 * credentials in the environment, prints each drifted resource and field, appends the same as
 * Markdown to $GITHUB_STEP_SUMMARY when set, and exits 0 when nothing drifted, 1 when something
 * did, 2 on bad arguments and 3 when the preview itself failed.
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { detectDrift } from "./drift-run";
import { driftMarkdown, driftText } from "./drift-lib";

const usage = "usage: npm run drift -- --stack <name> [--json <file>]";

async function main(): Promise<number> {
    let stackName: string;
    let json: string | undefined;
    try {
        const { values } = parseArgs({
            options: {
                stack: { type: "string" },
                json: { type: "string" },
                help: { type: "boolean", short: "h" },
            },
        });
        if (values.help) {
            console.log(usage);
            return 0;
        }
        if (!values.stack) throw new Error("--stack is required");
        stackName = values.stack;
        json = values.json;
    } catch (e) {
        console.error(`drift: ${(e as Error).message}\n${usage}`);
        return 2;
    }
    const stack = await LocalWorkspace.selectStack({
        stackName,
        workDir: path.resolve(__dirname, ".."),
    });
    let drifts;
    try {
        drifts = await detectDrift(stack);
    } catch (e) {
        console.error(`drift: the preview of ${stackName} failed:\n${(e as Error).message}`);
        return 3;
    }
    process.stdout.write(driftText(stackName, drifts));
    if (process.env.GITHUB_STEP_SUMMARY)
        fs.appendFileSync(process.env.GITHUB_STEP_SUMMARY, driftMarkdown(stackName, drifts));
    if (json) fs.writeFileSync(json, `${JSON.stringify(drifts, null, 2)}\n`);
    return drifts.length === 0 ? 0 : 1;
}

main().then(
    (code) => process.exit(code),
    (e: unknown) => {
        console.error(`drift: ${(e as Error).message}`);
        process.exit(3);
    },
);
