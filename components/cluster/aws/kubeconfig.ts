/** Admin kubeconfig assembled in the program (pure). JSON is valid kubeconfig YAML. */

export interface KubeconfigFacts {
    /** Name of the kubeconfig's cluster and context; the user is `<name>-admin`. */
    readonly clusterName: string;
    /** API server URL the client talks to: `https://<endpoint>:6443`. */
    readonly server: string;
    /** Cluster CA certificate (PEM) the client verifies the API server with. */
    readonly caCertPem: string;
    /** Admin client certificate (PEM, group kubeadm:cluster-admins). */
    readonly clientCertPem: string;
    /** Admin client private key (PEM); the kubeconfig is a secret because of it. */
    readonly clientKeyPem: string;
}

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

export function renderKubeconfig(k: KubeconfigFacts): string {
    const user = `${k.clusterName}-admin`;
    return JSON.stringify(
        {
            apiVersion: "v1",
            kind: "Config",
            clusters: [
                {
                    name: k.clusterName,
                    cluster: { server: k.server, "certificate-authority-data": b64(k.caCertPem) },
                },
            ],
            users: [
                {
                    name: user,
                    user: {
                        "client-certificate-data": b64(k.clientCertPem),
                        "client-key-data": b64(k.clientKeyPem),
                    },
                },
            ],
            contexts: [{ name: k.clusterName, context: { cluster: k.clusterName, user } }],
            "current-context": k.clusterName,
        },
        null,
        2,
    );
}
