/**
 * Pure builders for cert-manager's Helm values and the Let's Encrypt
 * ClusterIssuers (cert-manager.io/v1). Values keys come from
 * upstream cert-manager-v1.21.1/values.yaml.
 */

export type IssuerName = "letsencrypt-staging" | "letsencrypt-prod";

/** ACME v2 directories; staging has generous rate limits but an untrusted root. */
export const acmeServers: Readonly<Record<IssuerName, string>> = {
    "letsencrypt-staging": "https://acme-staging-v02.api.letsencrypt.org/directory",
    "letsencrypt-prod": "https://acme-v02.api.letsencrypt.org/directory",
};

export const issuerNames: readonly IssuerName[] = ["letsencrypt-staging", "letsencrypt-prod"];

export interface IssuerInput {
    readonly name: IssuerName;
    /** ACME account contact; Let's Encrypt production requires it (config enforces). */
    readonly email?: string;
    /** IngressClass the HTTP-01 solver's temporary Ingress uses. */
    readonly ingressClassName: string;
}

/** Helm values: CRDs come with the chart (`crds.enabled` replaced `installCRDs`) and survive uninstall. */
export function certManagerValues(): Record<string, unknown> {
    return { crds: { enabled: true, keep: true } };
}

/** The ClusterIssuer `spec`. */
export function clusterIssuerSpec(input: IssuerInput): Record<string, unknown> {
    // HTTP-01 through the platform's ingress controller serves every name.
    const solvers: Record<string, unknown>[] = [
        { http01: { ingress: { ingressClassName: input.ingressClassName } } },
    ];
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

/**
 * Annotations for an Ingress whose certificate one of these ClusterIssuers issues over HTTP-01
 * (read by cert-manager's ingress-shim: pkg/controller/certificate-shim/helper.go, keys in
 * pkg/apis/certmanager/v1/types.go and pkg/apis/acme/v1/types.go, cert-manager v1.21.1).
 * F5's nginx-ingress (the default controller) lets only the oldest Ingress own a host and rejects
 * cert-manager's separate HTTP-01 solver Ingress for the same host, so the challenge would 404:
 * edit-in-place has cert-manager add the solver path to this Ingress instead (ingress-nginx works
 * either way). The temporary certificate lets the controller serve HTTPS for the host before
 * issuance (ingress-shim sets it for edit-in-place too; stated here so it does not depend on that).
 */
export function acmeIngressAnnotations(clusterIssuer: string): Record<string, string> {
    return {
        "cert-manager.io/cluster-issuer": clusterIssuer,
        "acme.cert-manager.io/http01-edit-in-place": "true",
        "cert-manager.io/issue-temporary-certificate": "true",
    };
}
