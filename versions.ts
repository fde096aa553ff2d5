/**
 * Every pinned version the program deploys, in one place.
 *
 * Chart versions match the upstream values keys recorded in
 * test/fixtures/chart-keys; bump a chart here and refresh its keys
 * (`npm run chart-keys`) in one commit. The integration tier's Go toolchain is
 * pinned in toolchain/<tool>/go.mod (the only place Go can read pins from).
 */

import type * as pulumi from "@pulumi/pulumi";

/** A Helm chart: where it comes from and which version we install. */
export interface ChartPin {
    /** Chart name inside the repository (or the full OCI reference). */
    readonly chart: string;
    /** Helm repository URL; absent for OCI references and local paths. */
    readonly repo?: string;
    /** Exact chart version. */
    readonly version: string;
}

/** Where `helm.v3.Release` takes a chart from (its `chart`, `version` and `repositoryOpts` inputs). */
export interface ReleaseSource {
    readonly chart: string;
    /** Absent for a local chart directory: the directory is the version. */
    readonly version?: string;
    readonly repositoryOpts?: {
        readonly repo?: string;
        readonly username?: string;
        readonly password?: pulumi.Input<string>;
    };
}

/** A pin as `helm.v3.Release` inputs: OCI references carry no repository. */
export function releaseSource(pin: ChartPin): ReleaseSource {
    return {
        chart: pin.chart,
        version: pin.version,
        ...(pin.repo ? { repositoryOpts: { repo: pin.repo } } : {}),
    };
}

/** The chart's own name (the last segment of an OCI reference). */
export function chartName(pin: ChartPin): string {
    return pin.chart.split("/").pop() ?? pin.chart;
}

/** Kubernetes minors this program supports, newest last. */
export const kubernetesMinors = ["1.34", "1.35", "1.36"] as const;
export type KubernetesMinor = (typeof kubernetesMinors)[number];

/** Default minor: the newest one that every pinned add-on image has a release for. */
export const defaultKubernetesMinor: KubernetesMinor = "1.35";

/**
 * Images whose minor must follow the Kubernetes minor (cluster-autoscaler and the
 * AWS cloud controller are released per Kubernetes minor).
 */
export const perMinorImages: Readonly<
    Record<KubernetesMinor, { clusterAutoscaler: string; awsCloudControllerManager: string }>
> = {
    "1.34": { clusterAutoscaler: "v1.34.5", awsCloudControllerManager: "v1.34.0" },
    "1.35": { clusterAutoscaler: "v1.35.2", awsCloudControllerManager: "v1.35.0" },
    "1.36": { clusterAutoscaler: "v1.36.1", awsCloudControllerManager: "v1.36.1" },
};

export const charts = {
    longhorn: { chart: "longhorn", repo: "https://charts.longhorn.io", version: "1.12.1" },
    certManager: { chart: "cert-manager", repo: "https://charts.jetstack.io", version: "v1.21.1" },
    /** F5 NGINX Ingress Controller: maintained; the default. */
    nginxIngress: { chart: "oci://ghcr.io/nginx/charts/nginx-ingress", version: "2.6.4" },
    /** Community ingress-nginx: retired upstream in March 2026, final release. */
    ingressNginx: {
        chart: "ingress-nginx",
        repo: "https://kubernetes.github.io/ingress-nginx",
        version: "4.15.1",
    },
    metricsServer: {
        chart: "metrics-server",
        repo: "https://kubernetes-sigs.github.io/metrics-server/",
        version: "3.13.1",
    },
    clusterAutoscaler: {
        chart: "cluster-autoscaler",
        repo: "https://kubernetes.github.io/autoscaler",
        version: "9.59.0",
    },
    awsCloudControllerManager: {
        chart: "aws-cloud-controller-manager",
        repo: "https://kubernetes.github.io/cloud-provider-aws",
        version: "0.0.11",
    },
    calico: {
        chart: "tigera-operator",
        repo: "https://docs.tigera.io/calico/charts",
        version: "v3.32.1",
    },
    /** Calico's CRDs: since v3.32 the operator chart no longer bundles them (same version as the operator). */
    calicoCrds: {
        chart: "crd.projectcalico.org.v1",
        repo: "https://docs.tigera.io/calico/charts",
        version: "v3.32.1",
    },
    /** Prometheus Operator, Prometheus, Alertmanager, Grafana, kube-state-metrics (monitoring.enabled). */
    kubePrometheusStack: {
        chart: "kube-prometheus-stack",
        repo: "https://prometheus-community.github.io/helm-charts",
        version: "88.5.3",
    },
    /** Approves kubelet serving-certificate CSRs (kubeadm nodes use serverTLSBootstrap). */
    kubeletCsrApprover: {
        chart: "kubelet-csr-approver",
        repo: "https://postfinance.github.io/kubelet-csr-approver",
        version: "1.2.15",
    },
} as const satisfies Record<string, ChartPin>;

