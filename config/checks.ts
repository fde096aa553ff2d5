/** Rules between config sections; each problem names the key the user must change. */
import type { z } from "zod";
import { dnsCloud, dnsDomain } from "../domain/dns";
import { isCommunityImage } from "../domain/iris";
import { quantityMiB } from "./primitives";
import type { Parsed, SecretKey } from "./schema";

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

    if (c.iko.enabled) {
        if (!c.iko.chart.path && !c.iko.chart.repo && !c.charts.directory && !c.charts.mirror) {
            issue(
                ["iko", "chart", "path"],
                undefined,
                "is required (or iko.chart.repo, or charts.directory/charts.mirror): the IKO chart from the InterSystems download",
            );
        }
        if (c.iko.chart.path && c.iko.chart.repo)
            issue(
                ["iko", "chart", "repo"],
                c.iko.chart.repo,
                "conflicts with iko.chart.path: set one of them",
            );
        if (c.iko.chart.username && !c.iko.chart.repo)
            issue(
                ["iko", "chart", "username"],
                c.iko.chart.username,
                "needs iko.chart.repo: a local chart path takes no login",
            );
        if (c.iko.chart.username && !has("chartRegistryPassword")) {
            issue(
                ["iko", "chart", "username"],
                c.iko.chart.username,
                "needs the `chartRegistryPassword` secret (pulumi config set --secret chartRegistryPassword)",
            );
        }
        if (!c.iko.registry.username)
            issue(
                ["iko", "registry", "username"],
                undefined,
                "is required to pull the operator image",
            );
        if (!has("registryToken"))
            issue(
                ["iko", "enabled"],
                true,
                "needs the `registryToken` secret to pull the operator image",
            );
    }

    const instances = c.iris.instances;
    if (instances.length > 0) {
        if (!has("irisPassword") && !has("irisPasswordHash")) {
            issue(
                ["iris", "instances"],
                instances.length,
                "need the `irisPassword` (or `irisPasswordHash`) secret: IRIS must not keep its default password",
            );
        }
        if (has("irisPassword") && has("irisPasswordHash")) {
            issue(
                ["iris", "instances"],
                instances.length,
                "take the `irisPassword` or the `irisPasswordHash` secret, not both: unset one of them",
            );
        }
        if (!c.longhorn.enabled && !c.iris.storageClassName) {
            issue(
                ["iris", "storageClassName"],
                undefined,
                "is required when longhorn.enabled is false",
            );
        }
    }
    const seen = new Set<string>();
    instances.forEach((inst, i) => {
        const at = (...rest: string[]) => ["iris", "instances", i, ...rest];
        const id = `${inst.namespace}/${inst.name}`;
        if (seen.has(id)) issue(at("name"), inst.name, `repeats instance ${id}`);
        seen.add(id);
        const community = isCommunityImage(inst.image);
        const topology = inst.data.topology;
        if (topology !== "standalone" && community) {
            issue(
                at("data", "topology"),
                topology,
                `is not possible with community image ${inst.image}: community IRIS cannot mirror or shard`,
            );
        }
        if (inst.mode === "standalone" && topology !== "standalone") {
            issue(
                at("data", "topology"),
                topology,
                "needs mode iko: the standalone Deployment runs one instance",
            );
        }
        if (inst.mode === "iko" && !c.iko.enabled)
            issue(at("mode"), "iko", "needs iko.enabled: true");
        if (inst.mode === "iko" && inst.webgateway.replicas > 0 && !has("webgatewayPassword")) {
            issue(
                at("webgateway", "replicas"),
                inst.webgateway.replicas,
                "needs the `webgatewayPassword` secret: the web gateway logs in as CSPSystem, which otherwise keeps the default password SYS",
            );
        }
        // IRIS kits from 2023.2 on have no private web server: a licensed image's portal needs web-gateway nodes.
        if (
            !community &&
            inst.host &&
            (inst.mode === "standalone" || inst.webgateway.replicas === 0)
        ) {
            const fix =
                inst.mode === "standalone"
                    ? "needs mode iko with web-gateway nodes"
                    : "needs webgateway.replicas > 0";
            issue(
                at("host"),
                inst.host,
                `${fix}: IRIS kits from 2023.2 on have no private web server, so a licensed image's portal is served by IKO's web gateway`,
            );
        }
        if (!community && !has("irisLicenseKey"))
            issue(at("image"), inst.image, "is a licensed image: set the `irisLicenseKey` secret");
        if (inst.host && !c.ingress.enabled) issue(at("host"), inst.host, "needs ingress.enabled");
        if (inst.host && !c.certManager.enabled)
            issue(at("host"), inst.host, "needs certManager.enabled for its TLS certificate");
        if (!inst.compatibilityVersion && !/:\d{4}\.\d+/.test(inst.image)) {
            issue(
                at("compatibilityVersion"),
                undefined,
                `is required: image ${inst.image} has no YYYY.N tag to derive it from`,
            );
        }
        if (inst.mode === "standalone" && inst.compute.replicas > 0) {
            issue(
                at("compute", "replicas"),
                inst.compute.replicas,
                "needs mode iko: the standalone Deployment has no compute nodes",
            );
        }
        // IRIS allocates both at start-up; above the container limit the pod is OOM-killed.
        const limitMiB = quantityMiB(inst.resources.limits.memory);
        const sharedMiB = inst.cpf.globalBuffersMB + inst.cpf.gmheapMB;
        if (limitMiB !== undefined && sharedMiB > limitMiB * 0.8) {
            issue(
                at("cpf", "globalBuffersMB"),
                inst.cpf.globalBuffersMB,
                `plus gmheapMB (${inst.cpf.gmheapMB}) must stay under 80% of resources.limits.memory (${inst.resources.limits.memory})`,
            );
        }
    });
}
