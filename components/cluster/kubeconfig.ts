/**
 * Pure kubeconfig builders for the managed clusters. No Pulumi here: the
 * components feed these with resolved outputs and wrap the result in a secret.
 */

/** What a GKE kubeconfig needs. */
export interface GkeKubeconfigInput {
    /** Context/cluster/user name (gcloud's `gke_<project>_<location>_<name>` style). */
    readonly contextName: string;
    /** API server address as GKE reports it (an IP or host name, without scheme). */
    readonly endpoint: string;
    /** Cluster CA as GKE reports it: base64-encoded PEM. */
    readonly caCertificateBase64: string;
}

/**
 * A kubeconfig that authenticates through `gke-gcloud-auth-plugin`, so it holds
 * no token: whoever uses it needs gcloud credentials with access to the cluster.
 * GKE removed the built-in gcp auth provider; the exec plugin is the supported way.
 */
export function gkeKubeconfig(input: GkeKubeconfigInput): string {
    if (!input.endpoint) throw new Error("gkeKubeconfig: the cluster endpoint is empty");
    if (!input.caCertificateBase64)
        throw new Error("gkeKubeconfig: the cluster CA certificate is empty");
    const server = input.endpoint.startsWith("https://")
        ? input.endpoint
        : `https://${input.endpoint}`;
    const name = input.contextName;
    return [
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        `  - name: ${name}`,
        "    cluster:",
        `      server: ${server}`,
        `      certificate-authority-data: ${input.caCertificateBase64}`,
        "contexts:",
        `  - name: ${name}`,
        "    context:",
        `      cluster: ${name}`,
        `      user: ${name}`,
        `current-context: ${name}`,
        "users:",
        `  - name: ${name}`,
        "    user:",
        "      exec:",
        "        apiVersion: client.authentication.k8s.io/v1beta1",
        "        command: gke-gcloud-auth-plugin",
        "        provideClusterInfo: true",
        "        interactiveMode: Never",
        "        installHint: Install gke-gcloud-auth-plugin (gcloud components install gke-gcloud-auth-plugin) and run gcloud auth login.",
        "",
    ].join("\n");
}

/** One entry of `listManagedClusterUserCredentials`' `kubeconfigs`. */
export interface AksCredential {
    readonly name?: string;
    /** Base64-encoded kubeconfig file. */
    readonly value?: string;
}

/** Picks the first credential AKS returned and decodes it from base64. */
export function decodeAksKubeconfig(credentials: readonly AksCredential[] | undefined): string {
    const value = credentials?.find((c) => c.value)?.value;
    if (!value) throw new Error("listManagedClusterUserCredentials returned no kubeconfig");
    const text = Buffer.from(value, "base64").toString("utf8");
    if (!/^\s*(apiVersion|kind|clusters)\s*:/m.test(text)) {
        throw new Error(
            "listManagedClusterUserCredentials returned something that is not a kubeconfig after base64 decoding",
        );
    }
    return text;
}
