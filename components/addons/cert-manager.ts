/**
 * cert-manager with its CRDs, plus the two Let's Encrypt ClusterIssuers.
 * The issuers are created only once the chart's webhook serves: `helm.v3.Release`
 * waits for the chart's Deployments to be ready (no `skipAwait`), and every
 * ClusterIssuer `dependsOn` that Release, so the webhook answers their admission.
 */
import * as pulumi from "@pulumi/pulumi";
import { CustomResource } from "@pulumi/kubernetes/apiextensions";
import { Namespace } from "@pulumi/kubernetes/core/v1";
import { Release } from "@pulumi/kubernetes/helm/v3";
import { upstreamCharts, type ChartSources } from "../chart-sources";
import { childOptions } from "../providers";
import {
    certManagerValues,
    clusterIssuerSpec,
    issuerNames,
    type IssuerName,
} from "./cert-manager-issuers";

export interface CertManagerArgs {
    /** Where each chart comes from (the stack's `charts` mirror); default: the pinned upstream repositories. */
    readonly charts?: ChartSources;
    /** ACME account email (required by config for the production issuer). */
    readonly email?: string;
    /** IngressClass of the HTTP-01 solver (the platform's nginx controller). */
    readonly ingressClassName: string;
    /** The issuer this stack's IRIS ingresses use. */
    readonly issuer: IssuerName;
}

export const certManagerNamespace = "cert-manager";

export class CertManager extends pulumi.ComponentResource {
    /** ClusterIssuer name IRIS ingresses annotate with `cert-manager.io/cluster-issuer`. */
    public readonly clusterIssuer: string;
    public readonly release: Release;
    /** Both issuers (staging and production), so a stack can switch without a redeploy of cert-manager. */
    public readonly issuers: Readonly<Record<IssuerName, CustomResource>>;

    constructor(name: string, args: CertManagerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iris-platform:addons:CertManager", name, {}, opts);
        const k8s = childOptions(this, opts, { provider: "kubernetes" });
        const ns = new Namespace(
            `${name}-namespace`,
            { metadata: { name: certManagerNamespace } },
            k8s,
        );
        this.release = new Release(
            `${name}-release`,
            {
                name: "cert-manager",
                ...(args.charts ?? upstreamCharts).certManager,
                namespace: ns.metadata.name,
                values: certManagerValues(),
            },
            k8s,
        );
        const issuers = {} as Record<IssuerName, CustomResource>;
        for (const issuer of issuerNames) {
            issuers[issuer] = new CustomResource(
                `${name}-${issuer}`,
                {
                    apiVersion: "cert-manager.io/v1",
                    kind: "ClusterIssuer",
                    metadata: { name: issuer },
                    spec: clusterIssuerSpec({
                        name: issuer,
                        email: args.email,
                        ingressClassName: args.ingressClassName,
                    }),
                },
                childOptions(this, opts, { provider: "kubernetes", after: [this.release] }),
            );
        }
        this.issuers = issuers;
        this.clusterIssuer = args.issuer;
        this.registerOutputs({ clusterIssuer: this.clusterIssuer });
    }
}
