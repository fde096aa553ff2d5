/**
 * Modelled wall time of a first `pulumi up` per stack: the longest chain of
 * waits through the resource graph the program registers (under mocks), with
 * a stated duration per kind of resource. The figures are estimates, not
 * measurements (no cloud here); they compare dependency graphs, e.g. before and
 * after a change to what waits for what.
 *
 *   npm run bench:critical-path
 *
 * Model: a custom resource starts when everything it depends on (dependsOn,
 * input dependencies, and those of its ancestor components, conservatively)
 * has finished, and takes its duration; a component finishes with its last child.
 */
import type { RecordedResource, Recording } from "../test/mocks";

/**
 * Seconds per resource type (Helm releases by release name), from typical
 * first-install times: managed control planes 8-10 min, an EC2 node plus
 * kubeadm init ~6 min, charts until their pods are Ready (image pulls).
 */
export const durations: Readonly<Record<string, number>> = {
    "gcp:container/cluster:Cluster": 600,
    "gcp:container/nodePool:NodePool": 240,
    "azure-native:containerservice:ManagedCluster": 480,
    "azure-native:containerservice:AgentPool": 300,
    "aws:ec2/instance:Instance": 60,
    "pulumi-nodejs:dynamic:ApiServerReady": 360,
    "aws:lb/loadBalancer:LoadBalancer": 180,
    "aws:ec2/natGateway:NatGateway": 120,
    "aws:autoscaling/group:Group": 30,
    "kubernetes:apps/v1:Deployment": 180,
    "kubernetes:networking.k8s.io/v1:Ingress": 30,
};
export const releaseDurations: Readonly<Record<string, number>> = {
    longhorn: 240,
    "cert-manager": 90,
    "nginx-ingress": 120,
    "ingress-nginx": 120,
    iko: 60,
    "calico-crds": 20,
    "tigera-operator": 120,
    "aws-cloud-controller-manager": 60,
    "cluster-autoscaler": 45,
    "kubelet-csr-approver": 30,
    "metrics-server": 60,
    // Operator, Prometheus (its PVC bound), Alertmanager, Grafana, kube-state-metrics, node-exporter.
    "kube-prometheus-stack": 180,
};
/** Anything else a cloud or the API server creates: a few seconds. */
export const defaultSeconds = 5;

function duration(r: RecordedResource): number {
    if (!r.custom || r.type.startsWith("pulumi:providers:")) return 0;
    if (r.type === "kubernetes:helm.sh/v3:Release")
        return releaseDurations[String(r.inputs.name)] ?? 60;
    return durations[r.type] ?? defaultSeconds;
}

/** Seconds until everything is up, and the chain of resources that sets it. */
export function criticalPath(recording: Recording): { seconds: number; path: string[] } {
    const byUrn = new Map(recording.resources.map((r) => [r.urn, r]));
    const children = new Map<string, RecordedResource[]>();
    for (const r of recording.resources)
        children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
    const memo = new Map<string, { finish: number; via?: string }>();
    const start = (r: RecordedResource): { at: number; via?: string } => {
        let best: { at: number; via?: string } = { at: 0 };
        for (let a: RecordedResource | undefined = r; a; a = byUrn.get(a.parent)) {
            for (const d of a.dependencies) {
                const dep = byUrn.get(d);
                if (dep && dep !== r) {
                    const f = finish(dep).finish;
                    if (f > best.at) best = { at: f, via: dep.urn };
                }
            }
        }
        return best;
    };
    const finish = (r: RecordedResource): { finish: number; via?: string } => {
        const known = memo.get(r.urn);
        if (known) return known;
        memo.set(r.urn, { finish: 0 }); // cycle guard
        const s = start(r);
        let result = { finish: s.at + duration(r), via: s.via };
        if (!r.custom) {
            for (const c of children.get(r.urn) ?? []) {
                const f = finish(c).finish;
                if (f > result.finish) result = { finish: f, via: c.urn };
            }
        }
        memo.set(r.urn, result);
        return result;
    };
    let last: RecordedResource | undefined;
    for (const r of recording.resources)
        if (!last || finish(r).finish > finish(last).finish) last = r;
    const path: string[] = [];
    for (let urn = last?.urn; urn; urn = memo.get(urn)?.via) {
        const r = byUrn.get(urn);
        if (r?.custom && duration(r) > 0) path.unshift(`${r.name} (${duration(r)} s)`);
        if (path.length > 40) break;
    }
    return { seconds: last ? finish(last).finish : 0, path };
}

async function main(): Promise<void> {
    const { buildStackFresh, stackFiles } = await import("../test/build-stack");
    for (const stack of Object.keys(stackFiles)) {
        const { recording } = await buildStackFresh(stack);
        const { seconds, path } = criticalPath(recording);
        console.log(`${stack.padEnd(9)} ${(seconds / 60).toFixed(1)} min: ${path.join(" → ")}`);
    }
}

if (require.main === module) {
    main().catch((err: unknown) => {
        console.error(err);
        process.exit(1);
    });
}
