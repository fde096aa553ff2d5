/**
 * Composes the layers — cluster → add-ons → IRIS → monitoring, DNS — creating each only when
 * the stack enables it. The one module that reads the whole config and crosses layers: each
 * layer's `args.ts` turns config into that layer's args, and every edge between layers is
 * drawn here, from a real dependency only. Providers and `dependsOn` reach components through
 * resource options.
 */
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../../config";
import type { CloudProviders } from "../cloud";
import { chartSources } from "../chart-sources";
import { childOptions, DynamicProvider } from "../providers";
import { createCluster, type Cluster } from "../cluster";
import { clusterLayerArgs } from "../cluster/args";
import { createAddons, type AddonsResult, type BackupStoreOutput } from "../addons";
import { addonsLayerArgs } from "../addons/args";
import { SuperserverRoute } from "../addons/ingress-tcp";
import { IrisLayer, irisPublished, superserverService } from "../iris";
import { destroyGuardArgs, ikoChartSource, irisLayerArgs } from "../iris/args";
import { DestroyGuard } from "../iris/destroy-guard";
import { Monitoring } from "../monitoring";
import { irisMetricsLogin, monitoringArgs, type MonitoredIris } from "../monitoring/args";
import { DnsRecords } from "../dns";
import { dnsArgs } from "../dns/args";
import { chartMirror, helmRegistryConfigPath } from "./charts";
import { createCloudProviders } from "./clouds";
import { preflight } from "./preflight";

export type { AddonsResult } from "../addons";

export interface PlatformArgs {
    /** The validated stack config. */
    readonly config: PlatformConfig;
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
        this.clouds = createCloudProviders(name, config, childOptions(this, opts));
        const checked = preflight(config, this.clouds, this);
        const parent = childOptions(this, opts, { after: checked ? [checked] : [] });

        // 1. Cluster (on AWS with its kubeadm system add-ons).
        const mirror = chartMirror(config);
        const charts = chartSources(mirror);
        const clusterLayer = createCluster(
            name,
            clusterLayerArgs(config, charts, helmRegistryConfigPath(config)),
            this.clouds,
            parent,
        );
        const cluster = clusterLayer.cluster;
        this.cluster = cluster;
        const k8s = { ...parent, provider: cluster.k8sProvider };

        // 2. Add-ons, all after the cluster is ready. The controller's TCP 1972 forwards to the
        //    Service the IRIS layer names for the superserver.
        const addons: AddonsResult = createAddons(
            { name, cluster, clusterReady: clusterLayer.ready, opts: parent },
            addonsLayerArgs(config, charts),
            superserverService(config.iris.instances),
        );

        // 3. IRIS: the operator and namespaces after the cluster; volumes after the StorageClass;
        //    portal Ingresses after the controller and issuers. Nothing waits for what it does not use.
        //    Its volumes go on Longhorn's class, else the cluster's own class the stack names.
        const volumeClass = addons.storageClassName ?? config.iris.storageClassName ?? "";
        const metricsLogin = irisMetricsLogin(config);
        const irisArgs = irisLayerArgs(config, ikoChartSource(config, mirror), {
            ...addons,
            storageClassName: volumeClass,
            metricsLogin,
        });
        const iris =
            config.iris.instances.length > 0 || config.iko.enabled
                ? new IrisLayer(`${name}-iris`, irisArgs, {
                      ...k8s,
                      dependsOn: [...parent.dependsOn, ...clusterLayer.ready],
                  })
                : undefined;

        // nginx-ingress forwards TCP 1972 with a TransportServer, which must live in the IRIS
        // namespace: it waits for the controller (its CRD) and that namespace, not the workload.
        const superserver = iris?.published.superserver;
        const route =
            addons.ingress?.superserverListener && iris && superserver
                ? new SuperserverRoute(
                      `${name}-superserver`,
                      { listener: addons.ingress.superserverListener, ...superserver },
                      {
                          ...k8s,
                          dependsOn: [
                              ...parent.dependsOn,
                              addons.ingress,
                              ...(iris.namespaceReady[superserver.namespace] ?? []),
                          ],
                      },
                  )
                : undefined;

        // 4. Monitoring: Prometheus after the StorageClass it keeps samples on; each IRIS
        //    instance's Service after its namespace only, its monitor after its workload too;
        //    cert-manager's after cert-manager.
        const monitored: MonitoredIris = iris
            ? {
                  ...iris.published,
                  namespaceReady: iris.namespaceReady,
                  workloadReady: iris.workloadReady,
              }
            : irisPublished([], undefined);
        const monitoring = monitoringArgs(
            config,
            charts,
            {
                ...addons,
                storageClassName: volumeClass,
                longhorn: addons.longhornNamespace !== undefined,
                certManagerReady: addons.certManager ? addons.routingReady : undefined,
            },
            monitored,
        );
        const monitor = monitoring
            ? new Monitoring(`${name}-monitoring`, monitoring, {
                  ...k8s,
                  dependsOn: [...parent.dependsOn, ...addons.storageReady],
              })
            : undefined;

        // 5. DNS: from the reserved address itself, never from the cluster, so records
        //    propagate while the cluster builds.
        const dns = dnsArgs(config, this.clouds, cluster.ingress, iris?.hostnames ?? []);
        const records = dns
            ? new DnsRecords(`${name}-dns`, dns.args, { ...parent, provider: dns.provider })
            : undefined;

        // 6. The destroy guard depends on every layer, so a destroy deletes it before anything
        //    else and stops there when it refuses (or while `iris.protect` protects it).
        const guard = destroyGuardArgs(config, irisArgs.backups, cluster);
        if (guard && iris) {
            const layers = [
                ...clusterLayer.parts,
                ...clusterLayer.ready,
                ...addons.parts,
                ...addons.storageReady,
                ...addons.routingReady,
                iris,
                monitor,
                route,
                records,
            ].filter((r): r is pulumi.Resource => r !== undefined);
            new DestroyGuard(`${name}-destroy-guard`, guard, {
                ...parent,
                provider: new DynamicProvider(`${name}-dynamic`, parent),
                dependsOn: [...new Set(layers)],
                protect: config.iris.protect,
            });
        }

        this.kubeconfig = pulumi.secret(cluster.kubeconfig);
        // An existing cluster's `existing.ingressAddress` arrives as `cluster.ingress` too.
        if (cluster.ingress) this.ingressAddress = cluster.ingress.addresses.apply((a) => a[0]);
        else if (config.dns.address) this.ingressAddress = pulumi.output(config.dns.address);
        this.portalUrls = iris?.portalUrls ?? pulumi.output<Record<string, string>>({});
        this.backupStore = addons.backupStore;
        this.registerOutputs({
            backupStore: this.backupStore,
            kubeconfig: this.kubeconfig,
            ingressAddress: this.ingressAddress,
            portalUrls: this.portalUrls,
        });
    }
}
