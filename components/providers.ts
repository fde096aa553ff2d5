/**
 * Resource options every component reads the same way (pulumi-eks style):
 * providers arrive in `opts.provider`/`opts.providers` (children with
 * `{ parent: this }` inherit them), `dependsOn` in `opts.dependsOn`.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Provider as K8sProvider } from "@pulumi/kubernetes/provider";

/** Packages whose providers components take from their options. */
export type ProviderPackage = "kubernetes" | "gcp" | "azure-native" | "aws" | "random";

/**
 * The explicit provider of `pkg` that `component` was given (or inherited from its parent).
 * Stacks disable default providers, so a missing one would fail at `up`; it fails here, at
 * construction, naming the component.
 */
export function providerFor<P extends pulumi.ProviderResource>(
    component: pulumi.ComponentResource,
    pkg: ProviderPackage,
): P {
    const provider = component.getProvider(`${pkg}::`);
    if (!provider)
        throw new pulumi.ResourceError(
            `internal: needs an explicit ${pkg} provider in opts.provider (default providers are disabled)`,
            component,
        );
    return provider as P;
}

/**
 * `opts.dependsOn` as a list, for children to wait on: children do not inherit their
 * component's `dependsOn`, so the component hands it on.
 */
export function dependsOnOf(
    opts: pulumi.ComponentResourceOptions | undefined,
): pulumi.Input<pulumi.Resource>[] {
    const d = opts?.dependsOn;
    if (d === undefined) return [];
    if (Array.isArray(d)) return d as pulumi.Input<pulumi.Resource>[];
    if (pulumi.Resource.isInstance(d)) return [d];
    // The platform only ever passes lists or resources; an Output of a list cannot be spread.
    throw new Error("internal: dependsOn must be a list or a resource, not an Output");
}

/** Options every Kubernetes child of `component` takes: the component as parent, the cluster's
 * provider it was given, and its own `dependsOn`, handed on. */
export function k8sChildOptions(
    component: pulumi.ComponentResource,
    opts: pulumi.ComponentResourceOptions | undefined,
): { parent: pulumi.Resource; provider: K8sProvider; dependsOn: pulumi.Input<pulumi.Resource>[] } {
    return {
        parent: component,
        provider: providerFor<K8sProvider>(component, "kubernetes"),
        dependsOn: dependsOnOf(opts),
    };
}

/**
 * The provider of `pulumi-nodejs:dynamic:*` resources, made explicit: stacks set
 * `pulumi:disable-default-providers: ["*"]`, and the engine then refuses a
 * dynamic resource that has none. Its plugin ships inside `@pulumi/pulumi`.
 */
export class DynamicProvider extends pulumi.ProviderResource {
    constructor(name: string, opts?: pulumi.ResourceOptions) {
        super("pulumi-nodejs", name, {}, opts);
    }
}
