/**
 * System add-ons a bare kubeadm cluster lacks and a managed cloud provides:
 * CNI (Calico), the AWS cloud controller, cluster-autoscaler, the kubelet
 * serving-certificate approver and metrics-server. Installed in the order the
 * cluster needs them: nodes stay NotReady until a CNI runs, and keep the
 * `node.cloudprovider.kubernetes.io/uninitialized` taint until the CCM runs.
 */
import * as pulumi from "@pulumi/pulumi";
import { withFormerTypes } from "../aliases";
import { Release } from "@pulumi/kubernetes/helm/v3";
import type { ChartKey } from "../../versions";
import { upstreamCharts, type ChartSources } from "../chart-sources";
import type { Cluster, KubeadmFacts } from "../cluster/types";
import {
    awsCloudControllerManagerValues,
    calicoValues,
    clusterAutoscalerValues,
    kubeletCsrApproverValues,
    metricsServerValues,
} from "./kubeadm-values";

export interface KubeadmAddonsArgs {
    /** The kubeadm cluster: its provider, name, Kubernetes minor and `kubeadm` facts (required). */
    readonly cluster: Cluster;
    /** Where each chart comes from (the stack's `charts` mirror); default: the pinned upstream repositories. */
    readonly charts?: ChartSources;
}

export class KubeadmAddons extends pulumi.ComponentResource {
    /** Calico's and the tigera operator's CRDs (the operator chart renders CRs of them). */
    public readonly calicoCrds: Release;
    /** tigera-operator (Calico CNI, VXLAN). */
    public readonly calico: Release;
    /** aws-cloud-controller-manager. */
    public readonly cloudController: Release;
    /** cluster-autoscaler, discovering the worker ASG by its tags. */
    public readonly clusterAutoscaler: Release;
    /** kubelet-csr-approver (kubelet serving certificates). */
    public readonly csrApprover: Release;
    /** metrics-server, verifying kubelet certificates. */
    public readonly metricsServer: Release;
    /**
     * What the platform's own workloads need: a pod network and initialised nodes
     * (Calico and the CCM). The autoscaler, the CSR approver and metrics-server
     * install alongside the later layers; nothing of theirs needs them.
     */
    public readonly ready: pulumi.Resource[];

    constructor(name: string, args: KubeadmAddonsArgs, opts?: pulumi.ComponentResourceOptions) {
        super(
            "iris-platform:addons:KubeadmAddons",
            name,
            {},
            withFormerTypes("iris-platform:addons:KubeadmAddons", opts),
        );
        const cluster = args.cluster;
        const facts: KubeadmFacts | undefined = cluster.kubeadm;
        if (!facts)
            throw new pulumi.ResourceError(
                `iris-platform:cluster.provider: ${cluster.clusterName} is not a kubeadm cluster; KubeadmAddons needs its kubeadm facts`,
                this,
            );
        const provider = cluster.k8sProvider;

        const sources = args.charts ?? upstreamCharts;
        const release = (
            role: string,
            chart: ChartKey,
            namespace: string,
            values: pulumi.Input<Record<string, unknown>>,
            after: pulumi.Resource[],
        ) =>
            new Release(
                `${name}-${role}`,
                {
                    // Fixed release names: what `helm list -A` shows an operator.
                    name: role,
                    ...sources[chart],
                    namespace,
                    createNamespace: namespace !== "kube-system",
                    values,
                },
                // Never before the API server answers (cluster.readiness).
                { parent: this, provider, dependsOn: [...cluster.readiness, ...after] },
            );

        // 1. CNI: nothing with a pod network (CCM included) runs before it. Its chart renders
        //    Installation/APIServer/Goldmane/Whisker, whose CRDs come from a chart of their own.
        this.calicoCrds = release("calico-crds", "calicoCrds", "tigera-operator", {}, []);
        this.calico = release(
            "tigera-operator",
            "calico",
            "tigera-operator",
            calicoValues({ podCidr: facts.podCidr }),
            [this.calicoCrds],
        );
        // 2. CCM: initializes nodes (addresses, provider IDs) and lifts the uninitialized taint.
        this.cloudController = release(
            "aws-cloud-controller-manager",
            "awsCloudControllerManager",
            "kube-system",
            awsCloudControllerManagerValues({
                clusterName: cluster.clusterName,
                kubernetesVersion: cluster.kubernetesVersion,
            }),
            [this.calico],
        );
        // 2'. Side by side with the CCM: their pods stay Pending until it has initialised the
        //     nodes (the uninitialized taint), which each Release simply waits out, instead of
        //     starting their installs only once the CCM's Release is done.
        this.clusterAutoscaler = release(
            "cluster-autoscaler",
            "clusterAutoscaler",
            "kube-system",
            clusterAutoscalerValues({
                clusterName: cluster.clusterName,
                region: facts.region,
                kubernetesVersion: cluster.kubernetesVersion,
            }),
            [this.calico],
        );
        this.csrApprover = release(
            "kubelet-csr-approver",
            "kubeletCsrApprover",
            "kube-system",
            facts.nodeCidrs.apply((nodeCidrs) =>
                kubeletCsrApproverValues({ region: facts.region, nodeCidrs }),
            ),
            [this.calico],
        );
        // 3. metrics-server is Ready only after scraping kubelets, i.e. once their serving
        //    certificates have been approved: a real dependency on the approver.
        this.metricsServer = release(
            "metrics-server",
            "metricsServer",
            "kube-system",
            metricsServerValues(),
            [this.csrApprover],
        );

        this.ready = [this.calicoCrds, this.calico, this.cloudController];
        this.registerOutputs({});
    }
}
