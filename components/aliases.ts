/**
 * Former type tokens of renamed components. Deployed stacks hold URNs with the
 * old token; the alias keeps them (and, through Pulumi's inherited aliases,
 * every child) the same resources instead of a delete-and-create.
 * The integration tier rewrites a real state to these old tokens and checks
 * that `preview` then plans no change.
 */
import type * as pulumi from "@pulumi/pulumi";

export const formerTypes: Readonly<Record<string, readonly string[]>> = {
    "iris-platform:cluster:AwsSystemAddons": [
        "iris-platform:addons:KubeadmAddons",
        "iris-platform:addons:Kubeadm",
    ],
    "iris-platform:addons:BackupStore": ["iris-platform:addons:LonghornBackupStore"],
    "iris-platform:dns:DnsRecords": ["iris-platform:dns:Records"],
    "iris-platform:cluster:GkeCluster": ["iris-platform:cluster:Gke"],
    "iris-platform:cluster:AksCluster": ["iris-platform:cluster:Aks"],
    "iris-platform:cluster:AwsCluster": ["iris-platform:cluster:Aws"],
    "iris-platform:cluster:ExistingCluster": ["iris-platform:cluster:Existing"],
    "iris-platform:iris:IrisClusterInstance": ["iris-platform:iris:IrisCluster"],
};

/**
 * Children renamed to the one suffix pattern (`-namespace`, `-release`): in a
 * child of `component` of `type`, the part `now` of its name was `former`.
 */
export const formerChildNames: ReadonlyArray<{
    component: string;
    type: string;
    now: string;
    former: string;
}> = [
    {
        component: "iris-platform:addons:Longhorn",
        type: "kubernetes:core/v1:Namespace",
        now: "-namespace",
        former: "-ns",
    },
    {
        component: "iris-platform:addons:Longhorn",
        type: "kubernetes:helm.sh/v3:Release",
        now: "-release",
        former: "-chart",
    },
    {
        component: "iris-platform:iris:IrisLayer",
        type: "kubernetes:core/v1:Namespace",
        now: "-namespace-",
        former: "-ns-",
    },
];

/** An alias from the former name of a renamed child (see `formerChildNames`). */
export function formerName(name: string, now: string, former: string): pulumi.Alias {
    const i = name.lastIndexOf(now);
    if (i < 0) throw new Error(`internal: ${name} does not contain ${now}`);
    return { name: `${name.slice(0, i)}${former}${name.slice(i + now.length)}` };
}

/** `opts` plus an alias from each former token of `type`. */
export function withFormerTypes(
    type: string,
    opts: pulumi.ComponentResourceOptions = {},
): pulumi.ComponentResourceOptions {
    const former = formerTypes[type] ?? [];
    if (former.length === 0) return opts;
    return { ...opts, aliases: [...(opts.aliases ?? []), ...former.map((t) => ({ type: t }))] };
}

/**
 * The `super(...)` arguments of a renamed component: its type token (stated once), name, no
 * inputs, and `opts` with an alias from each former token.
 */
export function renamedComponent(
    type: string,
    name: string,
    opts?: pulumi.ComponentResourceOptions,
): [string, string, Record<string, never>, pulumi.ComponentResourceOptions] {
    return [type, name, {}, withFormerTypes(type, opts)];
}
