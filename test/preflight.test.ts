/**
 * Preflight: placeholders left from the example stacks, an Elastic IP quota the stack
 * would exceed, GCP APIs not enabled. Each is refused before anything below the platform
 * is registered, in preview too, naming the key and the fix. (test/e2e/preflight.e2e.ts
 * shows what the real engine prints.)
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../config";
import { placeholderProblems } from "../config/placeholders";
import { elasticIpsNeeded, gcpApiOfModule, gcpApisNeeded } from "../domain/preflight";
import { elasticIpProblem, gcpDisabledApisOf } from "../components/platform/preflight";
import { runProgram, type InvokeHandler, type Recording } from "./mocks";
import { loadStackFile } from "./stack-files";
import { buildStack, stackFiles } from "./build-stack";
import { eipsAnswer, fakeAccount, serviceQuotaAnswer } from "./fakes/aws";
import { fakeEnabledApis, projectServiceAnswer, serviceDisabledError } from "./fakes/gcp";
import { irisTestGke } from "./config-helpers";
import { parseConfig } from "../config";

type Plain = Record<string, unknown>;

/** A stack file's config as objects (placeholders filled in unless `asCommitted`). */
function stackConfig(stack: string, asCommitted = false) {
    const { file, secrets } = stackFiles[stack];
    const loaded = loadStackFile(file, secrets, { asCommitted });
    const plain: Plain = {};
    for (const [k, v] of Object.entries(loaded.config))
        plain[k] = loaded.secretConfigKeys.includes(k) ? v : (JSON.parse(v) as unknown);
    return { plain, secretConfigKeys: loaded.secretConfigKeys };
}

/**
 * Runs index.ts against `plain`; collects what the engine would report: the program's own
 * error, and the rejections the SDK raises for resources that never registered.
 */
async function run(
    stack: string,
    plain: Plain,
    secretConfigKeys: string[],
    o: { invokes?: Record<string, InvokeHandler>; preview?: boolean } = {},
): Promise<{ recording?: Recording; errors: string[] }> {
    const errors: string[] = [];
    const onRejection = (reason: unknown) => errors.push(String((reason as Error)?.message));
    process.on("unhandledRejection", onRejection);
    try {
        const config = Object.fromEntries(
            Object.entries(plain).map(([k, v]) => [
                k,
                typeof v === "string" ? v : JSON.stringify(v),
            ]),
        );
        const { recording } = await runProgram(
            () => {
                delete require.cache[require.resolve("../index")];
                // eslint-disable-next-line @typescript-eslint/no-require-imports
                return require("../index") as unknown;
            },
            { stack, config, secretConfigKeys, preview: o.preview, invokes: o.invokes },
        );
        // Rejections are reported a turn after they happen.
        await new Promise((resolve) => setImmediate(resolve));
        return { recording, errors };
    } catch (err) {
        errors.push(err instanceof Error ? err.message : String(err));
        if (err instanceof ConfigError)
            assert.ok(pulumi.RunError.isInstance(err), "printed without a stack trace");
        return { errors };
    } finally {
        process.off("unhandledRejection", onRejection);
    }
}

/** Only the platform component and cloud providers were registered. */
function nothingBelowThePlatform(r: Recording): void {
    assert.deepStrictEqual(
        r.resources
            .map((x) => x.type)
            .filter(
                (t) =>
                    t !== "iris-platform:platform:Platform" && !t.startsWith("pulumi:providers:"),
            ),
        [],
    );
}

const freshAccountQuota = {
    "aws:servicequotas/getServiceQuota:getServiceQuota": serviceQuotaAnswer({
        "ec2/L-0263D0A3": { ...fakeAccount.quotas["ec2/L-0263D0A3"], value: 5 },
    }),
};

