/**
 * Private `oci://` chart sources log in through Helm's registry credentials file, the only
 * login the kubernetes provider's Helm registry client reads (domain/chart-registry.ts says where
 * upstream does that): the file is written from the secret, private, and named in the provider's
 * `helmReleaseSettings.registryConfigPath`; Releases carry no OCI password; one host, one login.
 * The real provider and a real registry prove it end to end in test/e2e/private-chart.e2e.ts.
 */
import * as assert from "assert";
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parseConfig } from "../config";
import { Platform } from "../components/platform";
import { helmRegistryConfigLocation } from "../components/chart-login";
import { helmRegistryConfig, ociLogins, ociRegistryHost } from "../domain/chart-registry";
import * as os from "os";
import { buildStackFresh } from "./build-stack";
import { problemsOf, rejectsKey } from "./config-helpers";
import { isSecretValue, runProgram, unwrapSecrets, type Recording } from "./mocks";
import { testSecrets, userValues } from "./stack-files";

const gke = { provider: "gke", gke: { project: "p", region: "europe-west1" } };
const iko = (chart: Record<string, unknown>) => ({
    enabled: true,
    registry: { username: "u" },
    chart,
});
const secrets = {
    chartRegistryPassword: pulumi.secret("pw"),
    registryToken: pulumi.secret("t"),
};

/** The credentials file the cluster's provider is told to use, and the IKO Release. */
function loginOf(recording: Recording): { path: unknown; release: Record<string, unknown> } {
    const [provider] = recording.ofType("pulumi:providers:kubernetes");
    // @pulumi/kubernetes sends helmReleaseSettings to the provider as JSON text (provider.js).
    const raw = provider.rawInputs.helmReleaseSettings;
    const settings = raw ? (JSON.parse(String(raw)) as Record<string, unknown>) : undefined;
    const release = recording
        .ofType("kubernetes:helm.sh/v3:Release")
        .find((r) => String(r.inputs.chart).includes("iris-operator"));
    assert.ok(release, "an IKO Release");
    return { path: settings?.registryConfigPath, release: release.rawInputs };
}

