/**
 * What the IRIS workloads name (the durable Deployment's pod template, an IrisCluster's
 * spec), and a watcher that records every moment one of them names an object the API
 * server does not have: the "no gap" proof for CPF, licence and login rotations.
 */
import { get, type Obj } from "./real-cluster";

export interface Ref {
    readonly kind: "secrets" | "configmaps";
    readonly name: string;
    /** Where the workload names it (for messages). */
    readonly at: string;
}

/** Secret volumes and pull secrets of a Deployment's pod template. */
export function deploymentRefs(d: Obj | undefined): Ref[] {
    const pod = get(d, "spec", "template", "spec");
    const volumes = (get(pod, "volumes") ?? []) as {
        name: string;
        secret?: { secretName: string };
    }[];
    const pulls = (get(pod, "imagePullSecrets") ?? []) as { name: string }[];
    return [
        ...volumes.flatMap((v) =>
            v.secret
                ? [{ kind: "secrets" as const, name: v.secret.secretName, at: `volume ${v.name}` }]
                : [],
        ),
        ...pulls.map((p) => ({ kind: "secrets" as const, name: p.name, at: "imagePullSecrets" })),
    ];
}

/** The objects an IrisCluster names (IKO reference sample iris-sample.yaml: licenseKeySecret, configSource, imagePullSecrets; webgateway.loginSecret). */
export function irisClusterRefs(ic: Obj | undefined): Ref[] {
    const spec = get(ic, "spec");
    const named: [Ref["kind"], unknown, string][] = [
        ["secrets", get(spec, "licenseKeySecret", "name"), "licenseKeySecret"],
        [
            "secrets",
            get(spec, "topology", "webgateway", "loginSecret", "name"),
            "webgateway.loginSecret",
        ],
        ["configmaps", get(spec, "configSource", "name"), "configSource"],
        ...((get(spec, "imagePullSecrets") ?? []) as { name: string }[]).map(
            (p): [Ref["kind"], unknown, string] => ["secrets", p.name, "imagePullSecrets"],
        ),
    ];
    return named.flatMap(([kind, name, at]) =>
        typeof name === "string" ? [{ kind, name, at }] : [],
    );
}

/** The name the workload gives at `at`, if any. */
export const refAt = (refs: Ref[], at: string): string | undefined =>
    refs.find((r) => r.at === at)?.name;

/**
 * Polls `refs` every 100 ms until stopped; `stop` returns each reference seen naming a
 * missing object in namespace `ns` (an empty list: never a gap).
 */
export function watchForGaps(
    read: (urlPath: string) => Promise<Obj | undefined>,
    ns: string,
    refs: () => Promise<Ref[]>,
): { stop(): Promise<string[]> } {
    const gaps: string[] = [];
    let watching = true;
    const loop = (async () => {
        while (watching) {
            for (const r of await refs())
                if (!(await read(`/api/v1/namespaces/${ns}/${r.kind}/${r.name}`)))
                    gaps.push(`${r.at} → missing ${r.kind}/${r.name}`);
            await new Promise((res) => setTimeout(res, 100));
        }
    })();
    return {
        async stop() {
            watching = false;
            await loop;
            return gaps;
        },
    };
}
