/** What every cluster provider's schema shares: the node pool, name and minor, zone and range checks. */
import { z } from "zod";
import { cidrsOverlap, isNetworkAddress } from "../domain/cidr";
import { defaultKubernetesMinor, kubernetesMinors } from "../versions";
import { cidrRe, count, dnsLabel } from "./primitives";

export const nodePool = z
    .strictObject({
        /** Worker machine type; defaults per cloud. */
        machineType: z.string().min(1).optional(),
        minNodes: count(0, 100).default(2),
        maxNodes: count(1, 100).default(3),
        /** AWS only: the ASG's initial desired size (it is then left to the autoscaler). */
        desiredNodes: count(0, 100).optional(),
        diskSizeGb: count(20, 4096).default(100),
    })
    .superRefine((p, ctx) => {
        if (p.minNodes > p.maxNodes) {
            ctx.addIssue({
                code: "custom",
                path: ["minNodes"],
                input: p.minNodes,
                message: `must be <= maxNodes (${p.maxNodes})`,
            });
        }
        if (
            p.desiredNodes !== undefined &&
            (p.desiredNodes < p.minNodes || p.desiredNodes > p.maxNodes)
        ) {
            ctx.addIssue({
                code: "custom",
                path: ["desiredNodes"],
                input: p.desiredNodes,
                message: `must be between minNodes (${p.minNodes}) and maxNodes (${p.maxNodes})`,
            });
        }
    });

export const clusterCommon = {
    name: dnsLabel.default("iris"),
    /** Kubernetes minor, e.g. "1.35". */
    kubernetesVersion: z.enum(kubernetesMinors).default(defaultKubernetesMinor),
    nodePool: nodePool.prefault({}),
};

/** Zones must belong to the region (the only check we can do without a cloud call). */
export function zonesInRegion(
    zones: readonly string[],
    region: string,
    ctx: z.RefinementCtx,
    key: string,
): void {
    zones.forEach((zone, i) => {
        if (!zone.startsWith(region)) {
            ctx.addIssue({
                code: "custom",
                path: [key, i],
                input: zone,
                message: `is not a zone of region ${region}`,
            });
        }
    });
}

/**
 * Ranges allowed to reach the API server: never a /0 (the whole internet), on every cloud
 * alike (AWS `adminCidrs`, GKE `masterAuthorizedNetworks`, AKS `apiServerAuthorizedIpRanges`).
 */
export function noWholeInternet(
    ranges: readonly string[],
    key: string,
    ctx: z.RefinementCtx,
): void {
    ranges.forEach((c, i) => {
        if (cidrRe.test(c) && c.endsWith("/0"))
            ctx.addIssue({
                code: "custom",
                path: [key, i],
                input: c,
                message: "must not open the API server to the whole internet",
            });
    });
}

/**
 * Network ranges a cluster uses must be network addresses and must not overlap
 * each other or `fixed` ranges the cloud imposes; each issue names the key.
 */
export function disjointRanges(
    ranges: Record<string, string>,
    ctx: z.RefinementCtx,
    fixed: Record<string, string> = {},
): void {
    const issue = (path: (string | number)[], input: unknown, message: string) =>
        ctx.addIssue({ code: "custom", path, input, message });
    // Syntax errors are already reported by the `cidr` schema; only check well-formed values.
    const valid = Object.entries(ranges).filter(([, v]) => cidrRe.test(v));
    for (const [key, value] of valid) {
        if (!isNetworkAddress(value))
            issue([key], value, "has host bits set: use the network address (e.g. 10.0.0.0/16)");
    }
    for (let i = 0; i < valid.length; i++) {
        for (let j = i + 1; j < valid.length; j++) {
            if (cidrsOverlap(valid[i][1], valid[j][1]))
                issue([valid[j][0]], valid[j][1], `overlaps ${valid[i][0]} (${valid[i][1]})`);
        }
        for (const [what, range] of Object.entries(fixed)) {
            if (cidrsOverlap(valid[i][1], range))
                issue([valid[i][0]], valid[i][1], `overlaps ${what} (${range})`);
        }
    }
}
