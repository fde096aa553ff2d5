/**
 * Composes the layers in order — cluster → add-ons → IRIS → DNS — creating each
 * only when the stack enables it, and owns every dependency edge between them.
 */
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../config";
import { createCloudProviders, type CloudProviders } from "./cloud";
import { ExistingCluster } from "./cluster/existing";
import { GkeCluster } from "./cluster/gke";
import { AksCluster } from "./cluster/aks";
import { AwsCluster } from "./cluster/aws";
import type { Cluster } from "./cluster/types";
import { Ingress } from "./addons/ingress";
import { SuperserverRoute } from "./addons/ingress-tcp";
import { KubeadmAddons } from "./addons/kubeadm";
import { CertManager } from "./addons/cert-manager";
import { DnsRecords, dnsZoneFor } from "./dns";
import { IrisLayer } from "./iris";
import { createLonghornLayer } from "./addons/longhorn";
import {
    chartSources,
    ikoMirrorSource,
    sourceFrom,
    type ChartMirror,
    type ChartSources,
} from "./chart-sources";
import type { ReleaseSource } from "../versions";

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
    /** The cluster (and its system add-ons) being ready. */
    readonly clusterReady: pulumi.Resource[];
    /** The StorageClass IRIS volumes use being ready (Longhorn), or the cluster when Longhorn is off. */
    readonly storageReady: pulumi.Resource[];
    /** The ingress controller and the ClusterIssuers (only portal Ingresses need them). */
    readonly routingReady: pulumi.Resource[];
}

/** What the IRIS layer exposes. */
export interface IrisResult {
    /** The layer's component, when any IRIS resource exists. */
    readonly layer?: pulumi.Resource;
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
    /** Public address of the ingress controller: reserved by the cluster or named by config; absent when neither. */
    public readonly ingressAddress?: pulumi.Output<string>;
    /** HTTPS management-portal URL per IRIS instance (`namespace/name` → URL). */
    public readonly portalUrls: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iris-platform:platform:Platform", name, {}, opts);
        const config = args.config;
        const parent = { parent: this };

        // 1. Cluster (and, for kubeadm, its system add-ons).
        this.clouds = createCloudProviders(name, config, parent);
        this.cluster = createCluster(name, config, this.clouds, parent);
        const mirror = chartMirror(config);
        const charts = chartSources(mirror);
        const clusterReady = [
            ...this.cluster.readiness,
            ...createSystemAddons(name, charts, this.cluster, parent),
        ];

        // 2. Platform add-ons, all after the cluster (and its system add-ons) is ready.
        const storage = createStorage(name, config, charts, this.cluster, clusterReady, parent);
        const networking = createNetworking(
            name,
            config,
            charts,
            this.cluster,
            clusterReady,
            parent,
        );
        const addons: AddonsResult = {
            ingressClassName: networking.ingressClassName,
            clusterIssuer: networking.clusterIssuer,
            storageClassName: storage.storageClassName,
            clusterReady,
            storageReady: storage.ready,
            routingReady: networking.ready,
        };

        // 3. IRIS: the operator and namespaces after the cluster; volumes after the StorageClass;
        //    portal Ingresses after the controller and issuers. Nothing waits for what it does not use.
        const iris = createIris(
            name,
            config,
            ikoChartSource(config, mirror),
            this.cluster,
            addons,
            parent,
        );

        // nginx-ingress forwards TCP 1972 with a TransportServer, which must live in
        // the IRIS namespace: it waits for both the controller and the IRIS layer.
        const first = config.iris.instances[0];
        if (networking.ingress?.superserverListener && first && iris.layer) {
            new SuperserverRoute(
                `${name}-superserver`,
                {
                    k8sProvider: this.cluster.k8sProvider,
                    listener: networking.ingress.superserverListener,
                    namespace: first.namespace,
                    service: first.name,
                },
                { ...parent, dependsOn: [networking.ingress, iris.layer] },
            );
        }

        // 4. DNS: from the reserved address itself, never from the cluster, so
        //    records propagate while the cluster builds.
        createDns(name, config, this.cluster, this.clouds, iris.hostnames, parent);