describe("private OCI chart login", function () {
    // A temporary folder of this process's own: other test processes on the machine (same user)
    // write and remove the same stack's file in theirs.
    // RUNNER_TEMP (set when these tests run in GitHub Actions) would take precedence over it.
    const tmpdir = process.env.TMPDIR;
    const runnerTemp = process.env.RUNNER_TEMP;
    before(function () {
        process.env.TMPDIR = fs.mkdtempSync(path.join(os.tmpdir(), "iris-chart-login-"));
        delete process.env.RUNNER_TEMP;
    });
    after(function () {
        if (tmpdir === undefined) delete process.env.TMPDIR;
        else process.env.TMPDIR = tmpdir;
        if (runnerTemp !== undefined) process.env.RUNNER_TEMP = runnerTemp;
    });

    const fixture = path.join(__dirname, "fixtures", "chart-login-exit.ts");
    const probeArgs = (mode: string) => ["-r", "ts-node/register/transpile-only", fixture, mode];
    type Probe = { path: string; existed: boolean };
    const probeLine = (out: string) => JSON.parse(out.trim().split("\n").pop() ?? "{}") as Probe;

    it("finds the registry host (with its port) of oci:// references only", function () {
        assert.strictEqual(
            ociRegistryHost("oci://Registry.example.com/charts"),
            "registry.example.com",
        );
        assert.strictEqual(ociRegistryHost("oci://127.0.0.1:5000/charts/x"), "127.0.0.1:5000");
        assert.strictEqual(ociRegistryHost("https://charts.example.com"), undefined);
        assert.strictEqual(ociRegistryHost(undefined), undefined);
    });

    it("writes Docker's config.json format: one base64 user:password per registry host", function () {
        const text = helmRegistryConfig(
            [
                { host: "r.example.com:5000", username: "ci", key: "charts.mirror" },
                { host: "r.example.com:5000", username: "ci", key: "iko.chart.repo" },
            ],
            "s3cr:et",
        );
        // oras-go v2.6.0 registry/remote/credentials/internal/config: auths.<host>.auth, decoded
        // as base64 and split at the first ':'.
        assert.deepStrictEqual(JSON.parse(text), {
            auths: {
                "r.example.com:5000": { auth: Buffer.from("ci:s3cr:et").toString("base64") },
            },
        });
    });

    it("collects the logins of the OCI mirror, OCI overrides and an enabled IKO chart, not of Helm repositories", function () {
        const c = parseConfig(
            {
                cluster: gke,
                charts: {
                    mirror: "oci://m.example.com/helm",
                    username: "ci",
                    overrides: {
                        longhorn: { repo: "https://charts.example.com" },
                        certManager: { repo: "oci://other.example.com/cm" },
                    },
                },
                iko: iko({ repo: "oci://m.example.com/iko", username: "ci" }),
            },
            secrets,
        );
        assert.deepStrictEqual(
            ociLogins(c).map((l) => `${l.key} ${l.username}@${l.host}`),
            [
                "charts.mirror ci@m.example.com",
                "charts.overrides.certManager.repo ci@other.example.com",
                "iko.chart.repo ci@m.example.com",
            ],
        );
        assert.deepStrictEqual(ociLogins({ ...c, iko: { ...c.iko, enabled: false } }).length, 2);
    });

    it("config: refuses two users on one registry host (the file keeps one login per host)", function () {
        rejectsKey(
            {
                cluster: gke,
                charts: { mirror: "oci://m.example.com/helm", username: "ci" },
                iko: iko({ repo: "oci://M.example.com/iko", username: "iko-reader" }),
            },
            "iko.chart.username",
            /logs in to m\.example\.com, where charts\.mirror logs in as charts\.username "ci": one registry host takes one login/,
            secrets,
        );
        for (const ikoRepo of ["oci://m.example.com/iko", "oci://other.example.com/iko"])
            assert.deepStrictEqual(
                problemsOf(
                    {
                        cluster: gke,
                        charts: { mirror: "oci://m.example.com/helm", username: "ci" },
                        iko: iko({
                            repo: ikoRepo,
                            username: ikoRepo.includes("other") ? "iko-reader" : "ci",
                        }),
                    },
                    secrets,
                ),
                [],
            );
    });

    it("an OCI IKO chart: the provider reads a private file with the login, the Release has no password", async function () {
        const config = parseConfig(
            {
                cluster: { provider: "existing" },
                iko: iko({ repo: "oci://r.example.com:5000/charts", username: "ci" }),
                iris: { storageClassName: "standard", instances: [] },
            },
            { ...secrets, kubeconfig: pulumi.secret(testSecrets.kubeconfig) },
        );
        const { recording } = await runProgram(() => new Platform("p", { config }));
        const { path, release } = loginOf(recording);
        assert.strictEqual(
            typeof path,
            "string",
            "registryConfigPath is a plain (non-secret) path",
        );
        const file = String(path);
        assert.strictEqual(fs.statSync(file).mode & 0o777, 0o600);
        assert.strictEqual(fs.statSync(file.replace(/\/[^/]+$/, "")).mode & 0o777, 0o700);
        assert.deepStrictEqual(JSON.parse(fs.readFileSync(file, "utf8")), {
            auths: { "r.example.com:5000": { auth: Buffer.from("ci:pw").toString("base64") } },
        });
        assert.strictEqual(release.chart, "oci://r.example.com:5000/charts/iris-operator");
        assert.strictEqual(release.repositoryOpts, undefined, "no ignored credentials");
    });

    it("a Helm repository keeps its basic auth in repositoryOpts (the provider passes it), secret", async function () {
        const config = parseConfig(
            {
                cluster: { provider: "existing" },
                iko: iko({ repo: "https://charts.example.com", username: "ci" }),
                iris: { storageClassName: "standard", instances: [] },
            },
            { ...secrets, kubeconfig: pulumi.secret(testSecrets.kubeconfig) },
        );
        const { recording } = await runProgram(() => new Platform("p", { config }));
        const { path, release } = loginOf(recording);
        assert.strictEqual(path, undefined, "no credentials file without an OCI login");
        const opts = unwrapSecrets(release.repositoryOpts) as Record<string, unknown>;
        assert.deepStrictEqual(opts, {
            repo: "https://charts.example.com",
            username: "ci",
            password: "pw",
        });
        const raw = release.repositoryOpts as Record<string, unknown>;
        assert.ok(isSecretValue(raw) || isSecretValue(raw.password), "the password stays secret");
    });

    it("refuses a credentials folder another user could read or plant", async function () {
        const dir = path.join(os.tmpdir(), `iris-platform-helm-${process.getuid?.() ?? 0}`);
        fs.mkdirSync(dir, { recursive: true });
        fs.chmodSync(dir, 0o755);
        try {
            const config = parseConfig(
                {
                    cluster: { provider: "existing" },
                    iko: iko({ repo: "oci://r.example.com/charts", username: "ci" }),
                    iris: { storageClassName: "standard", instances: [] },
                },
                { ...secrets, kubeconfig: pulumi.secret(testSecrets.kubeconfig) },
            );
            await assert.rejects(
                runProgram(() => new Platform("p", { config })),
                /iris-platform-helm-\d+ must be a directory of this user with mode 0700/,
            );
        } finally {
            fs.chmodSync(dir, 0o700);
        }
    });

    it("the credentials file is gone once the program's process exits", function () {
        const out = execFileSync(process.execPath, probeArgs("exit"), { encoding: "utf8" });
        const { path: file, existed } = probeLine(out);
        assert.strictEqual(existed, true, "written while the program runs");
        assert.strictEqual(fs.existsSync(file), false, `${file} removed at exit`);
    });

    let probeChild: ReturnType<typeof spawn> | undefined;
    afterEach(function () {
        // A probe that ignored the signal would otherwise outlive a failed test.
        if (probeChild && probeChild.exitCode === null && probeChild.signalCode === null)
            probeChild.kill("SIGKILL");
        probeChild = undefined;
    });

    it("a run stopped by SIGTERM (a cancelled CI job) removes the file and still ends by SIGTERM", async function () {
        const child = spawn(process.execPath, probeArgs("signal"), {
            stdio: ["ignore", "pipe", "inherit"],
        });
        probeChild = child;
        let out = "";
        const probe = await new Promise<Probe>((resolve, reject) => {
            child.stdout.on("data", (d: Buffer) => {
                out += d.toString();
                if (out.includes("\n")) resolve(probeLine(out));
            });
            child.on("exit", (code) => reject(new Error(`probe ended early (${code}): ${out}`)));
        });
        assert.strictEqual(probe.existed, true, "written while the program runs");
        const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
            child.on("exit", (code, signal) => r({ code, signal })),
        );
        child.kill("SIGTERM");
        const { code, signal } = await ended;
        assert.deepStrictEqual({ code, signal }, { code: null, signal: "SIGTERM" });
        assert.strictEqual(fs.existsSync(probe.path), false, `${probe.path} removed on SIGTERM`);
    });

    it("leaves the file of a concurrent run of the same stack that rewrote it", function () {
        const out = execFileSync(process.execPath, probeArgs("replaced"), { encoding: "utf8" });
        const { path: file } = probeLine(out);
        try {
            assert.strictEqual(
                fs.readFileSync(file, "utf8"),
                '{"auths":{}}',
                "the other run's file stays",
            );
        } finally {
            fs.rmSync(file, { force: true });
        }
    });

    it("on a GitHub Actions runner, writes into the job's RUNNER_TEMP", function () {
        const runner = fs.mkdtempSync(path.join(os.tmpdir(), "iris-runner-temp-"));
        process.env.RUNNER_TEMP = runner;
        try {
            assert.match(
                helmRegistryConfigLocation("iris-platform", "prod"),
                new RegExp(`^${runner}/iris-platform-helm-\\d+/[0-9a-f]{16}\\.json$`),
            );
        } finally {
            delete process.env.RUNNER_TEMP;
        }
        assert.ok(helmRegistryConfigLocation("iris-platform", "prod").startsWith(os.tmpdir()));
    });

    it("Pulumi.prod.yaml: the OCI IKO chart logs in through the provider's credentials file", async function () {
        const { recording } = await buildStackFresh("prod");
        const { path, release } = loginOf(recording);
        assert.match(String(path), /iris-platform-helm-\d+\/[0-9a-f]{16}\.json$/);
        assert.strictEqual(release.repositoryOpts, undefined);
        const auths = (
            JSON.parse(fs.readFileSync(String(path), "utf8")) as {
                auths: Record<string, { auth: string }>;
            }
        ).auths;
        // The committed stack's registry, its placeholder filled in as README says.
        const host = `registry.${userValues.domain}`;
        assert.deepStrictEqual(Object.keys(auths), [host]);
        assert.strictEqual(
            Buffer.from(auths[host].auth, "base64").toString(),
            `platform-ci:${testSecrets.chartRegistryPassword}`,
        );
    });
});
