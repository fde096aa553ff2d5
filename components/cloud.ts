/**
 * The cloud providers every layer takes (`CloudProviders`), and the tags every cloud resource
 * carries. The platform builds the providers from the stack config (platform/clouds.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import type { Provider as GcpProvider } from "@pulumi/gcp/provider";
import type { Provider as AzureProvider } from "@pulumi/azure-native/provider";
import type { Provider as AwsProvider } from "@pulumi/aws/provider";

export interface CloudProviders {
    readonly gcp?: GcpProvider;
    readonly azure?: AzureProvider;
    readonly aws?: AwsProvider;
}

/** Labels/tags every cloud resource carries, so a stack's resources can be found. */
export function stackTags(clusterName: string): Record<string, string> {
    return {
        "iris-platform-cluster": clusterName,
        "iris-platform-stack": pulumi.getStack(),
        "managed-by": "pulumi",
    };
}

/**
 * GCP label values allow only lowercase letters, digits, `_` and `-` (at most 63);
 * a stack name may hold capitals and dots, which would fail every labelled resource.
 */
export function gcpLabels(tags: Record<string, string>): Record<string, string> {
    return Object.fromEntries(
        Object.entries(tags).map(([k, v]) => [
            k,
            v
                .toLowerCase()
                .replace(/[^a-z0-9_-]/g, "-")
                .slice(0, 63),
        ]),
    );
}
