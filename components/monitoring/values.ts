/**
 * kube-prometheus-stack values and the Alertmanager configuration (pure). Values keys come from
 * upstream kube-prometheus-stack 88.5.3 values.yaml; the tests check them against its skeleton.
 */
import { images } from "../../versions";
import type { IrisPodLabels } from "./rule";

export const monitoringNamespace = "monitoring";
/** The Secret holding Grafana's admin login. */
export const grafanaAdminSecret = "grafana-admin";
/** The Secret holding alertmanager.yaml (Alertmanager's `configSecret`). */
export const alertmanagerConfigSecret = "alertmanager-iris-platform";

/** The cluster kinds the platform runs on (`cluster.provider`). */
export type ClusterProvider = "gke" | "aks" | "aws" | "existing";

export interface StackValuesInput {
    readonly retention: string;
    readonly storageSize: string;
    /** Prometheus's `retentionSize` (see `prometheusRetentionSize`). */
    readonly retentionSize: string;
    /** Decides which control-plane components can be scraped (`controlPlaneValues`). */
    readonly clusterProvider: ClusterProvider;
    readonly storageClassName: string;
    readonly grafana: boolean;
    /** Grafana behind the TLS ingress, when a host is set. */
    readonly grafanaIngress?: {
        readonly host: string;
        readonly ingressClassName: string;
        /** What the add-on layer's issuer needs on an Ingress (cert-manager's HTTP-01 annotations). */
        readonly certificateAnnotations: Readonly<Record<string, string>>;
    };
    /** The IRIS pod labels kube-state-metrics must export (the mirror-role alerts read them). */
    readonly podLabels: IrisPodLabels;
}

export function kubePrometheusStackValues(v: StackValuesInput): Record<string, unknown> {
    const volume = {
        spec: {
            storageClassName: v.storageClassName,
            accessModes: ["ReadWriteOnce"],
            resources: { requests: { storage: v.storageSize } },
        },
    };
    return {
        // Helm installs crds/ only on first install; the chart's pre-upgrade hook Job
        // (charts/crds/templates/upgrade/job.yaml) server-side applies the new CRDs on every upgrade.
        crds: { upgradeJob: { enabled: true, image: crdUpgradeImages() } },
        ...controlPlaneValues(v.clusterProvider),
        prometheus: {
            prometheusSpec: {
                retention: v.retention,
                retentionSize: v.retentionSize,
                storageSpec: { volumeClaimTemplate: volume },
                // Select every ServiceMonitor, PodMonitor and rule, not only this release's.
                serviceMonitorSelectorNilUsesHelmValues: false,
                podMonitorSelectorNilUsesHelmValues: false,
                ruleSelectorNilUsesHelmValues: false,
            },
        },
        alertmanager: { alertmanagerSpec: { configSecret: alertmanagerConfigSecret } },
        // The mirror-role alerts read IKO's pod labels.
        "kube-state-metrics": {
            metricLabelsAllowlist: [`pods=[${v.podLabels.mirrorRole},${v.podLabels.instance}]`],
        },
        grafana: {
            enabled: v.grafana,
            admin: {
                existingSecret: grafanaAdminSecret,
                userKey: "admin-user",
                passwordKey: "admin-password",
            },
            sidecar: {
                dashboards: {
                    enabled: true,
                    label: "grafana_dashboard",
                    labelValue: "1",
                    searchNamespace: "ALL",
                },
            },
            ingress: v.grafanaIngress
                ? {
                      enabled: true,
                      ingressClassName: v.grafanaIngress.ingressClassName,
                      // The IRIS Ingresses' HTTP-01 settings: on F5's nginx-ingress the solver
                      // path must go into this Ingress. Helm owns it (no server-side apply
                      // conflict to force); an upgrade mid-challenge drops the solver path and
                      // cert-manager adds it back.
                      annotations: { ...v.grafanaIngress.certificateAnnotations },
                      hosts: [v.grafanaIngress.host],
                      tls: [{ secretName: "grafana-tls", hosts: [v.grafanaIngress.host] }],
                  }
                : { enabled: false },
        },
    };
}

