/**
 * Helm values for the kubeadm-only system add-ons, as pure functions.
 *
 * Every key exists in the upstream values file of the pinned chart:
 * upstream <chart>-<version>/values.yaml for the CCM,
 * cluster-autoscaler and metrics-server; for the two charts without a local
 * copy, the upstream files named at each function (checked in
 * test/kubeadm-addons.test.ts against the key lists there). One exception, cited
 * where it is set: the CCM's `hostNetworking`, which only the chart's template reads.
 */
import { kubernetesMinors, perMinorImages, type KubernetesMinor } from "../../../versions";

/** The per-minor images for a Kubernetes version ("1.35", "1.35.2" or "v1.35.2"). */
export function imagesForMinor(
    kubernetesVersion: string,
): (typeof perMinorImages)[KubernetesMinor] {
    const minor = /^v?(\d+\.\d+)(\.\d+)?$/.exec(kubernetesVersion)?.[1];
    if (!minor || !(kubernetesMinors as readonly string[]).includes(minor)) {
        throw new Error(
            `iris-platform:cluster.kubernetesVersion: ${JSON.stringify(kubernetesVersion)} has no pinned cluster-autoscaler/cloud-controller image; supported: ${kubernetesMinors.join(", ")}`,
        );
    }
    return perMinorImages[minor as KubernetesMinor];
}

/**
 * EC2 private DNS names (the kubeadm node names): `ip-10-0-1-5.<region>.compute.internal`,
 * except us-east-1, which uses `ip-10-0-1-5.ec2.internal`.
 */
export function ec2PrivateDnsRegex(region: string): string {
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region))
        throw new Error(
            `iris-platform:cluster.aws.region: ${JSON.stringify(region)} is not an AWS region`,
        );
    const domain = region === "us-east-1" ? "ec2\\.internal" : `${region}\\.compute\\.internal`;
    return `^ip-[0-9-]+\\.${domain}$`;
}

const controlPlaneSelector = { "node-role.kubernetes.io/control-plane": "" };
const controlPlaneToleration = {
    key: "node-role.kubernetes.io/control-plane",
    operator: "Exists",
    effect: "NoSchedule",
};

/**
 * tigera-operator chart (projectcalico/calico charts/tigera-operator/values.yaml):
 * `installation` is rendered verbatim as the operator's Installation spec.
 */
export function calicoValues(a: { podCidr: string }): Record<string, unknown> {
    return {
        installation: {
            cni: { type: "Calico" },
            calicoNetwork: {
                // Pure VXLAN: no BGP sessions (TCP 179 is closed between nodes) and
                // no BIRD to run.
                bgp: "Disabled",
                ipPools: [
                    {
                        name: "default-ipv4-ippool",
                        // Must equal kubeadm's podSubnet, or pods get addresses the
                        // control plane (and kube-proxy's cluster CIDR) does not know.
                        cidr: a.podCidr,
                        // Always encapsulate (not VXLANCrossSubnet): the VPC then only
                        // ever sees node-IP to node-IP UDP 4789, so EC2's source/dest
                        // check can stay on and no VPC routes per pod CIDR are needed
                        // (hence --configure-cloud-routes=false on the CCM).
                        encapsulation: "VXLAN",
                        // Pods reach the internet, IMDS and AWS APIs as their node.
                        natOutgoing: "Enabled",
                        blockSize: 26,
                        nodeSelector: "all()",
                    },
                ],
                // Address autodetection stays at its default (first found): the
                // `kubernetes: NodeInternalIP` method would make calico-node wait for
                // the cloud controller to set the nodes' addresses.
            },
        },
    };
}

