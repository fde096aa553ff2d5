/**
 * Preflight: before any cloud resource is registered, ask the cloud what the stack
 * needs and refuse with the key and the fix. Invokes run in `pulumi preview` too, so a
 * preview already fails. What the clouds offer no data source for is listed in
 * docs/configuration.md ("Preflight"): nothing here guesses.
 *
 * The result gates the platform: every top-level child waits for it (dependsOn), so when
 * a check fails nothing below the platform reaches the engine.
 */
import * as pulumi from "@pulumi/pulumi";
import { getServiceQuotaOutput } from "@pulumi/aws/servicequotas";
import { getEipsOutput } from "@pulumi/aws/ec2";
import { getProjectService } from "@pulumi/gcp/projects";
import type { PlatformConfig } from "../../config";
import { elasticIpsNeeded, gcpApisNeeded } from "../../domain/preflight";
import type { CloudProviders } from "../cloud";

/**
 * "EC2-VPC Elastic IPs" per Region, service code ec2 (AWS Service Quotas; default 5:
 * docs.aws.amazon.com/AWSEC2/latest/UserGuide/elastic-ip-addresses-eip.html#using-instance-addressing-limit).
 */
export const elasticIpQuota = { serviceCode: "ec2", quotaCode: "L-0263D0A3" } as const;

/** What the Elastic IP check found; pure, so the tests call it with the invokes' answers. */
export function elasticIpProblem(a: {
    region: string;
    natGateways: "single" | "perAz";
    needed: number;
    quota: number;
    allocated: number;
    ours: number;
}): string | undefined {
    const others = a.allocated - a.ours;
    if (others + a.needed <= a.quota) return undefined;
    const want = others + a.needed;
    return (
        `iris-platform:cluster.aws: the stack needs ${a.needed} Elastic IPs in ${a.region} ` +
        `(NAT gateways and one ingress address per zone), ${others} are allocated outside this stack, ` +
        `and the account's quota "EC2-VPC Elastic IPs" (${elasticIpQuota.quotaCode}) is ${a.quota}: ` +
        `request a quota of ${want} (aws service-quotas request-service-quota-increase --service-code ${elasticIpQuota.serviceCode} ` +
        `--quota-code ${elasticIpQuota.quotaCode} --desired-value ${want} --region ${a.region}), release unused Elastic IPs` +
        (a.natGateways === "perAz" ? ", or set cluster.aws.natGateways: single" : "")
    );
}

/** Whether getProjectService's answer says the API is enabled (see gcpChecks). */
export function gcpApiEnabled(
    answer: { id?: string; service?: string },
    project: string,
    service: string,
): boolean {
    return answer.id === `${project}/${service}`;
}

/**
 * The APIs the GCP check itself reads through: getProjectService first calls Resource Manager
 * projects.get, then Service Usage services.list (terraform-provider-google
 * resourcemanager/resource_google_project_service.go Read; only a 404 clears the id, anything
 * else fails the invoke).
 */
export const gcpPreflightApis: readonly { readonly api: string; readonly why: string }[] = [
    { api: "cloudresourcemanager.googleapis.com", why: "the preflight reads the project" },
    { api: "serviceusage.googleapis.com", why: "the preflight lists the enabled APIs" },
];

/**
 * The API a failed getProjectService names as disabled, or undefined for any other failure.
 * Google answers a call to a disabled API with a 403 whose ErrorInfo reason is SERVICE_DISABLED
 * and metadata.service the API (googleapis google/api/error_reason.proto), and the text
 * "<Title> API has not been used in project <n> before or it is disabled. Enable it by visiting
 * https://console.developers.google.com/apis/api/<service>/overview?project=<n> then retry."
 * Without a service name in it, the check's own two APIs are the suspects.
 */
export function gcpDisabledApisOf(message: string): string[] | undefined {
    const disabled =
        message.includes("SERVICE_DISABLED") ||
        /has not been used in project \S+ before or it is disabled/.test(message);
    if (!disabled) return undefined;
    const named =
        /"service":\s*"([a-z0-9.-]+\.googleapis\.com)"/.exec(message) ??
        /apis\/api\/([a-z0-9.-]+\.googleapis\.com)/.exec(message);
    return named ? [named[1]] : gcpPreflightApis.map((p) => p.api);
}

/** getProjectService's answer, or which of the check's own APIs is disabled (see above). */
function askProjectService(
    project: string,
    service: string,
    opts: pulumi.InvokeOptions,
): Promise<{ id?: string; disabled?: string[] }> {
    return getProjectService({ project, service }, opts).then(
        (a) => ({ id: a.id }),
        (err: unknown) => {
            const disabled = gcpDisabledApisOf(err instanceof Error ? err.message : String(err));
            if (!disabled) throw err;
            return { disabled };
        },
    );
}