/**
 * Prometheus's `retentionSize` for a volume of `storageMiB`: 85 %, so the oldest blocks go before
 * the volume fills. Prometheus counts the WAL and head chunks in this size but deletes only
 * persistent blocks, and compaction briefly needs room beyond it (prometheus v0.316.0
 * docs/storage.md, "Operational aspects" and "Compaction"). `MiB` is a unit both the operator's
 * CRD pattern (`(K|M|G|T|E|P)i?B`) and Prometheus's base-2 parser (alecthomas/units
 * ParseBase2Bytes) accept.
 */
export function prometheusRetentionSize(storageMiB: number): string {
    return `${Math.floor(storageMiB * 0.85)}MiB`;
}

/** `registry/repository:tag` as the chart's image maps take it. */
function imageParts(ref: string): { registry: string; repository: string; tag: string } {
    const m = /^([^/]+)\/(.+):([^:/]+)$/.exec(ref);
    if (!m) throw new Error(`image ${ref} is not registry/repository:tag`);
    return { registry: m[1], repository: m[2], tag: m[3] };
}

/** kube-prometheus-stack 88.5.3 values.yaml `crds.upgradeJob.image.{busybox,kubectl}`, pinned. */
function crdUpgradeImages(): Record<string, unknown> {
    return {
        busybox: imageParts(images.crdUpgradeBusybox),
        kubectl: imageParts(images.crdUpgradeKubectl),
    };
}

/**
 * Control-plane components the chart scrapes and alerts on (`kubeEtcd`, `kubeControllerManager`,
 * `kubeScheduler`, `kubeProxy`; their rule files in templates/prometheus/rules-1.14 also need
 * `<component>.enabled`). Where Prometheus cannot reach them, `absent(up{job=…})` rules such as
 * KubeControllerManagerDown fire for ever. None is reachable on the providers here:
 * - gke, aks: managed control planes (no etcd, scheduler or controller-manager endpoints), and
 *   their dataplanes (GKE Dataplane V2, AKS Cilium) need no kube-proxy metrics;
 * - aws (kubeadm): kubeadm binds controller-manager and scheduler to 127.0.0.1 (kubernetes/kubeadm
 *   issue 2202), etcd's `listen-metrics-urls` to http://127.0.0.1:2381 (kubernetes/kubernetes
 *   cmd/kubeadm/app/phases/etcd/local.go), and kube-proxy's `metricsBindAddress` defaults to
 *   127.0.0.1:10249 (kubernetes.io kube-proxy configuration v1alpha1). Rebinding them to 0.0.0.0
 *   would serve etcd's plain-HTTP metrics to the whole node network, so they stay off;
 * - existing: nothing is known of its control plane, so nothing is assumed.
 * The provider is a parameter so that a provider that does expose them can turn them on here.
 */
export function controlPlaneValues(provider: ClusterProvider): Record<string, unknown> {
    const scraped = controlPlaneScraped[provider];
    return {
        // GKE Standard's cluster DNS is kube-dns, not CoreDNS (cloud.google.com/kubernetes-engine/
        // docs/concepts/service-discovery): the chart's `coreDns` scrape of `k8s-app: kube-dns`
        // pods on CoreDNS's 9153 would find nothing listening and TargetDown would fire for ever.
        coreDns: { enabled: provider !== "gke" },
        kubeEtcd: { enabled: scraped },
        kubeControllerManager: { enabled: scraped },
        kubeScheduler: { enabled: scraped },
        kubeProxy: { enabled: scraped },
        defaultRules: {
            rules: {
                etcd: scraped,
                kubeControllerManager: scraped,
                kubeSchedulerAlerting: scraped,
                kubeSchedulerRecording: scraped,
                kubeProxy: scraped,
            },
        },
    };
}

/** Whether a provider's etcd, controller-manager, scheduler and kube-proxy can be scraped. */
const controlPlaneScraped: Readonly<Record<ClusterProvider, boolean>> = {
    gke: false,
    aks: false,
    aws: false,
    existing: false,
};

export { alertmanagerConfig, type AlertRoutes } from "./alertmanager";
