/** Rules between config sections; each problem names the key the user must change. */
import type { z } from "zod";
import { ociLogins } from "../domain/chart-registry";
import { dnsCloud, dnsDomain } from "../domain/dns";
import type { Parsed, SecretKey } from "./schema";
import { irisChecks } from "./checks-iris";
import { monitoringChecks } from "./checks-monitoring";

/** Adds an issue for every rule between sections the config breaks. */
export function crossChecks(c: Parsed, ctx: z.RefinementCtx): void {
    const has = (k: SecretKey) => c.secretsPresent.includes(k);
    const issue = (path: (string | number)[], input: unknown, message: string) =>
        ctx.addIssue({ code: "custom", path, input, message });
    const cloud = c.cluster.provider;

    if (cloud === "existing" && !has("kubeconfig") && !c.cluster.existing.kubeconfigPath) {
        issue(
            ["cluster", "existing", "kubeconfigPath"],
            undefined,
            "is required unless the `kubeconfig` secret is set",
        );
    }
    if (cloud === "existing" && has("kubeconfig") && c.cluster.existing.kubeconfigPath) {
        issue(
            ["cluster", "existing", "kubeconfigPath"],
            c.cluster.existing.kubeconfigPath,
            "conflicts with the `kubeconfig` secret: set one of them",
        );
    }

    if (c.charts.username && !has("chartRegistryPassword")) {
        issue(
            ["charts", "username"],
            c.charts.username,
            "needs the `chartRegistryPassword` secret (pulumi config set --secret chartRegistryPassword)",
        );
    }
    // Helm's registry credentials file holds one login per registry host (domain/chart-registry.ts).
    const logins = ociLogins(c);
    for (const l of logins) {
        const other = logins.find((o) => o.host === l.host && o.username !== l.username);
        if (other && l.key === "iko.chart.repo")
            issue(
                ["iko", "chart", "username"],
                l.username,
                `logs in to ${l.host}, where ${other.key} logs in as charts.username ${JSON.stringify(other.username)}: one registry host takes one login; use the same user`,
            );
    }
    if (
        c.certManager.enabled &&
        c.certManager.issuer === "letsencrypt-prod" &&
        !c.certManager.email
    ) {
        issue(
            ["certManager", "email"],
            undefined,
            "is required with issuer letsencrypt-prod (Let's Encrypt production needs a contact address)",
        );
    }

    if (c.dns.enabled) {
        if (!c.dns.zone) issue(["dns", "zone"], undefined, "is required when dns.enabled is true");
        const provider = dnsCloud(c.dns.provider, cloud);
        if (!provider)
            issue(
                ["dns", "provider"],
                undefined,
                "is required for an existing cluster: one of gcp, azure, aws",
            );
        if (provider === "azure" && !c.dns.resourceGroupName)
            issue(["dns", "resourceGroupName"], undefined, "is required for Azure DNS");
        if (provider === "gcp" && cloud !== "gke" && !c.dns.project)
            issue(["dns", "project"], undefined, "is required for Cloud DNS outside GKE");
        if (provider === "azure" && cloud !== "aks" && !c.dns.subscriptionId)
            issue(["dns", "subscriptionId"], undefined, "is required for Azure DNS outside AKS");
        if (cloud === "existing" && !c.dns.address && !c.cluster.existing.ingressAddress) {
            issue(
                ["dns", "address"],
                undefined,
                "is required for an existing cluster (or set cluster.existing.ingressAddress)",
            );
        }
        if (!c.ingress.enabled)
            issue(
                ["dns", "enabled"],
                true,
                "needs ingress.enabled: records point at the ingress address",
            );
        if (c.ingress.serviceType !== "LoadBalancer" && !c.dns.address) {
            issue(
                ["ingress", "serviceType"],
                c.ingress.serviceType,
                "leaves the reserved address unused: DNS records need LoadBalancer (or set dns.address)",
            );
        }
        if (provider === "azure" && c.dns.domain && c.dns.zone && c.dns.domain !== c.dns.zone) {
            issue(
                ["dns", "domain"],
                c.dns.domain,
                `must equal dns.zone (${c.dns.zone}) for Azure DNS, whose zone name is its domain`,
            );
        }
        const domain = dnsDomain(c.dns.domain, c.dns.zone, provider);
        if (domain) {
            const outside = (host: string) => host !== domain && !host.endsWith(`.${domain}`);
            c.dns.hostnames.forEach((host, i) => {
                if (outside(host))
                    issue(
                        ["dns", "hostnames", i],
                        host,
                        `is not inside the zone's domain ${domain}`,
                    );
            });
            c.iris.instances.forEach((inst, i) => {
                if (inst.host && outside(inst.host))
                    issue(
                        ["iris", "instances", i, "host"],
                        inst.host,
                        `is not inside the DNS zone's domain ${domain} (dns.domain)`,
                    );
            });
        }
    }

    const lh = c.longhorn;
    // Longhorn places each replica on a different node; fewer nodes leave every volume degraded.
    if (lh.enabled && cloud !== "existing" && c.cluster.nodePool.minNodes < lh.replicaCount) {
        issue(
            ["cluster", "nodePool", "minNodes"],
            c.cluster.nodePool.minNodes,
            `must be at least longhorn.replicaCount (${lh.replicaCount}): each replica needs its own node`,
        );
    }
    const backup = lh.backup;
    if (backup.enabled && !lh.enabled)
        issue(["longhorn", "backup", "enabled"], true, "needs longhorn.enabled");
    if (backup.enabled && cloud === "existing" && !backup.target) {
        issue(
            ["longhorn", "backup", "target"],
            undefined,
            "is required for backups on an existing cluster (s3://bucket@region/)",
        );
    }
    if (
        backup.enabled &&
        backup.target &&
        (!has("backupAccessKeyId") || !has("backupSecretAccessKey"))
    ) {
        issue(
            ["longhorn", "backup", "target"],
            backup.target,
            "needs the backupAccessKeyId and backupSecretAccessKey secrets",
        );
    }
    if (backup.endpoint && !backup.target?.startsWith("s3://")) {
        issue(
            ["longhorn", "backup", "endpoint"],
            backup.endpoint,
            "needs an s3:// longhorn.backup.target",
        );
    }
    if (lh.volumeSnapshotClass && !backup.enabled) {
        issue(
            ["longhorn", "volumeSnapshotClass"],
            true,
            "needs longhorn.backup.enabled (the class takes Longhorn backups)",
        );
    }
    irisChecks({ c, has, issue });
    monitoringChecks({ c, has, issue });
}
