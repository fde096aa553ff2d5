/** Rules between the `iko`/`iris` sections and the rest; each problem names the key to change. */
import { irisRelease, isCommunityImage } from "../domain/iris";
import { quantityMiB } from "./primitives";
import type { CheckContext } from "./check-context";
import { upgradeProblems } from "./checks-upgrade";
import { ikoSupport } from "../versions";

/** The IKO operator's and every IRIS instance's needs: chart, secrets, storage, routing, sizing. */
export function irisChecks({ c, has, issue }: CheckContext): void {
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
    destroyGuardChecks({ c, has, issue });
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
        // The release the downgrade guard annotates (components/iris/downgrade-guard.ts): an
        // image without one would carry no annotation, which the guard then cannot compare.
        if (!irisRelease(inst.image, inst.compatibilityVersion)) {
            issue(
                at("image"),
                inst.image,
                "has no IRIS release tag (YYYY.N, e.g. iris:2025.1; a digest-only or `latest-em` image has none): set iris.instances[].compatibilityVersion to its release",
            );
        }
        if (inst.mode === "standalone" && inst.compute.replicas > 0) {
            issue(
                at("compute", "replicas"),
                inst.compute.replicas,
                "needs mode iko: the standalone Deployment has no compute nodes",
            );
        }
        const backupTarget = c.longhorn.enabled && c.longhorn.backup.enabled;
        if (inst.backup.enabled && !backupTarget)
            issue(
                at("backup", "enabled"),
                true,
                "needs longhorn.backup.enabled (the backup target)",
            );
        // A set is one data node's volumes frozen together; a sharded instance has several data
        // nodes, each its own IRIS, so one pod's set would silently miss every other shard.
        const takesSets = backupTarget && inst.backup.enabled !== false;
        if (takesSets && topology === "sharded")
            issue(
                at("backup", "enabled"),
                inst.backup.enabled ?? true,
                "must be false for a sharded instance: backup sets freeze and snapshot one data node, not every shard; set backup.enabled false and back the shards up another way",
            );
        // The set's instance label is `<namespace>.<name>`, a label value (at most 63 characters).
        if (takesSets && inst.namespace.length + 1 + inst.name.length > 63)
            issue(
                at("name"),
                inst.name,
                `with namespace ${inst.namespace} makes the backup label value "${inst.namespace}.${inst.name}" longer than 63 characters: shorten one of them`,
            );
        if (inst.restoreFrom && !backupTarget)
            issue(
                at("restoreFrom"),
                inst.restoreFrom.set,
                "needs longhorn.backup.enabled: sets are read from the stack's backup target",
            );
        if (inst.restoreFrom && topology !== "standalone")
            issue(
                at("restoreFrom"),
                inst.restoreFrom.set,
                `cannot rebuild a ${topology} instance: a set holds one data node's volumes; restore with topology standalone, then add mirror members`,
            );
        // A mirror member's set carries its mirror configuration, which restoreFrom does not
        // remove (the restore Job refuses such a set too; the drill removes it): say so at preview.
        const source = inst.restoreFrom ? (inst.restoreFrom.instance ?? id) : undefined;
        const mirroredSource = instances.find(
            (o) => `${o.namespace}/${o.name}` === source && o.data.topology === "mirrored",
        );
        if (inst.restoreFrom?.instance && mirroredSource)
            issue(
                at("restoreFrom", "instance"),
                inst.restoreFrom.instance,
                "is mirrored: its sets come from a mirror member and restore an instance that still believes it is one (read-only mirrored databases, a route to the live mirror); restoreFrom does not remove mirror configuration — see docs/backup.md (sets of a mirrored instance)",
            );
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
    const upgrade = upgradeProblems(ikoSupport, {
        ikoEnabled: c.iko.enabled,
        ikoChartVersion: c.iko.chart.version,
        kubernetes: c.cluster.kubernetesVersion,
        instances,
    });
    for (const p of upgrade) issue(p.path, p.input, p.message);
}

/** The destroy guard can only ever allow a destroy when every instance takes backup sets. */
function destroyGuardChecks({ c, issue }: CheckContext): void {
    if (!c.iris.destroyGuard.enabled) return;
    if (!c.longhorn.enabled || !c.longhorn.backup.enabled) {
        issue(
            ["iris", "destroyGuard", "enabled"],
            true,
            "needs longhorn.backup.enabled: the guard allows a destroy once a fresh backup set exists",
        );
        return;
    }
    // A store the platform made is deleted with the stack when retainStore is false, after the
    // guard (which depends on it) has counted the sets inside it; a named target is never touched.
    if (!c.longhorn.backup.target && !c.longhorn.backup.retainStore)
        issue(
            ["iris", "destroyGuard", "enabled"],
            true,
            "needs longhorn.backup.retainStore true (or your own longhorn.backup.target): with retainStore false the destroy deletes the backup store, and the sets the guard counted, right after the guard allows it",
        );
    for (const inst of c.iris.instances)
        if (inst.backup.enabled === false)
            issue(
                ["iris", "destroyGuard", "enabled"],
                true,
                `needs backup sets of every instance, and ${inst.namespace}/${inst.name} has backup.enabled false: enable its backups or the guard`,
            );
}
