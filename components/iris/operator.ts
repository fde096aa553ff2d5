/**
 * The InterSystems Kubernetes Operator (IKO) chart. `helm.v3.Release` because
 * the chart's webhooks are pre-install hooks and it has a pre-delete cleaner
 * Job, which Release runs as Helm would. The Release waits for the operator
 * Deployment to be ready, and IrisClusters depend on it: the operator
 * registers the CRD at start-up and its webhooks reject IrisClusters before.
 *
 * Options: `provider` (the cluster's Kubernetes provider), `dependsOn` (the cluster,
 * the namespace and its pull secret), handed to the Release.
 */
import * as pulumi from "@pulumi/pulumi";
import { Release } from "@pulumi/kubernetes/helm/v3";
import type { ReleaseSource } from "../../versions";
import { childOptions } from "../providers";

/** Operator image location (values `operator.registry/repository/tag`). */
export interface IkoImage {
    readonly registry: string;
    readonly repository: string;
    readonly tag: string;
}

export interface IkoOperatorArgs {
    /** Namespace the operator runs in (created by the caller). */
    readonly namespace: pulumi.Input<string>;
    /** Where the chart comes from: `iko.chart` (the unpacked download or a repository), else the stack's chart mirror. */
    readonly chart: ReleaseSource;
    /** Operator image (registry, repository, tag) set in the chart's `operator` values. */
    readonly image: IkoImage;
    /** Pull secret (Pulumi-given name) in that namespace for the operator image, if any. */
    readonly imagePullSecret?: pulumi.Input<string>;
}

/**
 * Chart values. Every key exists in the chart's values.yaml
 * (reference/charts/iris-operator-3.8.42.100/values.yaml).
 */
export function ikoValues(
    image: IkoImage,
    imagePullSecret: pulumi.Input<string> | undefined,
): Record<string, unknown> {
    return {
        operator: { registry: image.registry, repository: image.repository, tag: image.tag },
        // The chart's default names a `dockerhub-secret` nobody creates.
        imagePullSecrets: imagePullSecret ? [{ name: imagePullSecret }] : [],
        // Helm deep-merges maps, so a nodeSelector without the arch key would keep the
        // chart's own pin (the arm build pins `kubernetes.io/arch: arm64`). The arch
        // therefore follows the operator image; `null` deletes the chart's key when
        // the image name does not say.
        nodeSelector: {
            "kubernetes.io/os": "linux",
            "kubernetes.io/arch": operatorArch(image.repository) ?? null,
        },
        imagePullPolicy: "IfNotPresent",
    };
}

/** Node architecture an IKO operator image is built for, from its name (`…-amd` / `…-arm`). */
export function operatorArch(repository: string): "amd64" | "arm64" | undefined {
    if (/-amd(64)?$/.test(repository)) return "amd64";
    if (/-arm(64)?$/.test(repository)) return "arm64";
    return undefined;
}

export class IkoOperator extends pulumi.ComponentResource {
    /** The Helm release; IrisClusters depend on it. */
    public readonly release: Release;
    /** The operator's namespace. */
    public readonly namespace: pulumi.Output<string>;

    constructor(name: string, args: IkoOperatorArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iris-platform:iris:IkoOperator", name, {}, opts);
        this.release = new Release(
            `${name}-release`,
            {
                name: "iko",
                ...args.chart,
                namespace: args.namespace,
                values: ikoValues(args.image, args.imagePullSecret),
                // Wait for the operator pod: its webhooks must answer before any IrisCluster.
                skipAwait: false,
                timeout: 600,
                cleanupOnFail: true,
            },
            childOptions(this, opts, { provider: "kubernetes" }),
        );
        this.namespace = pulumi.output(args.namespace);
        this.registerOutputs({ namespace: this.namespace });
    }
}
