/**
 * Monitoring as one switch: kube-prometheus-stack (or a Prometheus Operator the cluster already
 * runs), a ServiceMonitor per IRIS instance on `/api/monitor/metrics`, monitors for Longhorn and
 * cert-manager, the alert rules (rules.ts) and the IRIS dashboard (dashboard.ts).
 *
 * Options: `provider` (the cluster's Kubernetes provider), `dependsOn` (the platform's
 * StorageClass: Prometheus's volume; Longhorn's namespace holds its monitor).
 */
import * as pulumi from "@pulumi/pulumi";
import { CustomResource } from "@pulumi/kubernetes/apiextensions";
import * as corev1 from "@pulumi/kubernetes/core/v1";
import { Release } from "@pulumi/kubernetes/helm/v3";
import { upstreamCharts, type ChartSources } from "../chart-sources";
import { childOptions } from "../providers";
import type { IrisMetricsTarget } from "../iris/types";
import { irisDashboard } from "./dashboard";
import { renderRuleGroups, type RulesInput } from "./rules";
import {
    alertmanagerConfigSecret,
    grafanaAdminSecret,
    kubePrometheusStackValues,
    type StackValuesInput,
} from "./values";

/** An IRIS instance to scrape: its metrics endpoint as the IRIS layer publishes it. */
export interface IrisTarget extends IrisMetricsTarget {
    /** What must exist before objects go into the namespace (its Namespace), not the workload. */
    readonly namespaceReady: pulumi.Input<pulumi.Resource>[];
    /**
     * The instance's workload, done when Pulumi's await of it is: the monitor waits for it, so
     * Prometheus does not scrape a pod still starting (not ready) and page IRISInstanceDown.
     */
    readonly workloadReady: pulumi.Input<pulumi.Resource>[];
}

export interface MonitoringArgs {
    /** Namespace of Prometheus (created when installing), its rules and the dashboard. */
    readonly namespace: string;
    /** Where each chart comes from (the stack's `charts` mirror); default: the pinned upstream repositories. */
    readonly charts?: ChartSources;
    /** Install kube-prometheus-stack; absent: use the cluster's own Prometheus Operator. */
    readonly install?: {
        /** What kube-prometheus-stack's values are rendered from (retention, storage, Grafana, cluster kind). */
        readonly values: StackValuesInput;
        /** Grafana's admin password, put in the `grafana-admin` Secret the chart reads; absent (Grafana off): no Secret is made. */
        readonly grafanaAdminPassword?: pulumi.Output<string>;
        /** alertmanager.yaml (a secret: it holds webhook URLs and passwords). */
        readonly alertmanagerYaml: pulumi.Output<string>;
    };
    /** The IRIS instances' metrics endpoints. */
    readonly targets: readonly IrisTarget[];
    /** The instances and add-ons the alert rules are rendered for (thresholds per instance). */
    readonly rules: RulesInput;
    /** Login for `/api/monitor/metrics`, when IRIS requires one. */
    readonly irisLogin?: {
        /** IRIS user Prometheus scrapes as (basic auth, from each instance's `<instance>-metrics-login` Secret). */
        readonly username: string;
        /** Its password (secret), stored in that Secret. */
        readonly password: pulumi.Output<string>;
    };
    /** Monitor Longhorn (`longhorn-system`). */
    readonly longhorn: boolean;
    /** Monitor cert-manager: what its namespace waits for (the cert-manager layer). */
    readonly certManager?: pulumi.Input<pulumi.Resource>[];
    /**
     * Extra labels on every ServiceMonitor, the PrometheusRule and the dashboard ConfigMap, so that
     * an existing operator's selectors pick them (`monitoring.existing.labels`).
     */
    readonly selectorLabels?: Readonly<Record<string, string>>;
}

export class Monitoring extends pulumi.ComponentResource {
    public readonly release?: Release;

    constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iris-platform:monitoring:Monitoring", name, {}, opts);
        const k8s = childOptions(this, opts, { provider: "kubernetes" });
        const after = k8s.dependsOn;
        const labels = { "app.kubernetes.io/part-of": "iris-platform" };
        // What Prometheus and Grafana select: our marker plus the operator's selector labels.
        const selected = { ...args.selectorLabels, ...labels };
        const ns = args.namespace;
        let crds: pulumi.Resource[] = [];
        if (args.install) {
            const namespace = new corev1.Namespace(
                `${name}-namespace`,
                { metadata: { name: ns } },
                k8s,
            );
            const inNs = { ...k8s, dependsOn: [...after, namespace] };
            const secrets: pulumi.Resource[] = [
                new corev1.Secret(
                    `${name}-alertmanager`,
                    {
                        metadata: { name: alertmanagerConfigSecret, namespace: ns, labels },
                        stringData: {
                            "alertmanager.yaml": pulumi.secret(args.install.alertmanagerYaml),
                        },
                    },
                    inNs,
                ),
            ];
            const password = args.install.grafanaAdminPassword;
            if (password)
                secrets.push(
                    new corev1.Secret(
                        `${name}-grafana-admin`,
                        {
                            metadata: { name: grafanaAdminSecret, namespace: ns, labels },
                            stringData: {
                                "admin-user": "admin",
                                "admin-password": pulumi.secret(password),
                            },
                        },
                        inNs,
                    ),
                );
            this.release = new Release(
                `${name}-release`,
                {
                    name: "kube-prometheus-stack",
                    ...(args.charts ?? upstreamCharts).kubePrometheusStack,
                    namespace: ns,
                    values: kubePrometheusStackValues(args.install.values),
                    timeout: 900,
                },
                { ...inNs, dependsOn: [...after, namespace, ...secrets] },
            );
            crds = [this.release];
        }
        const afterCrds = { ...k8s, dependsOn: [...after, ...crds] };

