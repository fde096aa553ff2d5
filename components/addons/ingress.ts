/**
 * The nginx ingress controller, installed with Helm through the cluster's
 * provider. Its LoadBalancer Service takes the address the cluster layer
 * reserved (GKE regional IP, Azure public IP, AWS NLB EIPs, MetalLB address),
 * so DNS can point at that address before this chart exists.
 */
import * as pulumi from "@pulumi/pulumi";
import { Namespace } from "@pulumi/kubernetes/core/v1";
import { Release } from "@pulumi/kubernetes/helm/v3";
import { charts, type ChartKey, type ChartPin } from "../../versions";
import { upstreamCharts, type ChartSources } from "../chart-sources";
import { childOptions } from "../providers";
import type { IngressEndpoint } from "../cluster/types";
import {
    controllerWarning,
    ingressClassName,
    ingressValues,
    superserverListener,
    type IngressController,
} from "./ingress-values";

/** Where the superserver TCP port is forwarded to (the first IRIS instance's Service). */
export interface SuperserverTarget {
    /** Namespace of the IRIS instance's Service. */
    readonly namespace: string;
    /** Name of the Service that listens on 1972 (the instance's own name). */
    readonly service: string;
}

export interface IngressArgs {
    /** Where each chart comes from (the stack's `charts` mirror); default: the pinned upstream repositories. */
    readonly charts?: ChartSources;
    /** Address reserved by the cluster layer; absent means a plain LoadBalancer Service. */
    readonly endpoint?: IngressEndpoint;
    /** `nginx-ingress` (F5, maintained, default) or `ingress-nginx` (community, retired). */
    readonly controller: IngressController;
    /** Controller replicas. */
    readonly replicas: number;
    /** Make IngressClass `nginx` the cluster default. */
    readonly defaultClass: boolean;
    /** Controller Service type (default LoadBalancer). */
    readonly serviceType?: "LoadBalancer" | "NodePort";
    /** Open TCP 1972 on the controller's Service for the IRIS superserver. */
    readonly exposeSuperserver: boolean;
    /** Service the superserver port forwards to (used by ingress-nginx's `tcp` map). */
    readonly superserverTarget?: SuperserverTarget;
}

/** Chart pin and namespace per controller. */
export const controllers: Readonly<
    Record<IngressController, { key: ChartKey; pin: ChartPin; namespace: string }>
> = {
    "nginx-ingress": { key: "nginxIngress", pin: charts.nginxIngress, namespace: "nginx-ingress" },
    "ingress-nginx": { key: "ingressNginx", pin: charts.ingressNginx, namespace: "ingress-nginx" },
};

export class Ingress extends pulumi.ComponentResource {
    /** IngressClass IRIS ingresses use. */
    public readonly ingressClassName: string = ingressClassName;
    /** Namespace of the controller. */
    public readonly namespace: pulumi.Output<string>;
    /** The Helm release; custom resources of the controller (TransportServer) wait for it. */
    public readonly release: Release;
    /** nginx-ingress listener name a TransportServer attaches to, when the superserver is exposed. */
    public readonly superserverListener?: string;

    constructor(name: string, args: IngressArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iris-platform:addons:Ingress", name, {}, opts);
        const k8s = childOptions(this, opts, { provider: "kubernetes" });
        const { namespace } = controllers[args.controller];
        const warning = controllerWarning(args.controller);
        if (warning) pulumi.log.warn(warning, this);

        const ns = new Namespace(`${name}-namespace`, { metadata: { name: namespace } }, k8s);
        const endpoint = args.endpoint;
        const values = pulumi
            .all([endpoint?.loadBalancerIP, endpoint?.serviceAnnotations ?? {}])
            .apply(([loadBalancerIP, serviceAnnotations]) =>
                ingressValues({
                    controller: args.controller,
                    replicas: args.replicas,
                    defaultClass: args.defaultClass,
                    serviceType: args.serviceType ?? "LoadBalancer",
                    loadBalancerIP,
                    serviceAnnotations,
                    preservesClientIp: endpoint?.preservesClientIp ?? false,
                    exposeSuperserver: args.exposeSuperserver,
                    superserverTarget:
                        args.superserverTarget &&
                        `${args.superserverTarget.namespace}/${args.superserverTarget.service}`,
                }),
            );
        // Release (not helm.v4.Chart): it waits for the controller and its LoadBalancer to be ready,
        // so whatever depends on this component sees a serving ingress.
        this.release = new Release(
            `${name}-release`,
            {
                name: args.controller,
                ...(args.charts ?? upstreamCharts)[controllers[args.controller].key],
                namespace: ns.metadata.name,
                values,
            },
            k8s,
        );
        this.namespace = ns.metadata.name;
        if (args.exposeSuperserver && args.controller === "nginx-ingress")
            this.superserverListener = superserverListener;
        this.registerOutputs({
            ingressClassName: this.ingressClassName,
            namespace: this.namespace,
        });
    }
}
