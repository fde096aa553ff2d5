/**
 * kubeadm v1beta4 configuration files (pure renderers). Secrets and per-node
 * facts are placeholders that the node's bootstrap script fills in at boot from
 * SSM and the instance metadata, so the rendered text (which ends up in EC2
 * user data) never holds a token or key.
 *
 * Output is a multi-document stream of JSON documents: valid YAML for kubeadm,
 * and impossible to mis-indent or mis-quote.
 */

/** Filled in on the node by the bootstrap script (see cloudinit.ts). */
export const placeholders = {
    token: "@@BOOTSTRAP_TOKEN@@",
    certificateKey: "@@CERTIFICATE_KEY@@",
    /** Private DNS name from the instance metadata (`local-hostname`). */
    nodeName: "@@NODE_NAME@@",
    nodeIp: "@@NODE_IP@@",
    /** `kubeadm version -o short`: the patch the node actually installed. */
    kubernetesVersion: "@@KUBERNETES_VERSION@@",
} as const;

export interface ClusterFacts {
    /** kubeadm's `clusterName` (ClusterConfiguration). */
    readonly clusterName: string;
    /** The API load balancer's DNS name (controlPlaneEndpoint, without port). */
    readonly endpoint: string;
    /** Pod CIDR (`networking.podSubnet`); the CNI's IP pool must match it. */
    readonly podCidr: string;
    /** Service CIDR (`networking.serviceSubnet`). */
    readonly serviceCidr: string;
    /** Extra API server certificate SANs besides the endpoint. */
    readonly extraSans?: readonly string[];
}

const apiVersion = "kubeadm.k8s.io/v1beta4";
const criSocket = "unix:///run/containerd/containerd.sock";
const apiPort = 6443;
/** The in-tree AWS provider is gone: the kubelet waits for aws-cloud-controller-manager to initialise the node. */
const externalCloud = [{ name: "cloud-provider", value: "external" }];

type Doc = Record<string, unknown>;
const render = (docs: Doc[]) => docs.map((d) => JSON.stringify(d, null, 2)).join("\n---\n") + "\n";

const nodeRegistration = () => ({
    name: placeholders.nodeName,
    criSocket,
    kubeletExtraArgs: externalCloud,
});

export function clusterConfiguration(f: ClusterFacts): Doc {
    return {
        apiVersion,
        kind: "ClusterConfiguration",
        clusterName: f.clusterName,
        kubernetesVersion: placeholders.kubernetesVersion,
        controlPlaneEndpoint: `${f.endpoint}:${apiPort}`,
        networking: {
            podSubnet: f.podCidr,
            serviceSubnet: f.serviceCidr,
            dnsDomain: "cluster.local",
        },
        apiServer: { certSANs: [f.endpoint, ...(f.extraSans ?? [])] },
        // Cloud loops (node lifecycle, services, routes) belong to the external cloud controller.
        controllerManager: { extraArgs: externalCloud },
    };
}

/**
 * Cluster-wide kubelet settings (kubeadm stores them in the kubelet-config
 * ConfigMap, so joining nodes get them too). `serverTLSBootstrap` makes kubelets
 * request serving certificates from the cluster CA, which kubelet-csr-approver
 * signs off, so metrics-server verifies kubelets instead of `--kubelet-insecure-tls`.
 */
export function kubeletConfiguration(): Doc {
    return {
        apiVersion: "kubelet.config.k8s.io/v1beta1",
        kind: "KubeletConfiguration",
        cgroupDriver: "systemd",
        serverTLSBootstrap: true,
        rotateCertificates: true,
    };
}

/** First control-plane node: `kubeadm init --config <this> --upload-certs`. */
export function renderInitConfig(f: ClusterFacts): string {
    const init: Doc = {
        apiVersion,
        kind: "InitConfiguration",
        bootstrapTokens: [
            {
                token: placeholders.token,
                description: `iris-platform ${f.clusterName}: joins autoscaled nodes (see docs/aws.md)`,
                // Non-expiring: the ASG adds nodes months after init. Rotation is documented in docs/aws.md.
                ttl: "0s",
                usages: ["signing", "authentication"],
                groups: ["system:bootstrappers:kubeadm:default-node-token"],
            },
        ],
        certificateKey: placeholders.certificateKey,
        localAPIEndpoint: { advertiseAddress: placeholders.nodeIp, bindPort: apiPort },
        nodeRegistration: nodeRegistration(),
    };
    return render([init, clusterConfiguration(f), kubeletConfiguration()]);
}

export interface JoinFacts {
    /** API load balancer DNS name. */
    readonly endpoint: string;
    /** `sha256:<hex>` of the cluster CA's public key. */
    readonly caCertHash: string;
}

/**
 * `kubeadm join --config <this>`. Discovery is pinned to the CA hash (never
 * `unsafeSkipCAVerification`). Control-plane joins find the shared CA and SA
 * keys already on disk (fetched from SSM), kubeadm's "manual certificate
 * distribution", so they keep working after the 2-hour kubeadm-certs Secret expires.
 */
export function renderJoinConfig(j: JoinFacts, role: "worker" | "control-plane"): string {
    if (!/^sha256:[0-9a-f]{64}$/.test(j.caCertHash))
        throw new Error(`caCertHash must be sha256:<64 hex>, got ${j.caCertHash}`);
    const join: Doc = {
        apiVersion,
        kind: "JoinConfiguration",
        discovery: {
            bootstrapToken: {
                apiServerEndpoint: `${j.endpoint}:${apiPort}`,
                token: placeholders.token,
                caCertHashes: [j.caCertHash],
            },
        },
        nodeRegistration: nodeRegistration(),
        ...(role === "control-plane"
            ? {
                  controlPlane: {
                      localAPIEndpoint: {
                          advertiseAddress: placeholders.nodeIp,
                          bindPort: apiPort,
                      },
                  },
              }
            : {}),
    };
    return render([join]);
}
