/**
 * nginx-ingress only: routes the controller's TCP 1972 listener to an IRIS
 * Service with a TransportServer. A TransportServer must live in the namespace
 * of the Service it forwards to, so this is created after the IRIS layer made
 * that namespace (the ingress-nginx controller needs no such object: its `tcp`
 * values map names `namespace/service:port` directly).
 */
import * as pulumi from "@pulumi/pulumi";
import { CustomResource } from "@pulumi/kubernetes/apiextensions";
import { superserverPort } from "./ingress-values";
import { childOptions } from "../providers";

/** TransportServer manifest (k8s.nginx.org/v1) forwarding a listener to `service:port`. */
export function transportServerManifest(args: {
    name: string;
    namespace: string;
    listener: string;
    service: string;
    port?: number;
}): {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace: string };
    spec: Record<string, unknown>;
} {
    return {
        apiVersion: "k8s.nginx.org/v1",
        kind: "TransportServer",
        metadata: { name: args.name, namespace: args.namespace },
        spec: {
            listener: { name: args.listener, protocol: "TCP" },
            upstreams: [
                { name: args.service, service: args.service, port: args.port ?? superserverPort },
            ],
            action: { pass: args.service },
        },
    };
}

export interface SuperserverRouteArgs {
    /** Listener opened by the Ingress component (`Ingress.superserverListener`). */
    readonly listener: string;
    /** Namespace of the IRIS Service (must already exist: put its Namespace in `dependsOn`). */
    readonly namespace: string;
    /** IRIS Service exposing the superserver port. */
    readonly service: string;
}

export class SuperserverRoute extends pulumi.ComponentResource {
    constructor(name: string, args: SuperserverRouteArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iris-platform:addons:SuperserverRoute", name, {}, opts);
        const manifest = transportServerManifest({ name: `${args.service}-superserver`, ...args });
        // The caller's dependsOn must include the Ingress (its chart serves the TransportServer CRD).
        new CustomResource(
            `${name}-transport-server`,
            manifest,
            childOptions(this, opts, { provider: "kubernetes" }),
        );
        this.registerOutputs({});
    }
}
