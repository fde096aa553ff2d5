/**
 * Composes the layers in order — cluster → add-ons → IRIS → DNS — creating each
 * only when the stack enables it, and owns every dependency edge between them.
 * Config becomes component args in `from-config/`; providers and `dependsOn`
 * reach components through resource options.
 */
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../config";
import { createCloudProviders, type CloudProviders } from "./cloud";
import { preflight } from "./preflight";
import { ExistingCluster } from "./cluster/existing";
import { GkeCluster } from "./cluster/gke";
import { AksCluster } from "./cluster/aks";
import { AwsCluster } from "./cluster/aws";
import type { Cluster } from "./cluster/types";
import { SuperserverRoute } from "./addons/ingress-tcp";
import { DnsRecords } from "./dns";
import { IrisLayer } from "./iris";
import { DestroyGuard } from "./iris/destroy-guard";
import { DynamicProvider } from "./providers";
import { chartSources } from "./chart-sources";
import {
    chartMirror,
    destroyGuardArgs,
    dnsArgs,
    existingClusterArgs,
    helmRegistryConfigPath,
    ikoChartSource,
    irisLayerArgs,
    monitoringArgs,
} from "./from-config";
import { Monitoring } from "./monitoring";
import type { ReleaseSource } from "../versions";
import {
    createNetworking,
    createStorage,
    createSystemAddons,
    type AddonsResult,
    type BackupStoreOutput,
} from "./platform-addons";

export type { AddonsResult } from "./platform-addons";

export interface PlatformArgs {
    /** The validated stack config. */
    readonly config: PlatformConfig;
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
    /** Where backups go, whether destroy keeps it, and its cloud's names; absent without backups. */
    public readonly backupStore?: pulumi.Output<BackupStoreOutput>;

    constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iris-platform:platform:Platform", name, {}, opts);
        const config = args.config;

        // 0. Preflight: the clouds' providers, then the checks every other child waits for.
        this.clouds = createCloudProviders(name, config, { parent: this });
        const checked = preflight(config, this.clouds, this);
        const parent = checked ? { parent: this, dependsOn: [checked] } : { parent: this };

        // 1. Cluster (and, for kubeadm, its system add-ons).
        this.cluster = createCluster(name, config, this.clouds, parent);
        const mirror = chartMirror(config);
        const charts = chartSources(mirror);
        const systemAddons = createSystemAddons(name, charts, this.cluster, parent);
        const clusterReady = [...this.cluster.readiness, ...(systemAddons?.ready ?? [])];

        // 2. Platform add-ons, all after the cluster (and its system add-ons) is ready.
        const context = { name, config, charts, cluster: this.cluster, clusterReady, opts: parent };
        const storage = createStorage(context);
        const networking = createNetworking(context);
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
        let route: pulumi.Resource | undefined;
        if (networking.ingress?.superserverListener && first && iris.layer) {
            route = new SuperserverRoute(
                `${name}-superserver`,
                {
                    listener: networking.ingress.superserverListener,
                    namespace: first.namespace,
                    service: first.name,
                },
                {
                    ...parent,
                    provider: this.cluster.k8sProvider,
                    dependsOn: [networking.ingress, iris.layer],
                },
            );
        }

        // Monitoring: Prometheus after the StorageClass it keeps samples on; the IRIS monitors
        // after IRIS, cert-manager's after cert-manager.
        const monitoring = monitoringArgs(
            config,
            charts,
            addons,
            iris.layer ? [iris.layer] : [],
            addons.routingReady,
        );
        const monitor = monitoring
            ? new Monitoring(`${name}-monitoring`, monitoring, {
                  ...parent,
                  provider: this.cluster.k8sProvider,
                  dependsOn: addons.storageReady,
              })
            : undefined;

        // 4. DNS: from the reserved address itself, never from the cluster, so
        //    records propagate while the cluster builds.
        const dns = createDns(name, config, this.cluster, this.clouds, iris.hostnames, parent);

        // 5. The destroy guard depends on every layer, so a destroy deletes it before anything
        //    else and stops there when it refuses (or while `iris.protect` protects it).
        const guard = destroyGuardArgs(config, this.cluster);
        if (guard && iris.layer) {
            const all = [
                this.cluster,
                ...clusterReady,
                ...addons.storageReady,
                ...addons.routingReady,
            ];
            const layers = [...storage.parts, iris.layer, systemAddons, monitor, route, dns].filter(
                (r): r is pulumi.Resource => r !== undefined,
            );
            new DestroyGuard(`${name}-destroy-guard`, guard, {
                ...parent,
                provider: new DynamicProvider(`${name}-dynamic`, parent),
                dependsOn: [...all.filter(pulumi.Resource.isInstance), ...layers],
                protect: config.iris.protect,
            });
        }

        this.kubeconfig = pulumi.secret(this.cluster.kubeconfig);
        // An existing cluster's `existing.ingressAddress` arrives as `cluster.ingress` too.
        if (this.cluster.ingress)
            this.ingressAddress = this.cluster.ingress.addresses.apply((a) => a[0]);
        else if (config.dns.address) this.ingressAddress = pulumi.output(config.dns.address);
        this.portalUrls = iris.portalUrls;
        this.backupStore = storage.backupStore;
        this.registerOutputs({
            backupStore: this.backupStore,
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
    const n = `${name}-cluster`;
    // Private OCI chart sources log in through this file (components/chart-login.ts).
    const common = { helmRegistryConfigPath: helmRegistryConfigPath(config) };
    switch (c.provider) {
        case "existing":
            return new ExistingCluster(n, { ...existingClusterArgs(config), ...common }, opts);
        case "gke":
            return new GkeCluster(
                n,
                { cluster: c, ...common },
                { ...opts, provider: required(clouds.gcp) },
            );
        case "aks":
            return new AksCluster(
                n,
                { cluster: c, ...common },
                { ...opts, provider: required(clouds.azure) },
            );
        case "aws":
            return new AwsCluster(
                n,
                { config: c, ...common },
                { ...opts, provider: required(clouds.aws) },
            );
        default:
            throw new Error(
                `iris-platform:cluster.provider: ${(c as { provider: string }).provider} is not implemented yet`,
            );
    }
}

/** The cloud provider `createCloudProviders` must have built for this cluster. */
function required<T>(provider: T | undefined): T {
    if (!provider) throw new Error("internal: no provider was created for the cluster's cloud");
    return provider;
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
    const layer = new IrisLayer(`${name}-iris`, irisLayerArgs(config, ikoChart, addons), {
        ...opts,
        provider: cluster.k8sProvider,
        dependsOn: addons.clusterReady,
    });
    return { layer, portalUrls: layer.portalUrls, hostnames: layer.hostnames };
}

/**
 * A records for every IRIS host plus `dns.hostnames`, from the reserved address itself and
 * with no dependsOn: they must not wait for the cluster.
 */
function createDns(
    name: string,
    config: PlatformConfig,
    cluster: Cluster,
    clouds: CloudProviders,
    hostnames: string[],
    opts: pulumi.ComponentResourceOptions,
): DnsRecords | undefined {
    const dns = dnsArgs(config, clouds, cluster, hostnames);
    return dns
        ? new DnsRecords(`${name}-dns`, dns.args, { ...opts, provider: dns.provider })
        : undefined;
}