/** aws-cloud-controller-manager chart (reference: aws-cloud-controller-manager-0.0.11/values.yaml). */
export function awsCloudControllerManagerValues(a: {
    clusterName: string;
    kubernetesVersion: string;
}): Record<string, unknown> {
    return {
        args: [
            "--v=2",
            "--cloud-provider=aws",
            // Matches the `kubernetes.io/cluster/<name>` tags on subnets, SGs and instances.
            `--cluster-name=${a.clusterName}`,
            // Calico VXLAN routes pod traffic; kube-controller-manager allocates no node CIDRs for VPC routes.
            "--configure-cloud-routes=false",
        ],
        image: { tag: imagesForMinor(a.kubernetesVersion).awsCloudControllerManager },
        // Stated explicitly (same as the chart defaults) because everything else
        // depends on it: control-plane nodes only (their instance role has the CCM
        // permissions), tolerating the taint the CCM itself removes.
        nodeSelector: controlPlaneSelector,
        tolerations: [
            {
                key: "node.cloudprovider.kubernetes.io/uninitialized",
                value: "true",
                effect: "NoSchedule",
            },
            controlPlaneToleration,
            // Not a chart default. Until a CNI runs, kubelet reports Ready=False and the node
            // lifecycle controller taints the node not-ready:NoSchedule (kubernetes
            // pkg/controller/nodelifecycle/node_lifecycle_controller.go); the DaemonSet
            // controller adds only not-ready:NoExecute to daemon pods
            // (pkg/controller/daemon/util/daemonset_util.go). With this and the host network
            // the CCM starts before Calico, so its Release does not wait for it.
            { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoSchedule" },
        ],
        // The node's network, not the pod network, which does not exist before the CNI.
        // kubernetes/cloud-provider-aws @ helm-chart-aws-cloud-controller-manager-0.0.11:
        // charts/aws-cloud-controller-manager/templates/daemonset.yaml sets `hostNetwork: true`
        // only `if .Values.hostNetworking`, a key its values.yaml does not declare (so no host
        // network by default). The CCM's own port, 10258 (k8s.io/cloud-provider ports.go), is
        // free on a kubeadm control-plane node; the API is reached through kube-proxy, which
        // kubeadm runs host-networked, tolerating every taint (kubernetes
        // cmd/kubeadm/app/phases/addons/proxy/manifests.go).
        hostNetworking: true,
        // Node DNS: CoreDNS cannot start before the CCM has initialized the nodes.
        dnsPolicy: "Default",
    };
}

/** cluster-autoscaler chart (reference: cluster-autoscaler-9.59.0/values.yaml). */
export function clusterAutoscalerValues(a: {
    clusterName: string;
    region: string;
    kubernetesVersion: string;
}): Record<string, unknown> {
    return {
        cloudProvider: "aws",
        awsRegion: a.region,
        // The chart's default tags then read k8s.io/cluster-autoscaler/enabled and
        // k8s.io/cluster-autoscaler/<clusterName>: exactly the worker ASG's tags.
        autoDiscovery: { clusterName: a.clusterName },
        // Autoscaler minor = Kubernetes minor (its scheduler simulation is built per minor).
        image: { tag: imagesForMinor(a.kubernetesVersion).clusterAutoscaler },
        // On the control plane: never on a node it might remove, and beside the
        // instance role that carries the autoscaling permissions.
        nodeSelector: controlPlaneSelector,
        tolerations: [controlPlaneToleration],
        extraArgs: {
            // emptyDir scratch space (metrics-server, web gateways) must not pin a
            // node forever; IRIS data lives on Longhorn volumes, not local storage.
            "skip-nodes-with-local-storage": false,
            // One ASG spans all AZs, so there is nothing to balance and no expander
            // choice to make: both are left at their defaults on purpose.
        },
    };
}

/**
 * postfinance kubelet-csr-approver chart (postfinance/kubelet-csr-approver
 * charts/kubelet-csr-approver/values.yaml): approves kubelet serving-certificate
 * CSRs only for EC2 private DNS names of this region, from the node subnets.
 */
export function kubeletCsrApproverValues(a: {
    region: string;
    nodeCidrs: string[];
}): Record<string, unknown> {
    return {
        providerRegex: ec2PrivateDnsRegex(a.region),
        providerIpPrefixes: a.nodeCidrs,
        // DNS checks stay on: the name must resolve (VPC resolver) to the CSR's IPs.
        bypassDnsResolution: false,
    };
}

/**
 * metrics-server chart (reference: metrics-server-3.13.1/values.yaml). Kubelet
 * serving certificates are CA-signed (serverTLSBootstrap + the CSR approver), so
 * metrics-server verifies them with the cluster CA from its service account:
 * no `--kubelet-insecure-tls`.
 */
export function metricsServerValues(): Record<string, unknown> {
    return { args: [] };
}
