/**
 * System add-ons the AWS kubeadm cluster lacks and a managed cloud provides:
 * CNI (Calico), the AWS cloud controller, cluster-autoscaler, the kubelet
 * serving-certificate approver and metrics-server. Installed in the order the
 * cluster needs them: nodes stay NotReady until a CNI runs, and keep the
 * `node.cloudprovider.kubernetes.io/uninitialized` taint until the CCM runs.
 * Calico and the CCM need neither: both are host-networked and tolerate both taints.
 */
import * as pulumi from "@pulumi/pulumi";
import { renamedComponent } from "../../aliases";
import { Release } from "@pulumi/kubernetes/helm/v3";
import type { ChartKey } from "../../../versions";
import { upstreamCharts, type ChartSources } from "../../chart-sources";
import { childOptions } from "../../providers";
import type { Cluster } from "../types";
import type { KubeadmFacts } from "./kubeadm-facts";
import {
    awsCloudControllerManagerValues,
    calicoValues,
    clusterAutoscalerValues,
    kubeletCsrApproverValues,
    metricsServerValues,
} from "./system-addons-values";

export interface AwsSystemAddonsArgs {
    /** The AWS kubeadm cluster: its name, Kubernetes minor and kubeadm facts. */
    readonly cluster: Pick<Cluster, "clusterName" | "kubernetesVersion"> & {
        /** The kubeadm facts (CIDRs, region, API server URL, CA) the system add-ons' chart values are rendered from. */
        readonly kubeadm: KubeadmFacts;
    };
    /** Where each chart comes from (the stack's `charts` mirror); default: the pinned upstream repositories. */
    readonly charts?: ChartSources;
}

export class AwsSystemAddons extends pulumi.ComponentResource {
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

    constructor(name: string, args: AwsSystemAddonsArgs, opts?: pulumi.ComponentResourceOptions) {
        super(...renamedComponent("iris-platform:cluster:AwsSystemAddons", name, opts));
        const cluster = args.cluster;
        const facts = cluster.kubeadm;
        // Never before the API server answers (the cluster's readiness, in opts.dependsOn):
        // childOptions hands that on to every release.

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
                childOptions(this, opts, { provider: "kubernetes", after }),
            );

        // 1. CNI: nothing with a pod network runs before it. Its chart renders
        //    Installation/APIServer/Goldmane/Whisker, whose CRDs come from a chart of their own.
        //    The operator itself is host-networked and tolerates every taint
        //    (projectcalico/calico @ v3.32.1: charts/tigera-operator/templates/tigera-operator/
        //    02-tigera-operator.yaml, `tolerations` in values.yaml).
        this.calicoCrds = release("calico-crds", "calicoCrds", "tigera-operator", {}, []);
        this.calico = release(
            "tigera-operator",
            "calico",
            "tigera-operator",
            calicoValues({ podCidr: facts.podCidr }),
            [this.calicoCrds],
        );
        // 1'. CCM, beside the CNI: initializes nodes (addresses, provider IDs) and lifts the
        //     uninitialized taint. Host-networked and tolerating not-ready (our values), it
        //     needs no pod network, so it does not wait for Calico.
        this.cloudController = release(
            "aws-cloud-controller-manager",
            "awsCloudControllerManager",
            "kube-system",
            awsCloudControllerManagerValues({
                clusterName: cluster.clusterName,
                kubernetesVersion: cluster.kubernetesVersion,
            }),
            [],
        );
        // 2. After the CNI, beside the CCM: their pods stay Pending until it has initialised the
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
