/**
 * The drift report (scripts/drift-lib.ts) from engine events. The events are typed by
 * @pulumi/pulumi's automation/events (the contract the engine's JSON event stream follows) and
 * shaped like those a refresh-then-preview of the existing-cluster stack emitted in the
 * integration tier (test/e2e/drift.e2e.ts); the CLI's usage and exit codes are checked by
 * running it.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import {
    DiffKind,
    type EngineEvent,
    type OpType,
    type StepEventMetadata,
} from "@pulumi/pulumi/automation";
import { driftFrom, driftMarkdown, driftText, parsePropertyPath, show } from "../scripts/drift-lib";

const urn = (type: string, name: string) => `urn:pulumi:prod::iris-platform::${type}::${name}`;

function step(
    op: OpType,
    type: string,
    name: string,
    extra: Partial<StepEventMetadata> = {},
): EngineEvent {
    return {
        sequence: 1,
        timestamp: 0,
        resourcePreEvent: {
            metadata: { op, urn: urn(type, name), type, provider: "", ...extra },
        },
    };
}

const state = (inputs: Record<string, unknown>, custom = true) => ({
    type: "",
    urn: "",
    id: "x",
    parent: "",
    custom,
    inputs,
    outputs: {},
    provider: "",
});

const scaled = step("update", "kubernetes:apps/v1:Deployment", "iris-deployment", {
    old: state({ spec: { replicas: 2 } }),
    new: state({ spec: { replicas: 1 } }),
    detailedDiff: { "spec.replicas": { diffKind: DiffKind.update, inputDiff: true } },
});

describe("drift report", function () {
    it("parses Pulumi property paths, quoted keys included", function () {
        assert.deepStrictEqual(parsePropertyPath("spec.replicas"), ["spec", "replicas"]);
        assert.deepStrictEqual(parsePropertyPath('metadata.labels["app.kubernetes.io/name"]'), [
            "metadata",
            "labels",
            "app.kubernetes.io/name",
        ]);
        assert.deepStrictEqual(parsePropertyPath("spec.containers[0].image"), [
            "spec",
            "containers",
            0,
            "image",
        ]);
        assert.deepStrictEqual(parsePropertyPath('data["a]b"].x'), ["data", "a]b", "x"]);
    });

    it("reports each changed field with its live and code value", function () {
        const ds = driftFrom([scaled]);
        assert.deepStrictEqual(ds, [
            {
                urn: urn("kubernetes:apps/v1:Deployment", "iris-deployment"),
                type: "kubernetes:apps/v1:Deployment",
                name: "iris-deployment",
                op: "update",
                fields: [{ path: "spec.replicas", kind: "update", live: "2", code: "1" }],
            },
        ]);
        assert.match(driftText("prod", ds), /spec\.replicas \(update\): live 2 \| code 1/);
    });

    it("ignores steps that change nothing, replacement halves, components and providers", function () {
        const quiet: OpType[] = [
            "same",
            "read",
            "refresh",
            "create-replacement",
            "delete-replaced",
            "discard",
        ];
        const events = quiet.map((op) => step(op, "kubernetes:core/v1:Service", "svc"));
        events.push(
            step("update", "pulumi:providers:kubernetes", "iris-k8s", {
                old: state({ helmReleaseSettings: "{}" }),
                new: state({ helmReleaseSettings: "{}" }),
                diffs: ["helmReleaseSettings"],
            }),
            step("update", "iris-platform:iris:IrisInstance", "iris", {
                old: state({}, false),
                new: state({}, false),
            }),
        );
        assert.deepStrictEqual(driftFrom(events), []);
        assert.match(driftText("prod", []), /matches its code/);
    });

    it("a resource gone from the cluster is a create, one not in the code a delete", function () {
        const ds = driftFrom([
            step("create", "kubernetes:core/v1:Service", "gone"),
            step("delete", "kubernetes:core/v1:Service", "extra"),
        ]);
        assert.deepStrictEqual(
            ds.map((d) => [d.op, d.fields[0]?.live, d.fields[0]?.code]),
            [
                ["create", "(absent)", "(present)"],
                ["delete", "(present)", "(absent)"],
            ],
        );
    });

    it("never prints a secret value", function () {
        const secret = {
            "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
            value: "p4ss",
        };
        const ds = driftFrom([
            step("replace", "kubernetes:core/v1:ConfigMap", "cpf", {
                old: state({ data: secret }),
                new: state({ data: { "common.cpf": "[secret]" } }),
                detailedDiff: {
                    'data["common.cpf"]': { diffKind: DiffKind.updateReplace, inputDiff: true },
                },
            }),
        ]);
        assert.deepStrictEqual(ds[0]?.fields, [
            {
                path: 'data["common.cpf"]',
                kind: "update-replace",
                live: "[secret]",
                code: "[secret]",
            },
        ]);
        assert.strictEqual(show({ a: secret }), '{"a":"[secret]"}');
        assert.ok(!driftMarkdown("prod", ds).includes("p4ss"));
    });

    it("falls back to top-level keys when the provider gives no detailed diff", function () {
        const ds = driftFrom([
            step("update", "aws:ec2/instance:Instance", "worker", {
                old: state({ instanceType: "m6i.large" }),
                new: state({ instanceType: "m6i.xlarge" }),
                diffs: ["instanceType"],
            }),
        ]);
        assert.deepStrictEqual(ds[0]?.fields, [
            { path: "instanceType", kind: "update", live: "m6i.large", code: "m6i.xlarge" },
        ]);
    });

    it("the job summary is a Markdown table with cells escaped", function () {
        const md = driftMarkdown("prod", [
            {
                urn: "u",
                type: "t",
                name: "n",
                op: "update",
                fields: [{ path: "p", kind: "update", live: "a|b", code: "c" }],
            },
        ]);
        assert.match(md, /^\| `t` n \| update \| `p` \| a\\\|b \| c \|$/m);
    });
});

describe("npm run drift", function () {
    this.timeout(60000);
    const run = (...args: string[]) =>
        spawnSync(
            process.execPath,
            [
                "-r",
                "ts-node/register/transpile-only",
                path.join(__dirname, "..", "scripts", "drift.ts"),
                ...args,
            ],
            { encoding: "utf8" },
        );

    it("--help prints usage and exits 0", function () {
        const r = run("--help");
        assert.strictEqual(r.status, 0, r.stderr);
        assert.match(r.stdout, /usage: npm run drift -- --stack <name>/);
    });

    it("bad arguments print the error and usage, exit 2, no stack trace", function () {
        for (const args of [[], ["--stak", "prod"]]) {
            const r = run(...args);
            assert.strictEqual(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
            assert.match(r.stderr, /usage: npm run drift/);
            assert.doesNotMatch(r.stderr, /\n\s+at /);
        }
    });
});