describe("preflight: placeholders from the example stacks", function () {
    it("names each placeholder key with its value and the fix", function () {
        const problems = placeholderProblems({
            certManager: { email: "platform-team@example.com" },
            iko: { chart: { repo: "oci://registry.example.com/charts" } },
            monitoring: { alerts: { email: { smarthost: "smtp.example.net:587" } } },
            iris: { instances: [{ name: "iris", host: "iris.EXAMPLE.org" }] },
            cluster: { aws: { adminCidrs: ["10.0.0.0/8", "203.0.113.0/24"] } },
            dns: { address: "198.51.100.9", zone: "example-com" },
        });
        assert.deepStrictEqual(
            problems.map((p) => p.split(": is a placeholder")[0]),
            [
                "iris-platform:certManager.email",
                "iris-platform:iko.chart.repo",
                "iris-platform:monitoring.alerts.email.smarthost",
                "iris-platform:iris.instances[0].host",
                "iris-platform:cluster.aws.adminCidrs[1]",
                "iris-platform:dns.address",
            ],
        );
        assert.match(problems[0], /\(got "platform-team@example.com"\): example\.com is reserved/);
        assert.match(problems[0], /pulumi config set --path 'certManager\.email' <value>/);
        assert.match(problems[4], /203\.0\.113\.0 is in a range reserved for documentation/);
    });

    it("leaves real names alone (a GCP zone named example-com, other domains, private ranges)", function () {
        assert.deepStrictEqual(
            placeholderProblems({
                dns: { zone: "example-com", domain: "myexample.com" },
                certManager: { email: "ops@example.company.com" },
                iris: { instances: [{ host: "iris.e2e.example" }] },
                cluster: { aws: { adminCidrs: ["192.0.20.0/24", "10.0.0.0/8"] } },
            }),
            [],
        );
    });

    for (const stack of ["dev", "prod", "aks"]) {
        it(`refuses the committed ${stackFiles[stack].file} as it is, before any resource`, async function () {
            const { plain, secretConfigKeys } = stackConfig(stack, true);
            const { recording, errors } = await run(stack, plain, secretConfigKeys);
            assert.strictEqual(recording, undefined, "the program stopped before registering");
            assert.match(errors[0], /iris-platform:certManager\.email: is a placeholder/);
            assert.match(errors[0], /iris-platform:iris\.instances\[0\]\.host: is a placeholder/);
        });
    }

    it("refuses every placeholder of prod in one run, with the schema's own problems", async function () {
        const { plain, secretConfigKeys } = stackConfig("prod", true);
        (plain["iris-platform:ingress"] as Plain).replicas = 0;
        const { errors } = await run("prod", plain, secretConfigKeys);
        const keys = [...errors[0].matchAll(/^ {2}- (iris-platform:[^:]+):/gm)].map((m) => m[1]);
        assert.deepStrictEqual(keys.sort(), [
            "iris-platform:certManager.email",
            "iris-platform:cluster.aws.adminCidrs[0]",
            "iris-platform:dns.domain",
            "iris-platform:dns.hostnames[0]",
            "iris-platform:iko.chart.repo",
            "iris-platform:iko.registry.username",
            "iris-platform:ingress.replicas",
            "iris-platform:iris.instances[0].host",
            "iris-platform:monitoring.alerts.email.from",
            "iris-platform:monitoring.alerts.email.smarthost",
            "iris-platform:monitoring.alerts.email.to",
            "iris-platform:monitoring.alerts.email.username",
            "iris-platform:monitoring.grafana.host",
        ]);
    });
});

