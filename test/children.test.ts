/**
 * The children convention (components/providers.ts `childOptions`), checked on every recorded
 * stack: Pulumi children do not inherit their component's `dependsOn`, so each component hands
 * it on. For every component registered with a non-empty `dependsOn`, every custom resource
 * under it must wait for each of those targets: directly or through its own dependencies
 * (its provider's included: the engine creates a provider before the resources using it).
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { Provider as RandomProvider } from "@pulumi/random/provider";
import { RandomBytes } from "@pulumi/random/randomBytes";
import { childOptions } from "../components/providers";
import { buildStack, stackFiles } from "./build-stack";
import { runProgram, type Recording, type RecordedResource } from "./mocks";

/**
 * Children that deliberately do not wait for their component's `dependsOn`
 * (childOptions' `notAfterComponent`), by type and name, with the reason. None today.
 */
const exceptions: readonly {
    readonly type: string;
    readonly name: RegExp;
    readonly why: string;
}[] = [];

/** The URN a provider reference (`urn::id`) names. */
function providerUrn(r: RecordedResource): string | undefined {
    return r.provider ? r.provider.split("::").slice(0, -1).join("::") : undefined;
}

/** Every URN `a` waits for through its own dependencies and providers, transitively. */
function waitsFor(recording: Recording, byUrn: Map<string, RecordedResource>, a: RecordedResource) {
    const seen = new Set<string>();
    const stack = [a.urn];
    while (stack.length > 0) {
        const r = byUrn.get(stack.pop() as string);
        if (!r) continue;
        const next = [...r.dependencies];
        const p = providerUrn(r);
        if (p) next.push(p);
        for (const urn of next) {
            if (seen.has(urn)) continue;
            seen.add(urn);
            const d = byUrn.get(urn);
            // A component dependency stands for all of its custom descendants.
            if (d && !d.custom)
                for (const c of recording.descendantsOf(urn)) {
                    seen.add(c.urn);
                    stack.push(c.urn);
                }
            stack.push(urn);
        }
    }
    return seen;
}

/** (child, missing dependency) pairs of one recording. */
export function childrenMissingTheirComponentsDependsOn(recording: Recording): string[] {
    const byUrn = new Map(recording.resources.map((r) => [r.urn, r]));
    const out: string[] = [];
    for (const c of recording.resources) {
        if (c.custom || c.dependencies.length === 0) continue;
        for (const child of recording.descendantsOf(c.urn)) {
            if (!child.custom || child.urn === c.urn) continue;
            if (exceptions.some((e) => e.type === child.type && e.name.test(child.name))) continue;
            const waits = waitsFor(recording, byUrn, child);
            for (const target of c.dependencies)
                if (!waits.has(target))
                    out.push(`${child.type} ${child.name} (under ${c.name}) misses ${target}`);
        }
    }
    return out;
}

describe("children wait for what their component was told to wait for", function () {
    this.timeout(120_000);
    for (const stack of Object.keys(stackFiles)) {
        it(`${stack}: every custom descendant of a component waits for its dependsOn`, async () => {
            const { recording } = await buildStack(stack);
            const components = recording.resources.filter(
                (r) => !r.custom && r.dependencies.length > 0,
            );
            // The check must have something to check on every stack but the existing one.
            if (stack !== "existing")
                assert.ok(components.length > 0, "no component had a dependsOn");
            const missing = childrenMissingTheirComponentsDependsOn(recording);
            assert.deepEqual(
                missing,
                [],
                `(child, missing dependency):\n  ${missing.join("\n  ")}`,
            );
        });
    }
});

describe("the children check itself", function () {
    /** A component with one child, handing its dependsOn on (or not). */
    class Holder extends pulumi.ComponentResource {
        constructor(name: string, handOn: boolean, opts: pulumi.ComponentResourceOptions) {
            super("test:index:Holder", name, {}, opts);
            const child = handOn
                ? childOptions(this, opts, { provider: "random" })
                : { parent: this, provider: opts.provider };
            new RandomBytes(`${name}-bytes`, { length: 4 }, child);
            this.registerOutputs({});
        }
    }
    const program = (handOn: boolean) => () => {
        const provider = new RandomProvider("random");
        const first = new RandomBytes("first", { length: 4 }, { provider });
        new Holder("holder", handOn, { provider, dependsOn: [first] });
    };

    it("reports a child that does not wait for its component's dependsOn", async function () {
        const { recording } = await runProgram(program(false));
        const missing = childrenMissingTheirComponentsDependsOn(recording);
        assert.equal(missing.length, 1);
        assert.match(missing[0], /holder-bytes \(under holder\) misses .*first$/);
    });

    it("passes the same component built with childOptions", async function () {
        const { recording } = await runProgram(program(true));
        assert.deepEqual(childrenMissingTheirComponentsDependsOn(recording), []);
    });
});
