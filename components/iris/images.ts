/** Pure helpers about IRIS image references. */

/**
 * `compatibilityVersion` for an IrisCluster: the given value, else the IRIS
 * version in the image tag (`iris:2025.1` → `2025.1.0`,
 * `iris:2024.1.0.263.0` → `2024.1.0`). Throws when the tag has no version.
 */
export function compatibilityVersion(image: string, given?: string): string {
    if (given) return given;
    const tag = imageTag(image);
    const m = tag === undefined ? null : /^(\d{4})\.(\d+)(?:\.(\d+))?/.exec(tag);
    if (!m) {
        throw new Error(
            `iris-platform:iris.instances[].compatibilityVersion: is required: image ${image} has no YYYY.N tag to derive it from`,
        );
    }
    return `${m[1]}.${m[2]}.${m[3] ?? "0"}`;
}

/** The tag of an image reference (after the last ':' that follows the last '/'), if any. */
export function imageTag(image: string): string | undefined {
    const withoutDigest = image.split("@")[0];
    const lastSlash = withoutDigest.lastIndexOf("/");
    const colon = withoutDigest.indexOf(":", lastSlash + 1);
    return colon === -1 ? undefined : withoutDigest.slice(colon + 1);
}

/**
 * The arbiter image matching an IRIS image: same registry path and tag,
 * repository `arbiter` (`…/intersystems/iris:2025.1` → `…/intersystems/arbiter:2025.1`).
 */
export function arbiterImageFor(image: string): string {
    const tag = imageTag(image) ?? "latest";
    const ref = image.split("@")[0];
    return `${ref.slice(0, ref.lastIndexOf("/") + 1)}arbiter:${tag}`;
}
