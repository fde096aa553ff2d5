/**
 * Pure builders for cert-manager's Helm values and the Let's Encrypt
 * ClusterIssuers (cert-manager.io/v1). Values keys come from
 * upstream cert-manager-v1.21.1/values.yaml.
 */
import { dnsCloud, dnsDomain, type PlatformConfig } from "../../config";

export type IssuerName = "letsencrypt-staging" | "letsencrypt-prod";

/** ACME v2 directories; staging has generous rate limits but an untrusted root. */
export const acmeServers: Readonly<Record<IssuerName, string>> = {
    "letsencrypt-staging": "https://acme-staging-v02.api.letsencrypt.org/directory",
    "letsencrypt-prod": "https://acme-v02.api.letsencrypt.org/directory",
};

export const issuerNames: readonly IssuerName[] = ["letsencrypt-staging", "letsencrypt-prod"];

/** A DNS-01 solver on the stack's cloud DNS, answering only for `domain`. */
export type Dns01Solver = { readonly domain: string } & (
    | { readonly kind: "cloudDNS"; readonly project: string }
    | {
          readonly kind: "azureDNS";
          readonly subscriptionId: string;
          readonly resourceGroupName: string;
          readonly hostedZoneName: string;
          /** Client id of the managed identity (workload identity); absent: the kubelet identity. */
          readonly clientId?: string;
      }
    | { readonly kind: "route53"; readonly region: string; readonly hostedZoneId: string }
);

export interface IssuerInput {
    readonly name: IssuerName;
    /** ACME account contact; Let's Encrypt production requires it (config enforces). */
    readonly email?: string;
    /** IngressClass the HTTP-01 solver's temporary Ingress uses. */
    readonly ingressClassName: string;
    readonly dns01?: Dns01Solver;
}

/** Helm values: CRDs come with the chart (`crds.enabled` replaced `installCRDs`) and survive uninstall. */
export function certManagerValues(): Record<string, unknown> {
    return { crds: { enabled: true, keep: true } };
}

function dns01Provider(s: Dns01Solver): Record<string, unknown> {
    switch (s.kind) {
        case "cloudDNS":
            return { cloudDNS: { project: s.project } };
        case "azureDNS":
            return {
                azureDNS: {
                    subscriptionID: s.subscriptionId,
                    resourceGroupName: s.resourceGroupName,
                    hostedZoneName: s.hostedZoneName,
                    environment: "AzurePublicCloud",
                    ...(s.clientId ? { managedIdentity: { clientID: s.clientId } } : {}),
                },
            };
        case "route53":
            return { route53: { region: s.region, hostedZoneID: s.hostedZoneId } };
    }
}

/** The ClusterIssuer `spec`. */
export function clusterIssuerSpec(input: IssuerInput): Record<string, unknown> {
    // HTTP-01 (empty selector) serves every name; a DNS-01 solver with a dnsZones selector is more
    // specific, so cert-manager prefers it for names inside the zone (and wildcards need it).
    const solvers: Record<string, unknown>[] = [{ http01: { ingress: { ingressClassName: input.ingressClassName } } }];
    if (input.dns01) {
        solvers.push({ selector: { dnsZones: [input.dns01.domain] }, dns01: dns01Provider(input.dns01) });
    }
    return {
        acme: {
            server: acmeServers[input.name],
            ...(input.email ? { email: input.email } : {}),
            // cert-manager creates the ACME account key in this Secret (in its own namespace).
            privateKeySecretRef: { name: `${input.name}-account-key` },
            solvers,
        },
    };
}

/** The DNS-01 solver the stack's config asks for, from the DNS section and the cluster's cloud. */
export function dns01SolverFor(config: PlatformConfig): Dns01Solver | undefined {
    const d = config.dns;
    const c = config.cluster;
    if (!config.certManager.dns01 || !d.enabled || !d.zone) return undefined;
    const cloud = dnsCloud(d.provider, c.provider);
    const domain = dnsDomain(d.domain, d.zone, cloud);
    if (!domain) return undefined;
    switch (cloud) {
        case "gcp": {
            const project = d.project ?? (c.provider === "gke" ? c.gke.project : undefined);
            return project ? { kind: "cloudDNS", domain, project } : undefined;
        }
        case "azure": {
            const subscriptionId = d.subscriptionId ?? (c.provider === "aks" ? c.aks.subscriptionId : undefined);
            if (!subscriptionId || !d.resourceGroupName) return undefined;
            return {
                kind: "azureDNS",
                domain,
                subscriptionId,
                resourceGroupName: d.resourceGroupName,
                hostedZoneName: d.zone,
                clientId: config.certManager.azureIdentityClientId,
            };
        }
        case "aws":
            return { kind: "route53", domain, region: d.region ?? (c.provider === "aws" ? c.aws.region : "us-east-1"), hostedZoneId: d.zone };
        default:
            return undefined;
    }
}
