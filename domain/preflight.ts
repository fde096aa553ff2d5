/**
 * What a stack needs from its cloud account before anything is created (pure; the
 * preflight in components/preflight.ts asks the cloud, the tests compare with what the
 * program registers).
 */
import type { PlatformConfig } from "../config";
import { dnsCloud } from "./dns";

/**
 * Elastic IPs the stack allocates in its region: one per NAT gateway and one per zone for
 * the ingress load balancer (components/cluster/aws/network.ts and index.ts).
 */
export function elasticIpsNeeded(config: PlatformConfig): number {
    const c = config.cluster;
    if (c.provider !== "aws") return 0;
    const zones = c.aws.availabilityZones.length;
    return (c.aws.natGateways === "perAz" ? zones : 1) + zones;
}

/**
 * The Google API (service name, as `gcloud services enable` takes it) each kind of GCP
 * resource the program creates is served by; the key is the type token's module.
 * Service names: cloud.google.com/service-usage/docs/enabled-service (and each API's
 * reference: compute/v1, container/v1, iam/v1, cloudresourcemanager/v1, storage/v1, dns/v1).
 */
export const gcpApiOfModule: Readonly<Record<string, string>> = {
    compute: "compute.googleapis.com",
    container: "container.googleapis.com",
    serviceaccount: "iam.googleapis.com",
    // projects.IAMMember edits the project's IAM policy: Resource Manager's setIamPolicy.
    projects: "cloudresourcemanager.googleapis.com",
    storage: "storage.googleapis.com",
    dns: "dns.googleapis.com",
};

/** One project and the APIs the stack uses in it, with the reason each is needed. */
export interface GcpApiNeed {
    readonly project: string;
    /** The config key that names the project (for the error). */
    readonly key: string;
    readonly apis: readonly { readonly api: string; readonly why: string }[];
}

/** The GCP APIs the stack's resources need, per project. */
export function gcpApisNeeded(config: PlatformConfig): GcpApiNeed[] {
    const c = config.cluster;
    const dns = config.dns;
    const dnsOnGcp = dns.enabled && dnsCloud(dns.provider, c.provider) === "gcp";
    const needs: GcpApiNeed[] = [];
    if (c.provider === "gke") {
        const apis = [
            { api: gcpApiOfModule.compute, why: "network, subnet, router, NAT, ingress address" },
            { api: gcpApiOfModule.container, why: "the GKE cluster and node pool" },
            { api: gcpApiOfModule.serviceaccount, why: "the nodes' service account" },
            { api: gcpApiOfModule.projects, why: "the nodes' role binding on the project" },
        ];
        if (
            config.longhorn.enabled &&
            config.longhorn.backup.enabled &&
            !config.longhorn.backup.target
        )
            apis.push({ api: gcpApiOfModule.storage, why: "the backup bucket and its HMAC key" });
        if (dnsOnGcp) apis.push({ api: gcpApiOfModule.dns, why: "the DNS records" });
        needs.push({ project: c.gke.project, key: "cluster.gke.project", apis });
    } else if (dnsOnGcp && dns.project) {
        needs.push({
            project: dns.project,
            key: "dns.project",
            apis: [{ api: gcpApiOfModule.dns, why: "the DNS records" }],
        });
    }
    return needs;
}
