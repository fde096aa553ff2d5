/**
 * The IRIS layer: namespaces and pull secrets, the IKO operator when enabled,
 * and one IrisCluster or durable Deployment per `iris.instances[]` entry.
 */
import * as pulumi from "@pulumi/pulumi";
import * as corev1 from "@pulumi/kubernetes/core/v1";
import { Provider as RandomProvider } from "@pulumi/random/provider";
import { isCommunityImage } from "../../domain/iris";
import { ikoLabels, irisLabels } from "./labels";
import { pullSecret, type RegistryLogin } from "./secrets";
import type { InstanceArgs } from "./instance-args";
import { IrisBackup, type IrisBackups } from "./backup";
import { irisPublished, type IrisPublished } from "./published";
import type { IkoSettings, IrisInstanceSettings, IrisSecrets, IrisSettings } from "./settings";
import { IrisRestore } from "./restore";
import { durableClaimName, restoredVolumeName } from "./restore-script";
import { DurableIris } from "./durable-instance";
import { IrisClusterInstance } from "./iris-cluster";
import { IkoOperator } from "./operator";
import { downgradeGuard } from "./downgrade-guard";
import { upgradeKey } from "./pre-upgrade";
import { formerName } from "../aliases";
import { childOptions } from "../providers";
import type { ReleaseSource } from "../../versions";

export interface IrisLayerArgs {
    /** `iko` section of the config. */
    readonly iko: IkoSettings;
    /** `iris` section of the config. */
    readonly iris: IrisSettings;
    /** Secret config (registryToken, irisPassword/irisPasswordHash, irisLicenseKey, webgatewayPassword). */
    readonly secrets: IrisSecrets;
    /** StorageClass of every IRIS volume. */
    readonly storageClassName: string;
    /** Annotations that get a portal Ingress its certificate (the add-on layer's issuer); absent: no TLS source. */
    readonly certificateAnnotations?: Readonly<Record<string, string>>;
    /** IngressClass of the platform's controller. */
    readonly ingressClassName?: string;
    /**
     * False when the ingress controller has no address to report (a NodePort Service):
     * portal Ingresses are then created without waiting for `.status.loadBalancer`,
     * which would never come and fail `pulumi up` after 10 minutes.
     */
    readonly ingressReportsStatus?: boolean;
    /** Where the IKO chart comes from (`iko.chart`, else the stack's chart mirror); required with `iko.enabled`. */
    readonly ikoChart?: ReleaseSource;
    /** The StorageClass IRIS volumes use (IrisClusters, PVCs and Deployments wait for it). */
    readonly storageReady: pulumi.Resource[];
    /** The ingress controller and ClusterIssuers (only portal Ingresses wait for them). */
    readonly routingReady: pulumi.Resource[];
    /** Longhorn with a backup target: sets and restores. Absent: no backups, `restoreFrom` refused. */
    readonly backups?: IrisBackups;
    /** The login IRIS then requires on `/api/monitor` (the monitoring layer's scrape login); absent: none. */
    readonly metricsLogin?: InstanceArgs["metricsLogin"];
}

export { irisPublished, superserverService, type IrisPublished } from "./published";
export type { IrisBackups } from "./backup";

export class IrisLayer extends pulumi.ComponentResource {
    /** `namespace/name` → HTTPS portal URL. */
    public readonly portalUrls: pulumi.Output<Record<string, string>>;
    /** Every instance host (the DNS layer points them at the ingress). */
    public readonly hostnames: string[];
    public readonly operator?: IkoOperator;
    /** What other layers need of IRIS: metrics endpoints, the superserver Service, pod labels. */
    public readonly published: IrisPublished;
    /**
     * Per IRIS namespace, what must exist before anything else is put in it (the Namespace):
     * another layer's objects there (metrics Services, monitors) wait for this, not for IRIS.
     */
    public readonly namespaceReady: Readonly<Record<string, pulumi.Resource[]>>;
    /**
     * Per instance (`namespace/name`), its workload component: done when Pulumi's await of it is
     * (a standalone Deployment ready; an IrisCluster accepted). What judges IRIS as serving (its
     * scrape and alerts) waits for this, so a first start pages nobody.
     */
    public readonly workloadReady: Readonly<Record<string, pulumi.Resource[]>>;

