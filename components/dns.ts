/**
 * A records for the platform's hostnames on Cloud DNS, Azure DNS or Route53.
 * They are built from the reserved ingress address itself (never from the
 * controller's Service), so they are created and propagate while the cluster
 * is still being built.
 */
import * as pulumi from "@pulumi/pulumi";
import { withFormerTypes } from "./aliases";
import { RecordSet as GcpRecordSet } from "@pulumi/gcp/dns";
import { RecordSet as AzureRecordSet } from "@pulumi/azure-native/dns";
import { Record as Route53Record } from "@pulumi/aws/route53";
import type { Provider as GcpProvider } from "@pulumi/gcp/provider";
import type { Provider as AzureProvider } from "@pulumi/azure-native/provider";
import type { Provider as AwsProvider } from "@pulumi/aws/provider";
import type { PlatformConfig } from "../config";
import { dnsCloud } from "../domain/dns";
import type { CloudProviders } from "./cloud";

/** The zone records go into, with the explicit provider of its cloud. */
export type DnsZone =
    | {
          readonly cloud: "gcp";
          readonly provider: GcpProvider;
          /** Cloud DNS managed-zone name. */
          readonly managedZone: string;
          /** Project of the zone when it differs from the provider's. */
          readonly project?: string;
      }
    | {
          readonly cloud: "azure";
          readonly provider: AzureProvider;
          /** Azure DNS zone name (= its domain). */
          readonly zoneName: string;
          readonly resourceGroupName: string;
      }
    | {
          readonly cloud: "aws";
          readonly provider: AwsProvider;
          /** Route53 hosted-zone id. */
          readonly hostedZoneId: string;
      };

export interface DnsRecordsArgs {
    readonly zone: DnsZone;
    /** Fully qualified hostnames; each gets one A record. */
    readonly hostnames: readonly string[];
    /** The reserved ingress address(es) the records point at. */
    readonly addresses: pulumi.Input<string[]>;
    /** Record TTL in seconds. */
    readonly ttl: number;
}

/**
 * The record name each backend expects: Cloud DNS wants the absolute name with
 * a trailing dot, Azure the name relative to the zone (`@` for the apex),
 * Route53 the plain FQDN.
 */
export function recordName(
    zone: Pick<DnsZone, "cloud"> & { zoneName?: string },
    hostname: string,
): string {
    switch (zone.cloud) {
        case "gcp":
            return hostname.endsWith(".") ? hostname : `${hostname}.`;
        case "azure": {
            const domain = zone.zoneName ?? "";
            if (hostname === domain) return "@";
            if (!hostname.endsWith(`.${domain}`))
                throw new Error(
                    `iris-platform:dns: ${hostname} is not inside Azure DNS zone ${domain}`,
                );
            return hostname.slice(0, -(domain.length + 1));
        }
        case "aws":
            return hostname;
    }
}

/** Resource-name-safe form of a hostname. */
function slug(hostname: string): string {
    return hostname.replace(/\.$/, "").replace(/\./g, "-");
}

export class DnsRecords extends pulumi.ComponentResource {
    /** The hostnames that got a record. */
    public readonly hostnames: readonly string[];

    constructor(name: string, args: DnsRecordsArgs, opts?: pulumi.ComponentResourceOptions) {
        super(
            "iris-platform:dns:DnsRecords",
            name,
            {},
            withFormerTypes("iris-platform:dns:DnsRecords", opts),
        );
        const zone = args.zone;
        const hostnames = [...new Set(args.hostnames)];
        const addresses = pulumi.output(args.addresses);
        for (const host of hostnames) {
            const child = `${name}-${slug(host)}`;
            const resOpts = { parent: this, provider: zone.provider };
            switch (zone.cloud) {
                case "gcp":
                    new GcpRecordSet(
                        child,
                        {
                            managedZone: zone.managedZone,
                            project: zone.project,
                            name: recordName(zone, host),
                            type: "A",
                            ttl: args.ttl,
                            rrdatas: addresses,
                        },
                        resOpts,
                    );
                    break;
                case "azure":
                    new AzureRecordSet(
                        child,
                        {
                            resourceGroupName: zone.resourceGroupName,
                            zoneName: zone.zoneName,
                            relativeRecordSetName: recordName(zone, host),
                            recordType: "A",
                            ttl: args.ttl,
                            aRecords: addresses.apply((ips) =>
                                ips.map((ipv4Address) => ({ ipv4Address })),
                            ),
                        },
                        resOpts,
                    );
                    break;
                case "aws":
                    new Route53Record(
                        child,
                        {
                            zoneId: zone.hostedZoneId,
                            name: recordName(zone, host),
                            type: "A",
                            ttl: args.ttl,
                            records: addresses,
                        },
                        resOpts,
                    );
                    break;
            }
        }
        this.hostnames = hostnames;
        this.registerOutputs({ hostnames });
    }
}

/**
 * The zone from stack config, with the explicit provider `createCloudProviders`
 * built for the DNS cloud. Throws when that provider is missing (a bug, since
 * config validation requires everything else).
 */
export function dnsZoneFor(config: PlatformConfig, clouds: CloudProviders): DnsZone | undefined {
    const d = config.dns;
    if (!d.enabled || !d.zone) return undefined;
    const cloud = dnsCloud(d.provider, config.cluster.provider);
    const missing = (what: string) =>
        new Error(
            `iris-platform:dns.provider: no ${what} provider was built for the DNS zone ${d.zone}`,
        );
    switch (cloud) {
        case "gcp":
            if (!clouds.gcp) throw missing("gcp");
            return { cloud, provider: clouds.gcp, managedZone: d.zone, project: d.project };
        case "azure":
            if (!clouds.azure) throw missing("azure");
            if (!d.resourceGroupName)
                throw new Error("iris-platform:dns.resourceGroupName: is required for Azure DNS");
            return {
                cloud,
                provider: clouds.azure,
                zoneName: d.zone,
                resourceGroupName: d.resourceGroupName,
            };
        case "aws":
            if (!clouds.aws) throw missing("aws");
            return { cloud, provider: clouds.aws, hostedZoneId: d.zone };
        default:
            return undefined;
    }
}