describe("preflight: Elastic IPs per region (AWS)", function () {
    it("counts what the program allocates: one per NAT gateway and one ingress address per zone", async function () {
        const { recording } = await buildStack("prod");
        const { plain } = stackConfig("prod");
        const config = parseConfig({ cluster: plain["iris-platform:cluster"] }, {});
        assert.strictEqual(recording.ofType("aws:ec2/eip:Eip").length, elasticIpsNeeded(config));
        assert.strictEqual(elasticIpsNeeded(config), 6);
    });

    it("refuses prod in a fresh account (quota 5) before any resource, in preview too", async function () {
        for (const preview of [false, true]) {
            const { plain, secretConfigKeys } = stackConfig("prod");
            const { recording, errors } = await run("prod", plain, secretConfigKeys, {
                invokes: freshAccountQuota,
                preview,
            });
            nothingBelowThePlatform(recording as Recording);
            const message = errors.find((e) => e.includes("Preflight refused"));
            assert.ok(message, `no preflight error in:\n${errors.slice(0, 3).join("\n")}`);
            assert.match(
                message,
                /iris-platform:cluster\.aws: the stack needs 6 Elastic IPs in eu-west-1 .* 1 are allocated outside this stack, and the account's quota "EC2-VPC Elastic IPs" \(L-0263D0A3\) is 5/,
            );
            assert.match(
                message,
                /aws service-quotas request-service-quota-increase --service-code ec2 --quota-code L-0263D0A3 --desired-value 7 --region eu-west-1/,
            );
            assert.match(message, /or set cluster\.aws\.natGateways: single/);
            assert.doesNotMatch(message, /error serializing property/);
        }
    });

    it("accepts prod in a fresh account with one NAT gateway (4 Elastic IPs)", async function () {
        const { plain, secretConfigKeys } = stackConfig("prod");
        const cluster = plain["iris-platform:cluster"] as { aws: Plain };
        cluster.aws.natGateways = "single";
        const { recording, errors } = await run("prod", plain, secretConfigKeys, {
            invokes: freshAccountQuota,
        });
        assert.deepStrictEqual(errors, []);
        assert.strictEqual((recording as Recording).ofType("aws:ec2/eip:Eip").length, 4);
    });

    it("does not count the stack's own Elastic IPs twice on a second up", function () {
        const base = { region: "eu-west-1", natGateways: "perAz" as const, needed: 6, quota: 10 };
        // 4 of someone else's plus this stack's 6: exactly the quota.
        assert.strictEqual(elasticIpProblem({ ...base, allocated: 10, ours: 6 }), undefined);
        assert.match(
            elasticIpProblem({ ...base, allocated: 11, ours: 6 }) ?? "",
            /5 are allocated outside this stack.*--desired-value 11/,
        );
    });

    it("asks the account for the stack's own addresses by the tags every resource carries", async function () {
        const asked: Plain[] = [];
        const answer = eipsAnswer(fakeAccount.eips.map((e) => ({ ...e, tags: { ...e.tags } })));
        const { plain, secretConfigKeys } = stackConfig("prod");
        await run("prod", plain, secretConfigKeys, {
            invokes: {
                "aws:ec2/getEips:getEips": (inputs) => {
                    asked.push(inputs);
                    return answer(inputs);
                },
            },
        });
        assert.deepStrictEqual(asked.map((a) => a.tags).filter(Boolean), [
            { "iris-platform-cluster": "iris-prod", "iris-platform-stack": "prod" },
        ]);
    });
});

