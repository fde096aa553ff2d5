/** Where a stack's DNS zone lives and what its domain is (pure; config and components share it). */

/** The cloud holding the DNS zone: `dns.provider`, else the cluster's own cloud (none for `existing`). */
export function dnsCloud(
    provider: "gcp" | "azure" | "aws" | undefined,
    cluster: string,
): "gcp" | "azure" | "aws" | undefined {
    const own: Record<string, "gcp" | "azure" | "aws"> = { gke: "gcp", aks: "azure", aws: "aws" };
    return provider ?? own[cluster];
}

/** The DNS zone's domain: `dns.domain`, or the zone name itself for Azure DNS (where they are the same). */
export function dnsDomain(
    domain: string | undefined,
    zone: string | undefined,
    provider: "gcp" | "azure" | "aws" | undefined,
): string | undefined {
    return domain ?? (provider === "azure" ? zone : undefined);
}