/** The charts the platform installs besides IKO (which has its own `iko.chart`). */
export type ChartKey = keyof typeof charts;
export const chartKeys = Object.keys(charts) as ChartKey[];

/** IKO is only distributed as a download; this is the version our defaults and docs assume. */
export const iko = {
    chartVersion: "3.8.42",
    operatorImage: {
        registry: "containers.intersystems.com",
        repository: "intersystems/iris-operator-amd",
        tag: "3.8.42.100",
    },
} as const;

/** What one IKO minor is vouched for: the IRIS releases and Kubernetes minors it runs with. */
export interface IkoSupport {
    /** Oldest IRIS release (YYYY.N) this row vouches for. */
    readonly irisFrom: string;
    /** Kubernetes minors this row vouches for. */
    readonly kubernetes: readonly KubernetesMinor[];
    /** Where each bound comes from, and what could not be confirmed. */
    readonly source: string;
}

/**
 * IRIS × IKO × Kubernetes: the compatibility check (config/checks-upgrade.ts) refuses an IKO
 * instance whose `iko.chart.version` minor has no row here, whose IRIS is older than the row's
 * `irisFrom`, or whose `cluster.kubernetesVersion` the row does not list.
 *
 * InterSystems publishes IKO's requirements on its IKO pages (index:
 * https://docs.intersystems.com/components/csp/docbook/DocBook.UI.Page.cls?KEY=PAGE_iko, 3.8:
 * https://docs.intersystems.com/components/csp/docbook/DocBook.UI.Page.cls?KEY=AIKO). UNCONFIRMED:
 * the supported-platform section of those pages could not be read where this table was written,
 * so no row quotes a Kubernetes range from InterSystems; each row says what its bounds rest on.
 * Confirm against the page for your IKO before widening a row.
 */
export const ikoSupport: Readonly<Record<string, IkoSupport>> = {
    "3.8": {
        irisFrom: "2023.2",
        kubernetes: ["1.34", "1.35", "1.36"],
        source:
            "IRIS: IKO 3.8.42.100's own sample IrisCluster names compatibilityVersion 2024.2.0, and " +
            "2023.2.0 is already IKO 3.6's built-in default " +
            "(https://community.intersystems.com/post/iko-compatibility-version-gotcha), so older " +
            "IRIS is not vouched for. Kubernetes: the minors this program supports and its " +
            "integration tier installs IKO 3.8.42 on (a real 1.35 API server); not confirmed " +
            "against InterSystems' platform list.",
    },
};

/** IRIS images used when a stack names none. */
export const images = {
    irisCommunity: "containers.intersystems.com/intersystems/iris-community:2025.1",
    webgateway: "containers.intersystems.com/intersystems/webgateway:2025.1",
    /**
     * bash, kubectl, jq and coreutils for the backup-set, restore and drill Jobs. alpine/k8s tags
     * follow kubectl releases; kubectl stays within one minor of the clusters it drives.
     */
    backupTools: "docker.io/alpine/k8s:1.35.1",
    /**
     * kube-prometheus-stack's CRD upgrade Job (`crds.upgradeJob`): busybox unpacks the chart's
     * CRDs, kubectl server-side applies them. The chart defaults to `busybox:latest` and a kubectl
     * tag equal to the cluster's version; both are pinned here (kubectl within one minor of
     * every supported cluster minor).
     */
    crdUpgradeBusybox: "docker.io/busybox:1.37.0",
    crdUpgradeKubectl: "registry.k8s.io/kubectl:v1.35.4",
} as const;

/** Node OS and runtime pins for the AWS kubeadm nodes. */
export const node = {
    /** Canonical's public SSM parameter for the Ubuntu 24.04 amd64 AMI. */
    ubuntuAmiParameter:
        "/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id",
    containerd: "2.3.4",
} as const;
