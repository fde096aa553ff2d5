/**
 * Rename safety: the URN (type, name and parent chain) of every resource each
 * committed stack file creates is recorded in test/golden/urns-<stack>.txt.
 * prod deploys on every push to main; a URN that changes without an alias
 * means Pulumi deletes the old resource and creates a new one. A change to
 * this list must be deliberate:
 *   - a rename: keep the URN reachable with an `aliases` entry (components/aliases.ts
 *     for type tokens), then refresh the list;
 *   - a new or removed resource: refresh the list.
 * Refresh: UPDATE_GOLDEN_URNS=1 npm run test:unit, and review the diff.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { buildStack, stackFiles } from "./build-stack";

const goldenDir = path.join(__dirname, "golden");

describe("resource URNs per stack file (rename safety)", function () {
    for (const stack of Object.keys(stackFiles)) {
        it(`${stackFiles[stack].file} creates exactly the recorded URNs`, async function () {
            const { recording } = await buildStack(stack);
            // The engine's URN qualifies a type with its whole parent chain; the mocks' only with
            // the immediate parent, so the chain is rebuilt from the recorded parent links.
            const byUrn = new Map(recording.resources.map((r) => [r.urn, r]));
            const chain = (r: (typeof recording.resources)[number]): string => {
                const parent = byUrn.get(r.parent);
                return parent && parent.type !== "pulumi:pulumi:Stack"
                    ? `${chain(parent)}$${r.type}`
                    : r.type;
            };
            const urns = [
                ...new Set(
                    recording.resources.map(
                        (r) => `urn:pulumi:${stack}::iris-platform::${chain(r)}::${r.name}`,
                    ),
                ),
            ].sort();
            const file = path.join(goldenDir, `urns-${stack}.txt`);
            if (process.env.UPDATE_GOLDEN_URNS) fs.writeFileSync(file, `${urns.join("\n")}\n`);
            const golden = fs.readFileSync(file, "utf8").trim().split("\n");
            const added = urns.filter((u) => !golden.includes(u));
            const removed = golden.filter((u) => !urns.includes(u));
            assert.ok(
                added.length === 0 && removed.length === 0,
                `URNs of stack ${stack} changed (see test/urns.test.ts):\n` +
                    [...removed.map((u) => `  - ${u}`), ...added.map((u) => `  + ${u}`)].join(
                        "\n",
                    ) +
                    "\nA rename needs an alias (deployed stacks would see a replace); if deliberate: UPDATE_GOLDEN_URNS=1 npm run test:unit",
            );
        });
    }
});
