/** Facts about IRIS images (pure; config and components share them). */

/** Whether an image is a Community Edition (no licence, cannot mirror or shard). */
export function isCommunityImage(image: string): boolean {
    return /\/iris(health)?-community(-arm64)?:/.test(image) || image.includes("-community:");
}
