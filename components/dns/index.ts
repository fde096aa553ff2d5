/**
 * A records for the platform's hostnames on Cloud DNS, Azure DNS or Route53.
 * They are built from the reserved ingress address itself (never from the
 * controller's Service), so they are created and propagate while the cluster
 * is still being built.
 */
import * as pulumi from "@pulumi/pulumi";
import { renamedComponent } from "../aliases";
import { RecordSet as GcpRecordSet } from "@pulumi/gcp/dns";
import { RecordSet as AzureRecordSet } from "@pulumi/azure-native/dns";
import { Record as Route53Record } from "@pulumi/aws/route53";
import { childOptions, type ProviderPackage } from "../providers";

/** The zone records go into (the provider of its cloud arrives in `opts.provider`). */
export type DnsZone =
    | {
          readonly cloud: "gcp";
          /** Cloud DNS managed-zone name. */
          readonly managedZone: string;
          /** Project of the zone when it differs from the provider's. */
          readonly project?: string;
      }
    | {
          readonly cloud: "azure";
          /** Azure DNS zone name (= its domain). */
          readonly zoneName: string;
          readonly resourceGroupName: string;
      }
    | {
          readonly cloud: "aws";
          /** Route53 hosted-zone id. */
          readonly hostedZoneId: string;
      };

export interface DnsRecordsArgs {
    /** Cloud and zone the records go into; its cloud picks the provider from `opts`. */
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

/** The provider package of each zone's cloud. */
const zonePackages: Readonly<Record<DnsZone["cloud"], ProviderPackage>> = {
    gcp: "gcp",
    azure: "azure-native",
    aws: "aws",
};

/** Resource-name-safe form of a hostname. */
function slug(hostname: string): string {
    return hostname.replace(/\.$/, "").replace(/\./g, "-");
}

export class DnsRecords extends pulumi.ComponentResource {
    /** The hostnames that got a record. */
    public readonly hostnames: readonly string[];

    constructor(name: string, args: DnsRecordsArgs, opts?: pulumi.ComponentResourceOptions) {
        super(...renamedComponent("iris-platform:dns:DnsRecords", name, opts));
        const zone = args.zone;
        const resOpts = childOptions(this, opts, { provider: zonePackages[zone.cloud] });
        const hostnames = [...new Set(args.hostnames)];
        const addresses = pulumi.output(args.addresses);
        for (const host of hostnames) {
            const child = `${name}-${slug(host)}`;
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
