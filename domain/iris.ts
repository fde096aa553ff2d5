/** Facts about IRIS images (pure; config and components share them). */

/** Whether an image is a Community Edition (no licence, cannot mirror or shard). */
export function isCommunityImage(image: string): boolean {
    return /\/iris(health)?-community(-arm64)?:/.test(image) || image.includes("-community:");
}

/** An IRIS release as numbers: 2025.1.0 → [2025, 1, 0]. */
export type IrisRelease = readonly [number, number, number];

/**
 * The IRIS release an instance runs: `compatibilityVersion` when given, else the image tag's
 * YYYY.N[.P] (`iris:2025.1` → 2025.1.0). Undefined when neither says.
 */
export function irisRelease(image: string, given?: string): IrisRelease | undefined {
    const tag = /:(\d{4}\.\d+(?:\.\d+)?)/.exec(image.split("@")[0].replace(/^.*\//, ""))?.[1];
    const text = given ?? tag;
    if (!text) return undefined;
    const [y, m, p] = text.split(".").map(Number);
    return [y, m, p ?? 0];
}

/** The release of an image's tag alone (YYYY.N[.P]), if it has one. */
export function tagRelease(image: string): IrisRelease | undefined {
    return irisRelease(image);
}

/** Negative, zero or positive as `a` is older than, equal to or newer than `b`. */
export function compareReleases(a: IrisRelease, b: IrisRelease): number {
    return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** `2025.1.0` (the form IKO's compatibilityVersion and the downgrade guard use). */
export function releaseText(r: IrisRelease): string {
    return r.join(".");
}
