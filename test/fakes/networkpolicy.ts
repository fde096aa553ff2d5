/**
 * Whether NetworkPolicies allow a pod-to-pod connection, as the Kubernetes documentation defines
 * it (https://kubernetes.io/docs/concepts/services-networking/network-policies/; "K8S" below).
 * Only what our policies use is modelled; anything else (matchExpressions, ipBlock, endPort,
 * named ports) throws, so the fake never guesses. Enforcement needs a network plugin that
 * implements NetworkPolicy; this is the semantics such a plugin promises.
 */

export interface Pod {
    readonly namespace: string;
    readonly labels: Readonly<Record<string, string>>;
}

export interface Connection {
    readonly from: Pod;
    readonly to: Pod;
    readonly protocol: "TCP" | "UDP";
    readonly port: number;
}

type Selector = { matchLabels?: Record<string, string> } & Record<string, unknown>;
interface Peer {
    podSelector?: Selector;
    namespaceSelector?: Selector;
    [k: string]: unknown;
}
interface Rule {
    from?: Peer[];
    to?: Peer[];
    ports?: { protocol?: string; port?: number | string; [k: string]: unknown }[];
}
export interface Policy {
    metadata: { namespace: string };
    spec: {
        podSelector: Selector;
        policyTypes?: string[];
        ingress?: Rule[];
        egress?: Rule[];
    };
}

// K8S "Targeting a Namespace by its name": every namespace carries this label with its name.
const namespaceLabels = (ns: string) => ({ "kubernetes.io/metadata.name": ns });

function matches(sel: Selector, labels: Readonly<Record<string, string>>): boolean {
    const unknown = Object.keys(sel).filter((k) => k !== "matchLabels");
    if (unknown.length) throw new Error(`selector fields unknown to the fake: ${unknown}`);
    // An empty selector selects everything (K8S, "podSelector": "An empty podSelector selects all pods").
    return Object.entries(sel.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
}

// K8S "Behavior of to and from selectors": podSelector alone = pods of the policy's namespace;
// namespaceSelector alone = every pod of the selected namespaces; both in one element = those
// pods in those namespaces.
function peerMatches(peer: Peer, policyNs: string, pod: Pod): boolean {
    const unknown = Object.keys(peer).filter(
        (k) => k !== "podSelector" && k !== "namespaceSelector",
    );
    if (unknown.length) throw new Error(`peer fields unknown to the fake: ${unknown}`);
    const nsOk = peer.namespaceSelector
        ? matches(peer.namespaceSelector, namespaceLabels(pod.namespace))
        : pod.namespace === policyNs;
    return nsOk && (peer.podSelector ? matches(peer.podSelector, pod.labels) : true);
}

// K8S NetworkPolicyRule: an empty or missing `ports` (or peers) list matches all; protocol
// defaults to TCP.
function ruleAllows(
    rule: Rule,
    peers: Peer[] | undefined,
    policyNs: string,
    c: Connection,
    peer: Pod,
): boolean {
    const peerOk =
        !peers || peers.length === 0 || peers.some((p) => peerMatches(p, policyNs, peer));
    const portOk =
        !rule.ports ||
        rule.ports.length === 0 ||
        rule.ports.some((p) => {
            const unknown = Object.keys(p).filter((k) => k !== "protocol" && k !== "port");
            if (unknown.length || typeof p.port === "string")
                throw new Error(`port fields unknown to the fake: ${JSON.stringify(p)}`);
            return (
                (p.protocol ?? "TCP") === c.protocol && (p.port === undefined || p.port === c.port)
            );
        });
    return peerOk && portOk;
}

// K8S "The two sorts of pod isolation": policyTypes defaults to Ingress, plus Egress when the
// policy has egress rules.
function types(p: Policy): string[] {
    return p.spec.policyTypes ?? ["Ingress", ...(p.spec.egress ? ["Egress"] : [])];
}

/**
 * K8S "The two sorts of pod isolation": a pod is isolated in a direction when some policy
 * selecting it has that type; then only what some such policy's rules allow gets through, and a
 * connection needs both the source's egress and the destination's ingress to allow it.
 */
export function allowed(policies: readonly Policy[], c: Connection): boolean {
    const selecting = (pod: Pod, type: string) =>
        policies.filter(
            (p) =>
                p.metadata.namespace === pod.namespace &&
                matches(p.spec.podSelector, pod.labels) &&
                types(p).includes(type),
        );
    const egress = selecting(c.from, "Egress");
    const egressOk =
        egress.length === 0 ||
        egress.some((p) =>
            (p.spec.egress ?? []).some((r) => ruleAllows(r, r.to, p.metadata.namespace, c, c.to)),
        );
    const ingress = selecting(c.to, "Ingress");
    const ingressOk =
        ingress.length === 0 ||
        ingress.some((p) =>
            (p.spec.ingress ?? []).some((r) =>
                ruleAllows(r, r.from, p.metadata.namespace, c, c.from),
            ),
        );
    return egressOk && ingressOk;
}
