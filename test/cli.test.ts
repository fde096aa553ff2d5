/**
 * The scripts' command lines: `--help` prints the usage and exits 0; a bad argument
 * prints what is wrong and the usage, exits 2, and shows no stack trace.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseDrillArgs } from "../scripts/restore-drill-args";
import { parseChartKeysArgs } from "../scripts/chart-keys-args";
import { UsageError } from "../scripts/cli";

const root = path.resolve(__dirname, "..");
const tsNode = path.join(root, "node_modules", ".bin", "ts-node");

/** Runs a script as `npm run <script> -- args` does, without a cluster (KUBECONFIG points nowhere). */
function run(script: string, args: string[]) {
    const r = spawnSync(tsNode, ["--transpile-only", path.join(root, "scripts", script), ...args], {
        cwd: root,
        encoding: "utf8",
        env: { ...process.env, KUBECONFIG: path.join(os.tmpdir(), "no-such-kubeconfig") },
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
}

const stackTrace = /^\s+at /m;

describe("restore-drill's command line", function () {
    it("--help prints the usage on stdout and exits 0", function () {
        const r = run("restore-drill.ts", ["--help"]);
        assert.strictEqual(r.code, 0, r.err);
        assert.match(r.out, /^usage: npm run restore-drill -- --instance <namespace>\/<name>/);
        assert.match(r.out, /--ready-timeout <s>/);
        assert.strictEqual(r.err, "");
    });

    it("refuses a bad argument: the problem and the usage on stderr, exit 2, no stack trace", function () {
        const r = run("restore-drill.ts", ["--instance", "iris"]);
        assert.strictEqual(r.code, 2, r.err);
        assert.match(
            r.err,
            /^restore-drill: --instance must be <namespace>\/<name> \(got iris\)\n\nusage: npm run restore-drill/,
        );
        assert.doesNotMatch(r.err, stackTrace);
        assert.strictEqual(r.out, "");
    });

    for (const [args, problem] of [
        [[], /^--instance is required$/],
        [["--instance", "iris"], /^--instance must be <namespace>\/<name> \(got iris\)$/],
        [["--instance", "iris/iris", "--bogus"], /Unknown option '--bogus'/],
        [["--instance"], /--instance <value>' argument missing/],
        [["--instance", "a/b", "extra"], /Unexpected argument 'extra'/],
        [
            ["--instance", "a/b", "--replicas", "0"],
            /^--replicas must be a positive whole number \(got 0\)$/,
        ],
        [
            ["--instance", "iris/iris", "--ready-timeout", "soon"],
            /^--ready-timeout must be a positive whole number \(got soon\)$/,
        ],
    ] as const) {
        it(`refuses ${JSON.stringify(args)} naming the argument`, function () {
            assert.throws(
                () => parseDrillArgs([...args]),
                (err: unknown) => err instanceof UsageError && problem.test(err.message),
            );
        });
    }

    it("parses every option, with the documented defaults", function () {
        assert.deepStrictEqual(parseDrillArgs(["--instance", "iris/iris"]), {
            help: false,
            args: {
                namespace: "iris",
                name: "iris",
                set: "latest",
                storageClass: "iris-retain",
                replicas: 1,
                restoreTimeoutSeconds: 14400,
                readyTimeoutSeconds: 1800,
            },
        });
        const all = parseDrillArgs([
            "--instance=ns/db",
            "--set",
            "daily-20261201",
            "--storage-class",
            "sc",
            "--replicas",
            "2",
            "--restore-timeout",
            "60",
            "--ready-timeout",
            "120",
            "--json",
            "drill.json",
        ]);
        assert.deepStrictEqual(all, {
            help: false,
            args: {
                namespace: "ns",
                name: "db",
                set: "daily-20261201",
                storageClass: "sc",
                replicas: 2,
                restoreTimeoutSeconds: 60,
                readyTimeoutSeconds: 120,
                json: "drill.json",
            },
        });
        assert.deepStrictEqual(parseDrillArgs(["-h"]), { help: true });
    });
});

describe("chart-keys' command line", function () {
    let dir: string;
    before(function () {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "chart-keys-"));
        fs.mkdirSync(path.join(dir, "demo-1.0.0"));
        fs.writeFileSync(path.join(dir, "demo-1.0.0", "values.yaml"), "a: 1\n");
        fs.mkdirSync(path.join(dir, "empty"));
    });
    after(function () {
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("--help prints the usage on stdout and exits 0", function () {
        const r = run("chart-keys.ts", ["--help"]);
        assert.strictEqual(r.code, 0, r.err);
        assert.match(r.out, /^usage: npm run chart-keys -- <charts dir>/);
        assert.strictEqual(r.err, "");
    });

    it("refuses a bad argument: the problem and the usage on stderr, exit 2, no stack trace", function () {
        const r = run("chart-keys.ts", ["/no/such/dir"]);
        assert.strictEqual(r.code, 2, r.err);
        assert.match(
            r.err,
            /^chart-keys: \/no\/such\/dir is not a directory\n\nusage: npm run chart-keys/,
        );
        assert.doesNotMatch(r.err, stackTrace);
    });

    for (const [args, problem] of [
        [[], /^the charts directory is required$/],
        [["--bogus"], /Unknown option '--bogus'/],
    ] as const) {
        it(`refuses ${JSON.stringify(args)} naming the argument`, function () {
            assert.throws(
                () => parseChartKeysArgs([...args]),
                (err: unknown) => err instanceof UsageError && problem.test(err.message),
            );
        });
    }

    it("refuses a directory without chart folders instead of writing nothing", function () {
        assert.throws(
            () => parseChartKeysArgs([path.join(dir, "empty")]),
            /holds no <chart>\/values.yaml or <chart>-<version>\/values.yaml folder/,
        );
        assert.throws(() => parseChartKeysArgs([dir, dir]), /takes one charts directory \(got 2/);
    });

    it("lists the chart folders it would read", function () {
        assert.deepStrictEqual(parseChartKeysArgs([dir]), {
            help: false,
            args: {
                charts: [
                    { name: "demo-1.0.0", valuesFile: path.join(dir, "demo-1.0.0", "values.yaml") },
                ],
            },
        });
    });
});