        this.kubeconfig = pulumi.secret(this.cluster.kubeconfig);
        // An existing cluster's `existing.ingressAddress` arrives as `cluster.ingress` too.
        if (this.cluster.ingress)
            this.ingressAddress = this.cluster.ingress.addresses.apply((a) => a[0]);
        else if (config.dns.address) this.ingressAddress = pulumi.output(config.dns.address);
        this.portalUrls = iris.portalUrls;
        this.registerOutputs({
            kubeconfig: this.kubeconfig,
            ingressAddress: this.ingressAddress,
            portalUrls: this.portalUrls,
        });
    }
}

function createCluster(
    name: string,
    config: PlatformConfig,
    clouds: CloudProviders,
    opts: pulumi.ComponentResourceOptions,
): Cluster {
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
        case "gke":
            return new GkeCluster(
                `${name}-cluster`,
                { cluster: c, provider: required(clouds.gcp, "gcp") },
                opts,
            );
        case "aks":
            return new AksCluster(
                `${name}-cluster`,
                { cluster: c, provider: required(clouds.azure, "azure-native") },
                opts,
            );
        case "aws":
            return new AwsCluster(
                `${name}-cluster`,
                { config: c, provider: required(clouds.aws, "aws") },
                opts,
            );
        default:
            throw new Error(
                `iris-platform:cluster.provider: ${(c as { provider: string }).provider} is not implemented yet`,
            );
    }
}

/** The cloud provider `createCloudProviders` must have built for this cluster. */
function required<T>(provider: T | undefined, cloud: string): T {
    if (!provider) throw new Error(`internal: no ${cloud} provider was created for this cluster`);
    return provider;
}

/** The stack's chart mirror: `charts`, with the registry password when a user is set. */
function chartMirror(config: PlatformConfig): ChartMirror {
    const c = config.charts;
    return {
        directory: c.directory,
        mirror: c.mirror,
        overrides: c.overrides,
        login: chartLogin(config, c.username),
    };
}

/** A chart registry login: `username` with the `chartRegistryPassword` secret, when both are set. */
function chartLogin(config: PlatformConfig, username: string | undefined): ChartMirror["login"] {
    const password = config.secrets.chartRegistryPassword;
    return username && password ? { username, password } : undefined;
}

/** The IKO chart: `iko.chart` (download path or repository) first, else the stack's chart mirror. */
function ikoChartSource(config: PlatformConfig, mirror: ChartMirror): ReleaseSource | undefined {
    const c = config.iko.chart;
    if (c.path || c.repo) return sourceFrom(c, c.name, c.version, chartLogin(config, c.username));
    return ikoMirrorSource(mirror);
}

/** kubeadm clusters only: CNI, cloud controller, autoscaler, metrics-server. */
function createSystemAddons(
    name: string,
    charts: ChartSources,
    cluster: Cluster,
    opts: pulumi.ComponentResourceOptions,
): pulumi.Resource[] {
    // Only kubeadm clusters expose kubeadm facts; the clouds bring their own CNI, CCM and metrics.
    if (!cluster.kubeadm) return [];
    return new KubeadmAddons(`${name}-kubeadm-addons`, { cluster, charts }, opts).ready;
}

/** Longhorn, its IRIS StorageClass and backups (store on the cluster's cloud, not waiting for the cluster). */
function createStorage(
    name: string,
    config: PlatformConfig,
    charts: ChartSources,
    cluster: Cluster,
    clusterReady: pulumi.Resource[],
    opts: pulumi.ComponentResourceOptions,
): { readonly storageClassName: string; readonly ready: pulumi.Resource[] } {
    if (!config.longhorn.enabled) {
        // Cross-checks require iris.storageClassName whenever IRIS instances exist.
        return { storageClassName: config.iris.storageClassName ?? "", ready: clusterReady };
    }
    const { longhorn } = createLonghornLayer(name, config, cluster, clusterReady, opts, charts);
    return { storageClassName: config.longhorn.storageClassName, ready: [longhorn.storageClass] };
}

