/**
 * The upgrade checks at config time: IRIS × IKO × Kubernetes against versions.ts `ikoSupport`,
 * and a `compatibilityVersion` that still matches the image after an image change. A downgrade
 * needs what is deployed, so the cluster refuses it (components/iris/downgrade-guard.ts).
 */
import { compareReleases, irisRelease, releaseText, tagRelease } from "../domain/iris";
import type { IkoSupport } from "../versions";

export interface UpgradeCheckInput {
    readonly ikoEnabled: boolean;
    /** `iko.chart.version`. */
    readonly ikoChartVersion: string;
    /** `cluster.kubernetesVersion`. */
    readonly kubernetes: string;
    readonly instances: readonly {
        readonly mode: "iko" | "standalone";
        readonly image: string;
        readonly compatibilityVersion?: string;
    }[];
}

export interface UpgradeProblem {
    readonly path: (string | number)[];
    readonly input: unknown;
    readonly message: string;
}

/** Every combination `table` does not vouch for, each naming the key to change (pure). */
export function upgradeProblems(
    table: Readonly<Record<string, IkoSupport>>,
    c: UpgradeCheckInput,
): UpgradeProblem[] {
    const problems: UpgradeProblem[] = [];
    const rows = Object.keys(table).join(", ");
    c.instances.forEach((inst, i) => {
        const at = (key: string) => ["iris", "instances", i, key];
        // IKO writes the CPF for compatibilityVersion (community.intersystems.com
        // /post/iko-compatibility-version-gotcha): one left behind by an image change would
        // start the new IRIS with the old release's CPF.
        const tag = tagRelease(inst.image);
        const given = inst.compatibilityVersion
            ? irisRelease(inst.image, inst.compatibilityVersion)
            : undefined;
        if (tag && given && (tag[0] !== given[0] || tag[1] !== given[1]))
            problems.push({
                path: at("compatibilityVersion"),
                input: inst.compatibilityVersion,
                message: `does not match image ${inst.image} (IRIS ${tag[0]}.${tag[1]}): set it to that release or remove it (it is derived from the tag)`,
            });
    });
    if (!c.ikoEnabled) return problems;
    const minor = /^(\d+)\.(\d+)/.exec(c.ikoChartVersion)?.slice(1, 3).join(".");
    const row = minor ? table[minor] : undefined;
    if (!row) {
        problems.push({
            path: ["iko", "chart", "version"],
            input: c.ikoChartVersion,
            message: `is IKO ${minor ?? "?"}, which has no row in versions.ts ikoSupport (rows: ${rows}): add one from InterSystems' IKO documentation before deploying it`,
        });
        return problems;
    }
    if (!row.kubernetes.some((k) => k === c.kubernetes))
        problems.push({
            path: ["cluster", "kubernetesVersion"],
            input: c.kubernetes,
            message: `is not vouched for with IKO ${minor} (iko.chart.version ${c.ikoChartVersion}; versions.ts ikoSupport lists ${row.kubernetes.join(", ")})`,
        });
    const from = irisRelease(`:${row.irisFrom}`);
    c.instances.forEach((inst, i) => {
        if (inst.mode !== "iko" || !from) return;
        const r = irisRelease(inst.image, inst.compatibilityVersion);
        if (r && compareReleases(r, from) < 0)
            problems.push({
                path: [
                    "iris",
                    "instances",
                    i,
                    inst.compatibilityVersion ? "compatibilityVersion" : "image",
                ],
                input: inst.compatibilityVersion ?? inst.image,
                message: `is IRIS ${releaseText(r)}, older than IKO ${minor} is vouched for (from ${row.irisFrom}, versions.ts ikoSupport; iko.chart.version ${c.ikoChartVersion})`,
            });
    });
    return problems;
}
