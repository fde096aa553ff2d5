/** Admin kubeconfig assembled in the program (pure). JSON is valid kubeconfig YAML. */

export interface KubeconfigFacts {
    readonly clusterName: string;
    /** `https://<endpoint>:6443`. */
    readonly server: string;
    readonly caCertPem: string;
    readonly clientCertPem: string;
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
