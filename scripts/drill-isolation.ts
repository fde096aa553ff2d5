/**
 * What keeps a drill's IRIS away from production: a NetworkPolicy on its namespace, and the
 * removal of any mirror configuration the restored set carries before IRIS starts
 * (components/iris/demirror.ts).
 */
import { demirrorMerge, mirrorNamesScript } from "../components/iris/demirror";

/** Name of the drill namespace's NetworkPolicy. */
export const drillPolicyName = "iris-drill-isolation";

/**
 * Every pod of the drill namespace may talk only to pods of the same namespace, plus DNS in
 * kube-system. A pod selected by a policy with `Egress` (`Ingress`) in policyTypes is isolated in
 * that direction and only what some rule allows gets through; `podSelector: {}` in a rule's peer
 * means pods of the policy's own namespace; `kubernetes.io/metadata.name` is the label every
 * namespace carries with its name (https://kubernetes.io/docs/concepts/services-networking/network-policies/,
 * "The two sorts of pod isolation", "Behavior of to and from selectors", "Targeting a Namespace by
 * its name"). Enforced only by a network plugin that implements NetworkPolicy.
 */
export function drillNetworkPolicy(namespace: string): Record<string, unknown> {
    const sameNamespace = [{ podSelector: {} }];
    return {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name: drillPolicyName, namespace },
        spec: {
            podSelector: {},
            policyTypes: ["Ingress", "Egress"],
            ingress: [{ from: sameNamespace }],
            egress: [
                { to: sameNamespace },
                {
                    to: [
                        {
                            namespaceSelector: {
                                matchLabels: { "kubernetes.io/metadata.name": "kube-system" },
                            },
                        },
                    ],
                    ports: [
                        { protocol: "UDP", port: 53 },
                        { protocol: "TCP", port: 53 },
                    ],
                },
            ],
        },
    };
}

/** One line for the report. */
export const isolationSummary = `NetworkPolicy ${drillPolicyName}: no traffic to or from other namespaces (DNS in kube-system only)`;

/** Name of the pod that reads an IKO set's mirror names from its restored data volume. */
export const probePodName = "drill-mirror-probe";

/**
 * A pod that mounts the restored `iris-data` claim read-only and prints the mirror names in its
 * `iris.cpf` (IKO keeps durable %SYS on that volume), then exits; the drill reads its log.
 */
export function mirrorProbePod(input: {
    namespace: string;
    image: string;
    claim: string;
    pullSecrets: string[];
}): Record<string, unknown> {
    return {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: probePodName, namespace: input.namespace },
        spec: {
            restartPolicy: "Never",
            imagePullSecrets: input.pullSecrets.map((name) => ({ name })),
            containers: [
                {
                    name: "probe",
                    image: input.image,
                    command: ["sh", "-c", mirrorNamesScript, "probe", "/data"],
                    volumeMounts: [{ name: "data", mountPath: "/data", readOnly: true }],
                },
            ],
            volumes: [
                { name: "data", persistentVolumeClaim: { claimName: input.claim, readOnly: true } },
            ],
        },
    };
}

/**
 * The copied configSource data with the mirrors deleted on data nodes: IKO applies `data.cpf` to
 * data nodes as a merge file (components/iris/cpf.ts).
 */
export function withoutMirrors(
    data: Record<string, string>,
    mirrorNames: readonly string[],
): Record<string, string> {
    if (mirrorNames.length === 0) return data;
    const current = data["data.cpf"] ?? "";
    const sep = current === "" || current.endsWith("\n") ? "" : "\n";
    return { ...data, "data.cpf": `${current}${sep}${demirrorMerge(mirrorNames)}` };
}
