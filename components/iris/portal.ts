/** The TLS Ingress in front of an instance's management portal, and its URL. */
import type * as pulumi from "@pulumi/pulumi";
import * as networkingv1 from "@pulumi/kubernetes/networking/v1";
import { refusedPaths, refusedService } from "./refused-paths";

/** The management portal's HTTPS URL behind an instance's ingress host. */
export function portalUrl(host: string): string {
    return `https://${host}/csp/sys/UtilHome.csp`;
}

/** The instance's TLS Ingress to `backend` and its portal URL, when it has a host. */
export function instancePortal(
    name: string,
    i: { name: string; namespace: string; host?: string },
    backend: { serviceName: string; servicePort: number },
    routing: {
        certificateAnnotations?: Readonly<Record<string, string>>;
        ingressClassName?: string;
        ingressReportsStatus?: boolean;
    },
    labels: Record<string, string>,
    opts: pulumi.CustomResourceOptions,
): string | undefined {
    if (!i.host) return undefined;
    // `/api/monitor` is for Prometheus inside the cluster only (refused-paths.ts).
    const refused = refusedService(`${name}-refused`, i, labels, opts);
    tlsIngress(
        `${name}-ingress`,
        {
            ingressName: i.name,
            namespace: i.namespace,
            host: i.host,
            ...backend,
            certificateAnnotations: routing.certificateAnnotations,
            ingressClassName: routing.ingressClassName,
            awaitStatus: routing.ingressReportsStatus ?? true,
            labels,
            refused: { ...refused, paths: refusedPaths },
        },
        opts,
    );
    return portalUrl(i.host);
}

export interface TlsIngressArgs {
    /** Name of the Ingress; its certificate goes in the `<ingressName>-tls` Secret. */
    readonly ingressName: string;
    /** Namespace of the Ingress and of the Services it routes to. */
    readonly namespace: pulumi.Input<string>;
    /** Hostname the Ingress answers and its certificate covers. */
    readonly host: string;
    /** Service that `/` routes to (the instance's web server or web gateway). */
    readonly serviceName: string;
    /** Port of that Service. */
    readonly servicePort: number;
    /**
     * What the add-on layer's certificate issuer needs on an Ingress (cert-manager's HTTP-01
     * annotations); without it the Ingress has no certificate source.
     */
    readonly certificateAnnotations?: Readonly<Record<string, string>>;
    /** IngressClass of the Ingress; absent: the cluster's default class. */
    readonly ingressClassName?: string;
    /** Wait for the controller to report the Ingress's address (false: it never will, e.g. NodePort). */
    readonly awaitStatus: boolean;
    /** Labels of the Ingress. */
    readonly labels: Record<string, string>;
    /** Prefix paths sent to a Service that answers nothing (longer paths win over `/`). */
    readonly refused?: {
        /** Service with no endpoints the refused paths route to (`<instance>-refused`). */
        readonly serviceName: string;
        /** Port of that Service. */
        readonly servicePort: number;
        /** Path prefixes refused (e.g. `/api/monitor`, for Prometheus inside the cluster only). */
        readonly paths: readonly string[];
    };
}

/** An Ingress for one host, TLS from the stack's ClusterIssuer (certificate in `<name>-tls`). */
export function tlsIngress(
    name: string,
    args: TlsIngressArgs,
    opts: pulumi.CustomResourceOptions,
): networkingv1.Ingress {
    const annotations: Record<string, string> = {};
    // The provider waits for .status.loadBalancer on every Ingress; a NodePort controller never fills it.
    if (!args.awaitStatus) annotations["pulumi.com/skipAwait"] = "true";
    if (args.certificateAnnotations) {
        // HTTP-01 on F5's nginx-ingress: the solver path goes into this Ingress (edit-in-place).
        Object.assign(annotations, args.certificateAnnotations);
        // cert-manager then co-owns spec.rules (an atomic list) through server-side apply, and the
        // program's next change would fail with a conflict. Forcing is safe: cert-manager adds its
        // solver path only while a challenge runs and re-adds it if an update drops it mid-challenge.
        annotations["pulumi.com/patchForce"] = "true";
    }
    const refused = args.refused;
    const refusedRoutes = refused
        ? refused.paths.map((path) => ({
              path,
              pathType: "Prefix",
              backend: {
                  service: { name: refused.serviceName, port: { number: refused.servicePort } },
              },
          }))
        : [];
    return new networkingv1.Ingress(
        name,
        {
            metadata: {
                name: args.ingressName,
                namespace: args.namespace,
                labels: args.labels,
                annotations,
            },
            spec: {
                ingressClassName: args.ingressClassName,
                tls: [{ hosts: [args.host], secretName: `${args.ingressName}-tls` }],
                rules: [
                    {
                        host: args.host,
                        http: {
                            paths: [
                                {
                                    path: "/",
                                    pathType: "Prefix",
                                    backend: {
                                        service: {
                                            name: args.serviceName,
                                            port: { number: args.servicePort },
                                        },
                                    },
                                },
                                // Longer paths win whatever the order (refused-paths.ts).
                                ...refusedRoutes,
                            ],
                        },
                    },
                ],
            },
        },
        opts,
    );
}
