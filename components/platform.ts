/**
 * Composes the layers in order — cluster → add-ons → IRIS → DNS — creating each
 * only when the stack enables it, and owns every dependency edge between them.
 */
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../config";
import { createCloudProviders, type CloudProviders } from "./cloud";
import { ExistingCluster } from "./cluster/existing";
import type { Cluster } from "./cluster/types";

export interface PlatformArgs {
    /** The validated stack config. */
    readonly config: PlatformConfig;
}

/** What the add-on layer hands to the IRIS layer. */
export interface AddonsResult {
    /** StorageClass IRIS volumes use (Longhorn's Retain class or the configured one). */
    readonly storageClassName: string;
    /** ClusterIssuer the IRIS ingresses use, when cert-manager is on. */
    readonly clusterIssuer?: string;
    /** IngressClass of the controller, when ingress is on. */
    readonly ingressClassName?: string;
    /** Resources the IRIS layer must wait for (charts, StorageClass, issuers). */
    readonly ready: pulumi.Resource[];
}

/** What the IRIS layer exposes. */
export interface IrisResult {
    /** `namespace/name` → HTTPS portal URL. */
    readonly portalUrls: pulumi.Output<Record<string, string>>;
    /** Hostnames the DNS layer should point at the ingress. */
    readonly hostnames: string[];
}

export class Platform extends pulumi.ComponentResource {
    public readonly cluster: Cluster;
    public readonly clouds: CloudProviders;
    /** Admin kubeconfig (secret). */
    public readonly kubeconfig: pulumi.Output<string>;
    /** Public address of the ingress controller, when the cluster reserved one. */
    public readonly ingressAddress: pulumi.Output<string | undefined>;
    /** HTTPS management-portal URL per IRIS instance (`namespace/name` → URL). */
    public readonly portalUrls: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iris-platform:platform:Platform", name, {}, opts);
        const config = args.config;
        const parent = { parent: this };

        // 1. Cluster (and, for kubeadm, its system add-ons).
        this.clouds = createCloudProviders(name, config, parent);
        this.cluster = createCluster(name, config, this.clouds, parent);
        const clusterReady = [...this.cluster.readiness, ...createSystemAddons(name, config, this.cluster, parent)];

        // 2. Platform add-ons, all after the cluster (and its system add-ons) is ready.
        const storage = createStorage(name, config, this.cluster, clusterReady, parent);
        const networking = createNetworking(name, config, this.cluster, clusterReady, parent);
        const addons: AddonsResult = { ...networking, storageClassName: storage.storageClassName, ready: [...storage.ready, ...networking.ready] };

        // 3. IRIS, after the storage class, ingress and issuers it uses.
        const iris = createIris(name, config, this.cluster, addons, parent);

        // 4. DNS: from the reserved address itself, never from the cluster, so
        //    records propagate while the cluster builds.
        createDns(name, config, this.cluster, this.clouds, iris.hostnames, parent);

        this.kubeconfig = pulumi.secret(this.cluster.kubeconfig);
        this.ingressAddress = this.cluster.ingress
            ? this.cluster.ingress.addresses.apply((a) => a[0])
            : pulumi.output(config.dns.address);
        this.portalUrls = iris.portalUrls;
        this.registerOutputs({ kubeconfig: this.kubeconfig, ingressAddress: this.ingressAddress, portalUrls: this.portalUrls });
    }
}

function createCluster(name: string, config: PlatformConfig, _clouds: CloudProviders, opts: pulumi.ComponentResourceOptions): Cluster {
    const c = config.cluster;
    switch (c.provider) {
        case "existing":
            return new ExistingCluster(
                `${name}-cluster`,
                {
                    clusterName: c.name,
                    kubernetesVersion: c.kubernetesVersion,
                    kubeconfig: config.secrets.kubeconfig,
                    kubeconfigPath: c.existing.kubeconfigPath,
                    context: c.existing.context,
                    ingressAddress: c.existing.ingressAddress,
                },
                opts,
            );
        default:
            throw new Error(`iris-platform:cluster.provider: ${c.provider} is not implemented yet`);
    }
}

/** kubeadm clusters only: CNI, cloud controller, autoscaler, metrics-server. */
function createSystemAddons(
    _name: string,
    _config: PlatformConfig,
    _cluster: Cluster,
    _opts: pulumi.ComponentResourceOptions,
): pulumi.Resource[] {
    return [];
}

/** Longhorn, its IRIS StorageClass and backups. */
function createStorage(
    _name: string,
    config: PlatformConfig,
    _cluster: Cluster,
    clusterReady: pulumi.Resource[],
    _opts: pulumi.ComponentResourceOptions,
): Pick<AddonsResult, "storageClassName" | "ready"> {
    return { storageClassName: config.iris.storageClassName ?? config.longhorn.storageClassName, ready: clusterReady };
}

/** Ingress controller and cert-manager with its ClusterIssuers. */
function createNetworking(
    _name: string,
    _config: PlatformConfig,
    _cluster: Cluster,
    clusterReady: pulumi.Resource[],
    _opts: pulumi.ComponentResourceOptions,
): Omit<AddonsResult, "storageClassName"> {
    return { ready: clusterReady };
}

function createIris(
    _name: string,
    _config: PlatformConfig,
    _cluster: Cluster,
    _addons: AddonsResult,
    _opts: pulumi.ComponentResourceOptions,
): IrisResult {
    return { portalUrls: pulumi.output<Record<string, string>>({}), hostnames: [] };
}

function createDns(
    _name: string,
    _config: PlatformConfig,
    _cluster: Cluster,
    _clouds: CloudProviders,
    _hostnames: string[],
    _opts: pulumi.ComponentResourceOptions,
): void {
    return;
}