/** Ingress controller and cert-manager with its ClusterIssuers. */
function createNetworking(
    name: string,
    config: PlatformConfig,
    charts: ChartSources,
    cluster: Cluster,
    clusterReady: pulumi.Resource[],
    opts: pulumi.ComponentResourceOptions,
): Pick<AddonsResult, "ingressClassName" | "clusterIssuer"> & {
    readonly ready: pulumi.Resource[];
    readonly ingress?: Ingress;
} {
    const after = { ...opts, dependsOn: clusterReady };
    const ready: pulumi.Resource[] = [...clusterReady];
    let ingressClassName: string | undefined;
    let clusterIssuer: string | undefined;
    let ingress: Ingress | undefined;
    if (config.ingress.enabled) {
        // The superserver port forwards to the first IRIS instance's Service (named after the instance).
        const first = config.iris.instances[0];
        ingress = new Ingress(
            `${name}-ingress`,
            {
                k8sProvider: cluster.k8sProvider,
                charts,
                endpoint: cluster.ingress,
                controller: config.ingress.controller,
                replicas: config.ingress.replicas,
                defaultClass: config.ingress.defaultClass,
                serviceType: config.ingress.serviceType,
                exposeSuperserver: config.ingress.exposeSuperserver,
                superserverTarget: first
                    ? { namespace: first.namespace, service: first.name }
                    : undefined,
            },
            after,
        );
        ingressClassName = ingress.ingressClassName;
        ready.push(ingress);
    }
    if (config.certManager.enabled) {
        const certManager = new CertManager(
            `${name}-cert-manager`,
            {
                k8sProvider: cluster.k8sProvider,
                charts,
                email: config.certManager.email,
                ingressClassName: ingressClassName ?? "nginx",
                issuer: config.certManager.issuer,
            },
            after,
        );
        clusterIssuer = certManager.clusterIssuer;
        ready.push(certManager);
    }
    return { ingressClassName, clusterIssuer, ready, ingress };
}

/** IKO operator and IRIS instances, after the add-ons they use. */
function createIris(
    name: string,
    config: PlatformConfig,
    ikoChart: ReleaseSource | undefined,
    cluster: Cluster,
    addons: AddonsResult,
    opts: pulumi.ComponentResourceOptions,
): IrisResult {
    if (config.iris.instances.length === 0 && !config.iko.enabled)
        return { portalUrls: pulumi.output<Record<string, string>>({}), hostnames: [] };
    const layer = new IrisLayer(
        `${name}-iris`,
        {
            iko: config.iko,
            iris: config.iris,
            secrets: config.secrets,
            provider: cluster.k8sProvider,
            storageClassName: addons.storageClassName,
            clusterIssuer: addons.clusterIssuer,
            ingressClassName: addons.ingressClassName,
            ingressReportsStatus: config.ingress.serviceType !== "NodePort",
            ikoChart,
            ready: addons.clusterReady,
            storageReady: addons.storageReady,
            routingReady: addons.routingReady,
        },
        opts,
    );
    return { layer, portalUrls: layer.portalUrls, hostnames: layer.hostnames };
}

/**
 * A records for every IRIS host plus `dns.hostnames`. The address comes from
 * `dns.address` or the cluster's reserved ingress address, and the records get
 * no dependsOn: they must not wait for the cluster.
 */
function createDns(
    name: string,
    config: PlatformConfig,
    cluster: Cluster,
    clouds: CloudProviders,
    hostnames: string[],
    opts: pulumi.ComponentResourceOptions,
): void {
    const zone = dnsZoneFor(config, clouds);
    const address = config.dns.address;
    const addresses = address ? pulumi.output([address]) : cluster.ingress?.addresses;
    if (!zone) return;
    if (!addresses)
        throw new Error(
            `iris-platform:dns.address: the ${config.cluster.provider} cluster reserved no ingress address; set dns.address`,
        );
    const hosts = [...hostnames, ...config.dns.hostnames];
    new DnsRecords(`${name}-dns`, { zone, hostnames: hosts, addresses, ttl: config.dns.ttl }, opts);
}