    constructor(name: string, args: IrisLayerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iris-platform:iris:IrisLayer", name, {}, opts);
        const { iko, iris, secrets } = args;
        // Every child waits for the cluster being ready (opts.dependsOn, handed on by
        // childOptions); namespaces, pull secrets and the IKO operator wait for this only.
        const k8s = (after: readonly pulumi.Input<pulumi.Resource>[] = []) =>
            childOptions(this, opts, { provider: "kubernetes", after });
        const instances = iris.instances;
        const login: RegistryLogin | undefined =
            iko.registry.username && secrets.registryToken
                ? {
                      server: iko.registry.server,
                      username: iko.registry.username,
                      token: secrets.registryToken,
                  }
                : undefined;

        // One Namespace (+ pull secret) per distinct namespace. IRIS namespaces hold
        // the PVCs, so `iris.protect` protects them too (deleting one deletes its claims).
        const irisNamespaces = new Set(instances.map((i) => i.namespace));
        const names = [...new Set([...(iko.enabled ? [iko.namespace] : []), ...irisNamespaces])];
        // What each namespace adds to the cluster being ready: its Namespace and pull secret.
        const nsReady = new Map<string, pulumi.Resource[]>();
        // Each IRIS namespace's Namespace object (none for `default`).
        const namespaces = new Map<string, pulumi.Resource[]>();
        // Each namespace's pull secret, by its Pulumi-given name (rotation: see pullSecret).
        const pullSecrets = new Map<string, pulumi.Output<string>>();
        for (const ns of names) {
            const deps: pulumi.Resource[] = [];
            if (ns !== "default") {
                deps.push(
                    new corev1.Namespace(
                        `${name}-namespace-${ns}`,
                        {
                            metadata: {
                                name: ns,
                                labels: { "app.kubernetes.io/managed-by": "pulumi" },
                            },
                        },
                        {
                            ...k8s(),
                            aliases: [formerName(`${name}-namespace-${ns}`, "-namespace-", "-ns-")],
                            protect: iris.protect && irisNamespaces.has(ns),
                        },
                    ),
                );
            }
            namespaces.set(ns, [...deps]);
            if (login) {
                const secret = pullSecret(`${name}-pull-${ns}`, ns, login, k8s(deps));
                deps.push(secret);
                pullSecrets.set(ns, secret.metadata.name);
            }
            nsReady.set(ns, [...deps]);
        }

        // Backups (and pre-upgrade sets) first: an IKO version change waits for the sets of every
        // IKO instance before the operator is upgraded.
        const protection = new Map(
            instances.map((i) => {
                const childName = `${name}-${i.namespace}-${i.name}`;
                const nsDeps = nsReady.get(i.namespace) ?? [];
                return [i, this.dataProtection(childName, i, args, opts, nsDeps)] as const;
            }),
        );
        // The API server refuses an update that lowers an instance's IRIS release.
        const guard =
            instances.length > 0 ? downgradeGuard(`${name}-downgrade-guard`, k8s()) : undefined;

        if (iko.enabled) {
            const ikoChart = args.ikoChart;
            // Config requires iko.chart or a chart mirror whenever iko.enabled.
            if (!ikoChart)
                throw new pulumi.ResourceError(
                    "iris-platform:iko.chart.path: is required (or iko.chart.repo, or a charts mirror)",
                    this,
                );
            this.operator = new IkoOperator(
                `${name}-iko`,
                {
                    namespace: iko.namespace,
                    chart: ikoChart,
                    image: iko.operator,
                    imagePullSecret: pullSecrets.get(iko.namespace),
                },
                childOptions(this, opts, {
                    after: [
                        ...(nsReady.get(iko.namespace) ?? []),
                        ...instances.flatMap((i) => {
                            const job =
                                i.mode === "iko" ? protection.get(i)?.preUpgrade : undefined;
                            return job ? [job] : [];
                        }),
                    ],
                }),
            );
        }

        const randomProvider = new RandomProvider(`${name}-random`, {}, childOptions(this, opts));
        const password = { password: secrets.irisPassword, passwordHash: secrets.irisPasswordHash };
        const urls: Record<string, string> = {};
        const workloads: Record<string, pulumi.Resource[]> = {};
        for (const i of instances) {
            const childName = `${name}-${i.namespace}-${i.name}`;
            const nsDeps = nsReady.get(i.namespace) ?? [];
            const { restore, preUpgrade } = protection.get(i) ?? {};
            const common = {
                instance: i,
                storageClassName: args.storageClassName,
                // The durable claim binds to the PV its restore made (IKO's claims are made by it).
                restoredVolume:
                    restore && i.mode === "standalone"
                        ? restoredVolumeName(i.namespace, durableClaimName(i.name))
                        : undefined,
                password,
                // Community images run on their built-in licence.
                licenseKey: isCommunityImage(i.image) ? undefined : secrets.irisLicenseKey,
                imagePullSecret: pullSecrets.get(i.namespace),
                certificateAnnotations: args.certificateAnnotations,
                ingressClassName: args.ingressClassName,
                ingressReportsStatus: args.ingressReportsStatus,
                protect: iris.protect,
                // A restore rebuilds the volumes before anything mounts them.
                storageReady: restore ? [...args.storageReady, restore.job] : args.storageReady,
                routingReady: args.routingReady,
                upgradeReady: [...(guard ? [guard] : []), ...(preUpgrade ? [preUpgrade] : [])],
                metricsLogin: args.metricsLogin,
            };
            const instanceOpts = {
                ...childOptions(this, opts, { after: nsDeps }),
                providers: [randomProvider],
            };
            let instance: IrisClusterInstance | DurableIris;
            if (i.mode === "iko") {
                if (!this.operator)
                    throw new pulumi.ResourceError(
                        `iris-platform:iris.instances: ${i.namespace}/${i.name} has mode iko but iko.enabled is false`,
                        this,
                    );
                instance = new IrisClusterInstance(
                    childName,
                    {
                        ...common,
                        webgatewayPassword: secrets.webgatewayPassword,
                        operator: this.operator.release,
                    },
                    instanceOpts,
                );
            } else {
                instance = new DurableIris(childName, common, instanceOpts);
            }
            const id = `${i.namespace}/${i.name}`;
            if (instance.portalUrl) urls[id] = instance.portalUrl;
            workloads[id] = [instance];
        }

        this.portalUrls = pulumi.output(urls);
        this.hostnames = instances.flatMap((i) => (i.host ? [i.host] : []));
        this.published = irisPublished(instances, args.backups);
        this.namespaceReady = Object.fromEntries(
            [...irisNamespaces].map((ns) => [ns, namespaces.get(ns) ?? []]),
        );
        this.workloadReady = workloads;
        this.registerOutputs({ portalUrls: this.portalUrls, hostnames: this.hostnames });
    }

