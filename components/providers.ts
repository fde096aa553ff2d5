/**
 * Resource options every component reads the same way (pulumi-eks style):
 * providers arrive in `opts.provider`/`opts.providers` (children with
 * `{ parent: this }` inherit them), `dependsOn` in `opts.dependsOn`; every component hands
 * both to its children through {@link childOptions}.
 */
import * as pulumi from "@pulumi/pulumi";

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

/** What {@link childOptions} hands a child. */
export interface ChildOptions {
    readonly parent: pulumi.Resource;
    readonly provider?: pulumi.ProviderResource;
    readonly dependsOn: pulumi.Input<pulumi.Resource>[];
}

/** What one child needs besides its component's own options. */
export interface ChildNeeds {
    /** The package whose explicit provider the child takes (see {@link providerFor}). */
    readonly provider?: ProviderPackage;
    /** What this child waits for besides its component's `dependsOn`. */
    readonly after?: readonly pulumi.Input<pulumi.Resource>[];
    /**
     * Why this child must NOT wait for its component's `dependsOn`: the one explicit exception
     * to handing it on (test/children.test.ts names each such child).
     */
    readonly notAfterComponent?: string;
}

/**
 * The options every child of a component takes, the one convention: the component as parent,
 * the explicit provider of `needs.provider` when asked, and `dependsOn` = the component's own
 * `opts.dependsOn` plus `needs.after`. Children do not inherit their parent's `dependsOn`: the
 * Resource constructor takes only `protect` and the providers map from its parent
 * (pulumi/pulumi sdk/nodejs/resource.ts @v3.270.0, "Check the parent type if one exists and
 * fill in any default options"), so without this a child may start before what its
 * component was told to wait for.
 */
export function childOptions(
    component: pulumi.ComponentResource,
    opts: pulumi.ComponentResourceOptions | undefined,
    needs: ChildNeeds = {},
): ChildOptions {
    const own = needs.notAfterComponent === undefined ? dependsOnOf(opts) : [];
    const dependsOn = [...own, ...(needs.after ?? [])];
    return needs.provider
        ? { parent: component, provider: providerFor(component, needs.provider), dependsOn }
        : { parent: component, dependsOn };
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