        // IRIS: a metrics Service per instance (its pods' port, named), and a monitor on it.
        for (const t of args.targets) {
            const id = `${name}-${t.namespace}-${t.name}`;
            // The Service and its login need the namespace, not the pods they select; the monitor
            // waits for the workload too (below).
            const inIris = { ...k8s, dependsOn: [...after, ...t.namespaceReady] };
            const svcLabels = { ...labels, "iris-platform.io/metrics": t.name };
            new corev1.Service(
                `${id}-metrics`,
                {
                    metadata: {
                        name: `${t.name}-metrics`,
                        namespace: t.namespace,
                        labels: svcLabels,
                        // The provider would wait up to 10 minutes for a ready pod behind it
                        // (pulumi-kubernetes provider/pkg/await/service.go @f47bc2d6f199,
                        // DefaultServiceTimeoutMins, "Service does not target any Pods"): the IRIS
                        // pods may come much later (first start, a restore), and the ServiceMonitor
                        // needs only the Service. Whether they serve is the alerts' job.
                        annotations: { "pulumi.com/skipAwait": "true" },
                    },
                    spec: {
                        selector: { ...t.selector },
                        ports: [{ name: "metrics", port: t.port, targetPort: t.port }],
                    },
                },
                inIris,
            );
            const login = args.irisLogin;
            const loginSecret = login
                ? new corev1.Secret(
                      `${id}-metrics-login`,
                      {
                          metadata: {
                              name: `${t.name}-metrics-login`,
                              namespace: t.namespace,
                              labels,
                          },
                          stringData: {
                              username: login.username,
                              password: pulumi.secret(login.password),
                          },
                      },
                      inIris,
                  )
                : undefined;
            const basicAuth = login
                ? {
                      basicAuth: {
                          username: { name: `${t.name}-metrics-login`, key: "username" },
                          password: { name: `${t.name}-metrics-login`, key: "password" },
                      },
                  }
                : {};
            monitor(
                `${id}-monitor`,
                t.namespace,
                `${t.name}-iris`,
                {
                    selector: { matchLabels: { "iris-platform.io/metrics": t.name } },
                    endpoints: [
                        {
                            port: "metrics",
                            path: t.path,
                            interval: "30s",
                            relabelings: [
                                {
                                    targetLabel: "iris_instance",
                                    replacement: `${t.namespace}/${t.name}`,
                                },
                            ],
                            ...basicAuth,
                        },
                    ],
                },
                // The operator rejects a monitor whose basic-auth Secret it cannot read (prometheus-operator
                // v0.93.1 pkg/prometheus/resource_selector.go checkServiceMonitor, AddBasicAuth):
                // the Secret comes first.
                {
                    ...inIris,
                    dependsOn: [
                        ...inIris.dependsOn,
                        ...crds,
                        ...(loginSecret ? [loginSecret] : []),
                        ...t.workloadReady,
                    ],
                },
            );
        }
        if (args.longhorn)
            monitor(
                `${name}-longhorn`,
                "longhorn-system",
                "longhorn-manager",
                {
                    selector: { matchLabels: { app: "longhorn-manager" } },
                    endpoints: [{ port: "manager", interval: "60s" }],
                },
                afterCrds,
            );
        if (args.certManager)
            monitor(
                `${name}-cert-manager`,
                "cert-manager",
                "cert-manager",
                {
                    selector: {
                        matchLabels: {
                            "app.kubernetes.io/name": "cert-manager",
                            "app.kubernetes.io/component": "controller",
                        },
                    },
                    endpoints: [{ port: "http-metrics", interval: "60s" }],
                },
                { ...afterCrds, dependsOn: [...afterCrds.dependsOn, ...args.certManager] },
            );

        new CustomResource(
            `${name}-rules`,
            {
                apiVersion: "monitoring.coreos.com/v1",
                kind: "PrometheusRule",
                metadata: { name: "iris-platform", namespace: ns, labels: selected },
                spec: { groups: renderRuleGroups(args.rules) },
            },
            afterCrds,
        );
        new corev1.ConfigMap(
            `${name}-dashboard`,
            {
                metadata: {
                    name: "iris-dashboard",
                    namespace: ns,
                    labels: { ...selected, grafana_dashboard: "1" },
                },
                data: { "iris.json": JSON.stringify(irisDashboard(args.rules.podLabels)) },
            },
            afterCrds,
        );
        this.registerOutputs({});

        function monitor(
            resource: string,
            namespace: string,
            monitorName: string,
            spec: Record<string, unknown>,
            o: pulumi.CustomResourceOptions,
        ): void {
            new CustomResource(
                resource,
                {
                    apiVersion: "monitoring.coreos.com/v1",
                    kind: "ServiceMonitor",
                    metadata: { name: monitorName, namespace, labels: selected },
                    spec,
                },
                o,
            );
        }
    }
}
