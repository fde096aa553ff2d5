/**
 * The explicit cloud providers the stack config asks for. Stacks disable default providers,
 * so nothing below the platform can fall back to an ambient account.
 */
import type * as pulumi from "@pulumi/pulumi";
import { Provider as GcpProvider } from "@pulumi/gcp/provider";
import { Provider as AzureProvider } from "@pulumi/azure-native/provider";
import { Provider as AwsProvider } from "@pulumi/aws/provider";
import type { PlatformConfig } from "../../config";
import { gcpLabels, stackTags, type CloudProviders } from "../cloud";

/**
 * One provider per cloud the stack touches: the cluster's cloud, plus the DNS
 * cloud when it differs (e.g. an existing cluster with Route53 records).
 */
export function createCloudProviders(
    name: string,
    config: PlatformConfig,
    opts: pulumi.CustomResourceOptions,
): CloudProviders {
    const c = config.cluster;
    const d = config.dns;
    const dnsCloud = d.enabled ? d.provider : undefined;
    const tags = stackTags(c.name);
    let gcp: GcpProvider | undefined;
    let azure: AzureProvider | undefined;
    let aws: AwsProvider | undefined;

    if (c.provider === "gke") {
        gcp = new GcpProvider(
            `${name}-gcp`,
            { project: c.gke.project, region: c.gke.region, defaultLabels: gcpLabels(tags) },
            opts,
        );
    } else if (dnsCloud === "gcp") {
        gcp = new GcpProvider(`${name}-gcp`, { project: d.project }, opts);
    }
    if (c.provider === "aks") {
        azure = new AzureProvider(
            `${name}-azure`,
            { subscriptionId: c.aks.subscriptionId, location: c.aks.location },
            opts,
        );
    } else if (dnsCloud === "azure") {
        azure = new AzureProvider(`${name}-azure`, { subscriptionId: d.subscriptionId }, opts);
    }
    if (c.provider === "aws") {
        aws = new AwsProvider(`${name}-aws`, { region: c.aws.region, defaultTags: { tags } }, opts);
    } else if (dnsCloud === "aws") {
        // Route53 is global; the region only picks the API endpoint.
        aws = new AwsProvider(
            `${name}-aws`,
            { region: d.region ?? "us-east-1", defaultTags: { tags } },
            opts,
        );
    }
    return { gcp, azure, aws };
}
