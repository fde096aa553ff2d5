/**
 * docs/costs.md's resource counts (`N (type)`) must equal what each stack registers under mocks:
 * a stack that gains a NAT gateway or an Elastic IP changes its quota needs, and the page must say so.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { buildStack } from "./build-stack";

/** `N (type)` claims of the paragraph that starts with `**<stack> (`. */
export function claims(doc: string, stack: string): Record<string, number> {
    const para = doc.split(/\n\n/).find((p) => p.startsWith(`**${stack} (`)) ?? "";
    const out: Record<string, number> = {};
    for (const m of para.replace(/\s+/g, " ").matchAll(/(\d+) \(`([a-z-]+:[^`]+)`\)/g))
        out[m[2]] = Number(m[1]);
    return out;
}

describe("cost and quota page (docs/costs.md)", function () {
    const doc = fs.readFileSync(path.join(__dirname, "..", "docs", "costs.md"), "utf8");

    for (const [stack, heading] of [
        ["dev", "dev"],
        ["prod", "prod"],
        ["aks", "aks example"],
    ] as const)
        it(`counts ${stack}'s cloud resources as the stack registers them`, async function () {
            const { recording } = await buildStack(stack);
            const claimed = claims(doc, heading);
            assert.ok(Object.keys(claimed).length > 0, `no counts for ${stack}`);
            const actual = Object.fromEntries(
                Object.keys(claimed).map((t) => [t, recording.ofType(t).length]),
            );
            assert.deepStrictEqual(claimed, actual);
        });

    it("reads `N (type)` claims across line breaks", function () {
        const text =
            "**prod (AWS):** 6\n(`aws:ec2/eip:Eip`) and 3 (`aws:ec2/natGateway:NatGateway`).";
        assert.deepStrictEqual(claims(text, "prod"), {
            "aws:ec2/eip:Eip": 6,
            "aws:ec2/natGateway:NatGateway": 3,
        });
    });
});