    /**
     * The instance's backup CronJob and pre-upgrade Job (when it takes sets) and restore Job
     * (with `restoreFrom`).
     */
    private dataProtection(
        name: string,
        i: IrisInstanceSettings,
        args: IrisLayerArgs,
        opts: pulumi.ComponentResourceOptions | undefined,
        nsDeps: readonly pulumi.Resource[],
    ): { restore?: IrisRestore; preUpgrade?: pulumi.Resource } {
        const b = args.backups;
        const plan = b?.plans[`${i.namespace}/${i.name}`];
        const iko = i.mode === "iko";
        let preUpgrade: pulumi.Resource | undefined;
        if (b && plan) {
            const labels = iko
                ? { [ikoLabels.instance]: i.name, [ikoLabels.component]: "data" }
                : irisLabels(i.name);
            const selector = Object.entries(labels)
                .map(([k, v]) => `${k}=${v}`)
                .join(",");
            preUpgrade = new IrisBackup(
                `${name}-backup`,
                {
                    namespace: i.namespace,
                    instance: i.name,
                    podSelector: selector,
                    // IKO's data pod runs IRIS as its default container (the gateway is a sidecar).
                    container: iko ? "" : "iris",
                    plan,
                    longhornNamespace: b.longhornNamespace,
                    preUpgrade: {
                        key: upgradeKey(
                            i.mode,
                            i.image,
                            {
                                chartVersion: args.iko.chart.version,
                                operatorTag: args.iko.operator.tag,
                            },
                            i.upgrade.attempt,
                        ),
                        workload: iko ? "irisclusters.intersystems.com" : "deployments.apps",
                    },
                },
                // Its Role in Longhorn's namespace needs Longhorn (and that namespace) first.
                childOptions(this, opts, { after: [...nsDeps, ...args.storageReady] }),
            ).preUpgradeJob;
        }
        const from = i.restoreFrom;
        if (!from) return { preUpgrade };
        // Config requires longhorn.backup for restoreFrom.
        if (!b)
            throw new pulumi.ResourceError("internal: restoreFrom without a backup target", this);
        const restore = new IrisRestore(
            `${name}-restore`,
            {
                namespace: i.namespace,
                instance: i.name,
                kind: iko ? "iko" : "standalone",
                source: from.instance ?? `${i.namespace}/${i.name}`,
                set: from.set,
                storageClassName: args.storageClassName,
                replicas: b.replicas,
                longhornNamespace: b.longhornNamespace,
            },
            childOptions(this, opts, { after: [...nsDeps, ...args.storageReady] }),
        );
        return { restore, preUpgrade };
    }
}