/**
 * The refusal, printed once without a stack trace (a ResourceError with hideStack). Its text
 * stays as written: the SDK prefixes an error's message with `error serializing property
 * "<key>": ` each time it passes through an input of a resource that waits for it
 * (@pulumi/pulumi runtime/rpc.ts serializeProperties), which here would bury the fix under
 * a dozen unrelated property names.
 */
export class PreflightError extends pulumi.ResourceError {
    constructor(text: string, owner: pulumi.Resource) {
        super(text, owner, true);
        Object.defineProperty(this, "message", {
            get: () => text,
            set: () => undefined,
            enumerable: false,
            configurable: true,
        });
    }
}

function awsChecks(config: PlatformConfig, clouds: CloudProviders): pulumi.Output<string[]> {
    const c = config.cluster;
    if (c.provider !== "aws" || !clouds.aws) return pulumi.output([]);
    const opts = { provider: clouds.aws };
    // aws 7.48.0: servicequotas/getServiceQuota.d.ts (value = current quota) and
    // ec2/getEips.d.ts (allocationIds; `tags` must match exactly). The stack's own EIPs carry
    // the provider's default tags (components/cloud.ts stackTags), so a second `up` does not
    // count them twice.
    const quota = getServiceQuotaOutput(elasticIpQuota, opts);
    const all = getEipsOutput({}, opts);
    const ours = getEipsOutput(
        { tags: { "iris-platform-cluster": c.name, "iris-platform-stack": pulumi.getStack() } },
        opts,
    );
    return pulumi.all([quota, all, ours]).apply(([q, a, o]) => {
        const problem = elasticIpProblem({
            region: c.aws.region,
            natGateways: c.aws.natGateways,
            needed: elasticIpsNeeded(config),
            quota: q.value,
            allocated: a.allocationIds.length,
            ours: o.allocationIds.length,
        });
        return problem ? [problem] : [];
    });
}

function gcpChecks(config: PlatformConfig, clouds: CloudProviders): pulumi.Output<string[]> {
    const needs = gcpApisNeeded(config);
    if (needs.length === 0 || !clouds.gcp) return pulumi.output([]);
    const opts = { provider: clouds.gcp };
    const problems = needs.map((need) =>
        pulumi
            .all(need.apis.map(({ api }) => askProjectService(need.project, api, opts)))
            .apply((answers) => {
                // The data source sets its id to "<project>/<service>" and clears it when the
                // API is not enabled (terraform-provider-google, resourcemanager/
                // data_source_google_project_service.go and resource_google_project_service.go Read).
                const off = need.apis.filter(
                    ({ api }, i) =>
                        !answers[i].disabled && !gcpApiEnabled(answers[i], need.project, api),
                );
                // An API the check reads through, named by Google's SERVICE_DISABLED answer.
                const named = new Set(answers.flatMap((a) => a.disabled ?? []));
                for (const api of named)
                    if (!off.some((o) => o.api === api))
                        off.push(
                            gcpPreflightApis.find((p) => p.api === api) ??
                                need.apis.find((a) => a.api === api) ?? {
                                    api,
                                    why: "Google named it disabled",
                                },
                        );
                if (off.length === 0) return [];
                return [
                    `iris-platform:${need.key}: project ${need.project} has not enabled ${off
                        .map((o) => `${o.api} (${o.why})`)
                        .join(
                            ", ",
                        )}: run \`gcloud services enable ${off.map((o) => o.api).join(" ")} --project ${need.project}\``,
                ];
            }),
    );
    return pulumi.all(problems).apply((lists) => lists.flat());
}

/**
 * Runs every check the stack's clouds allow. Resolves to the checked provider (a harmless
 * dependency: everything gated uses it anyway; never the platform, whose children would then
 * wait for themselves) when all pass; fails with one ResourceError on `owner` listing every
 * problem, printed without a stack trace, otherwise. Undefined when no cloud has a check.
 */
export function preflight(
    config: PlatformConfig,
    clouds: CloudProviders,
    owner: pulumi.Resource,
): pulumi.Output<pulumi.Resource> | undefined {
    const gate = clouds.aws ?? clouds.gcp;
    if (!gate) return undefined;
    return pulumi.all([awsChecks(config, clouds), gcpChecks(config, clouds)]).apply(([a, g]) => {
        const problems = [...a, ...g];
        if (problems.length > 0)
            throw new PreflightError(
                `Preflight refused the stack before creating anything:\n  - ${problems.join("\n  - ")}`,
                owner,
            );
        return gate;
    });
}
