/**
 * Paths the public Ingress of an instance must not serve. `/api/monitor` is IRIS's metrics web
 * application, which InterSystems ships with unauthenticated access ("Monitoring InterSystems
 * IRIS Using REST API", docs.intersystems.com GCM_rest); Prometheus scrapes it in the cluster
 * through the `<name>-metrics` Service, never through the Ingress.
 *
 * How: the Ingress routes these paths to a Service without endpoints. Kubernetes gives the longest
 * matching path precedence (kubernetes.io/docs/concepts/services-networking/ingress, "Multiple
 * matches"), so `/api/monitor/…` goes there rather than to `/`. F5's NGINX Ingress Controller
 * proxies a backend without endpoints to its default upstream server, which answers 502
 * (nginx/kubernetes-ingress v5.5.4 internal/configs/ingress.go and version1/config.go
 * `NewUpstreamWithDefaultServer`); community ingress-nginx answers 503. No controller-specific
 * annotation or snippet is needed.
 */
import * as corev1 from "@pulumi/kubernetes/core/v1";
import type * as pulumi from "@pulumi/pulumi";

/**
 * Prefix paths refused at every instance's public Ingress. IRIS discards its CSPConfigName (by
 * default the instance name in lower case) from the start of a request path before choosing the
 * web application (docs.intersystems.com GCGI_remote_csp_multi), and the instance in InterSystems'
 * containers is named IRIS, so `/iris/api/monitor/…` reaches `/api/monitor` too.
 */
export const refusedPaths: readonly string[] = ["/api/monitor", "/iris/api/monitor"];

/** The Service refused paths route to: no selector and no endpoints, so nothing answers. */
export function refusedService(
    name: string,
    i: { name: string; namespace: string },
    labels: Record<string, string>,
    opts: pulumi.CustomResourceOptions,
): { serviceName: string; servicePort: number } {
    const serviceName = `${i.name}-refused`;
    const servicePort = 80;
    new corev1.Service(
        name,
        {
            metadata: { name: serviceName, namespace: i.namespace, labels },
            // Without a selector Kubernetes creates no EndpointSlices, and nothing here does.
            spec: { ports: [{ name: "refused", port: servicePort }] },
        },
        opts,
    );
    return { serviceName, servicePort };
}
