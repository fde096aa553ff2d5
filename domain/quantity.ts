/** Kubernetes resource quantities (pure). */

/** A memory quantity in MiB (undefined for CPU-style units). */
export function quantityMiB(q: string): number | undefined {
    const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G)?$/.exec(q);
    if (!m) return undefined;
    const factor: Record<string, number> = {
        "": 1 / 1048576,
        Ki: 1 / 1024,
        Mi: 1,
        Gi: 1024,
        Ti: 1048576,
        k: 1000 / 1048576,
        M: 1e6 / 1048576,
        G: 1e9 / 1048576,
    };
    return Number(m[1]) * factor[m[2] ?? ""];
}