describe("preflight: GCP APIs", function () {
    const gke = (extra: Plain = {}) =>
        parseConfig(
            {
                cluster: { ...irisTestGke, name: "c" },
                longhorn: { replicaCount: 1 },
                ...extra,
            },
            {},
        );

    it("refuses the GKE stack when the project has not enabled an API, naming the gcloud command", async function () {
        const { plain, secretConfigKeys } = stackConfig("dev");
        const without = fakeEnabledApis.filter(
            (a) => a !== "container.googleapis.com" && a !== "dns.googleapis.com",
        );
        for (const preview of [false, true]) {
            const { recording, errors } = await run("dev", plain, secretConfigKeys, {
                invokes: {
                    "gcp:projects/getProjectService:getProjectService":
                        projectServiceAnswer(without),
                },
                preview,
            });
            nothingBelowThePlatform(recording as Recording);
            const message = errors.find((e) => e.includes("Preflight refused")) ?? "";
            assert.match(
                message,
                /iris-platform:cluster\.gke\.project: project my-gcp-project has not enabled container\.googleapis\.com \(the GKE cluster and node pool\), dns\.googleapis\.com \(the DNS records\): run `gcloud services enable container\.googleapis\.com dns\.googleapis\.com --project my-gcp-project`/,
            );
        }
    });

    for (const [api, why] of [
        ["cloudresourcemanager.googleapis.com", "the preflight reads the project"],
        ["serviceusage.googleapis.com", "the preflight lists the enabled APIs"],
    ])
        it(`turns Google's SERVICE_DISABLED 403 for ${api}, which the check reads through, into the same refusal`, async function () {
            const { plain, secretConfigKeys } = stackConfig("dev");
            const { recording, errors } = await run("dev", plain, secretConfigKeys, {
                invokes: {
                    "gcp:projects/getProjectService:getProjectService": projectServiceAnswer(
                        fakeEnabledApis.filter((a) => a !== api),
                    ),
                },
            });
            nothingBelowThePlatform(recording as Recording);
            const message = errors.find((e) => e.includes("Preflight refused")) ?? "";
            assert.strictEqual(
                message.split("\n")[1],
                `  - iris-platform:cluster.gke.project: project my-gcp-project has not enabled ${api} (${why}): ` +
                    `run \`gcloud services enable ${api} --project my-gcp-project\``,
            );
            assert.ok(!errors.some((e) => e.includes("Error 403")), "no raw 403 reaches the user");
        });

    it("reads the disabled API from Google's answer; any other invoke failure stays an error", function () {
        assert.deepStrictEqual(
            gcpDisabledApisOf(
                serviceDisabledError("p", "compute.googleapis.com", "serviceusage.googleapis.com")
                    .message,
            ),
            ["serviceusage.googleapis.com"],
        );
        // The text alone (no ErrorInfo): the service from the console link.
        assert.deepStrictEqual(
            gcpDisabledApisOf(
                "googleapi: Error 403: Cloud Resource Manager API has not been used in project 42 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/cloudresourcemanager.googleapis.com/overview?project=42 then retry.",
            ),
            ["cloudresourcemanager.googleapis.com"],
        );
        assert.deepStrictEqual(gcpDisabledApisOf('"reason": "SERVICE_DISABLED"'), [
            "cloudresourcemanager.googleapis.com",
            "serviceusage.googleapis.com",
        ]);
        assert.strictEqual(
            gcpDisabledApisOf(
                "googleapi: Error 403: The caller does not have permission, forbidden",
            ),
            undefined,
        );
    });

    it("checks an API for every kind of GCP resource the GKE stacks create", async function () {
        const types = new Set<string>();
        for (const stack of ["dev"]) {
            const { recording } = await buildStack(stack);
            recording.resources.forEach((r) => types.add(r.type));
        }
        // Backups on: the bucket, its IAM binding and HMAC key.
        const withBackups = gke({ longhorn: { replicaCount: 1, backup: { enabled: true } } });
        const { Platform } = await import("../components/platform");
        const { recording } = await runProgram(() => new Platform("p", { config: withBackups }));
        recording.resources.forEach((r) => types.add(r.type));
        const needed = new Set([
            ...gcpApisNeeded(withBackups).flatMap((n) => n.apis.map((a) => a.api)),
            ...gcpApisNeeded(gke({ dns: { enabled: true, zone: "z", domain: "d.test" } })).flatMap(
                (n) => n.apis.map((a) => a.api),
            ),
        ]);
        const unchecked = [...types]
            .filter((t) => t.startsWith("gcp:"))
            .map((t) => ({ t, api: gcpApiOfModule[t.split(":")[1].split("/")[0]] }))
            .filter(({ api }) => !api || !needed.has(api))
            .map(({ t }) => t);
        assert.deepStrictEqual(unchecked, [], "add the API to domain/preflight.ts");
    });

    it("checks only Cloud DNS for an existing cluster with records in Cloud DNS", function () {
        const config = parseConfig(
            {
                cluster: { provider: "existing", name: "e", existing: { kubeconfigPath: "/k" } },
                dns: {
                    enabled: true,
                    provider: "gcp",
                    project: "dns-proj",
                    zone: "z",
                    domain: "d.test",
                    address: "10.1.2.3",
                },
            },
            {},
        );
        assert.deepStrictEqual(gcpApisNeeded(config), [
            {
                project: "dns-proj",
                key: "dns.project",
                apis: [{ api: "dns.googleapis.com", why: "the DNS records" }],
            },
        ]);
    });
});
