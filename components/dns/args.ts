/** Stack config → the DNS layer's args (the layer's one reader of the config). */
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../../config";
import { dnsCloud } from "../../domain/dns";
import type { CloudProviders } from "../cloud";
import type { IngressEndpoint } from "../cluster/types";
import type { DnsRecordsArgs, DnsZone } from "./index";

/** An internal error: config validation guarantees what is missing. */
function internal(what: string): Error {
    return new Error(`internal: ${what} (config validation should have refused this stack)`);
}

/**
 * A records for every IRIS host plus `dns.hostnames`, with the provider of the zone's cloud;
 * absent without a zone. The address comes from `dns.address` or the cluster's reserved
 * ingress address, never from the cluster itself.
 */
export function dnsArgs(
    config: PlatformConfig,
    clouds: CloudProviders,
    /** The address the cluster reserved for the ingress controller, if any. */
    ingress: IngressEndpoint | undefined,
    hostnames: readonly string[],
): { readonly args: DnsRecordsArgs; readonly provider: pulumi.ProviderResource } | undefined {
    const d = config.dns;
    if (!d.enabled || !d.zone) return undefined;
    const cloud = dnsCloud(d.provider, config.cluster.provider);
    let zone: DnsZone;
    let provider: pulumi.ProviderResource | undefined;
    switch (cloud) {
        case "gcp":
            zone = { cloud, managedZone: d.zone, project: d.project };
            provider = clouds.gcp;
            break;
        case "azure":
            if (!d.resourceGroupName) throw internal("Azure DNS without dns.resourceGroupName");
            zone = { cloud, zoneName: d.zone, resourceGroupName: d.resourceGroupName };
            provider = clouds.azure;
            break;
        case "aws":
            zone = { cloud, hostedZoneId: d.zone };
            provider = clouds.aws;
            break;
        default:
            return undefined;
    }
    if (!provider) throw internal(`no ${cloud} provider was built for the DNS zone ${d.zone}`);
    const addresses = d.address ? pulumi.output([d.address]) : ingress?.addresses;
    if (!addresses)
        throw internal(`${config.cluster.provider} cluster reserved no ingress address`);
    const all = [...hostnames, ...d.hostnames];
    return { args: { zone, hostnames: all, addresses, ttl: d.ttl }, provider };
}
