/**
 * Pure Helm values for the two nginx controllers the platform can install.
 * Every key exists in the upstream values file (keys recorded in test/fixtures/chart-keys):
 *   upstream nginx-ingress-2.6.4/values.yaml   (F5, default)
 *   upstream ingress-nginx-4.15.1/values.yaml  (community, retired)
 */

export type IngressController = "nginx-ingress" | "ingress-nginx";

/** The IngressClass both controllers serve; IRIS ingresses and the HTTP-01 solver use it. */
export const ingressClassName = "nginx";

/** IRIS superserver port, exposed as plain TCP when asked. */
export const superserverPort = 1972;

/** Name of the nginx-ingress GlobalConfiguration listener a TransportServer attaches to. */
export const superserverListener = "iris-superserver";

/** Port name on the controller pod and Service (IANA service names are at most 15 characters). */
const superserverPortName = "superserver";

/** Everything the values depend on, already resolved to plain values. */
export interface IngressValuesInput {
    readonly controller: IngressController;
    readonly replicas: number;
    /** Make `nginx` the cluster's default IngressClass. */
    readonly defaultClass: boolean;
    /** LoadBalancer (clouds, MetalLB) or NodePort (clusters without a load balancer). */
    readonly serviceType: "LoadBalancer" | "NodePort";
    /** Reserved address for `spec.loadBalancerIP` (GKE regional IP, MetalLB), if any. */
    readonly loadBalancerIP?: string;
    /** Annotations that make the cloud's LB take the reserved address (Azure PIP, AWS NLB EIPs). */
    readonly serviceAnnotations: Readonly<Record<string, string>>;
    /** Whether the LB keeps the client IP with `externalTrafficPolicy: Local`. */
    readonly preservesClientIp: boolean;
    /** `namespace/service` of the IRIS superserver to expose on TCP 1972 (ingress-nginx `tcp` map). */
    readonly superserverTarget?: string;
    /** Open the TCP 1972 listener (nginx-ingress: GlobalConfiguration + ports; a TransportServer routes it). */
    readonly exposeSuperserver: boolean;
}

/** The warning the community controller gets, or undefined for the maintained one. */
export function controllerWarning(controller: IngressController): string | undefined {
    if (controller !== "ingress-nginx") return undefined;
    return (
        "iris-platform:ingress.controller: ingress-nginx (community) was retired upstream in March 2026 and gets no more " +
        "releases or CVE fixes; switch to nginx-ingress (F5 NGINX Ingress Controller), which serves the same IngressClass `nginx`."
    );
}

/** Values for the controller's chart. */
export function ingressValues(input: IngressValuesInput): Record<string, unknown> {
    return input.controller === "nginx-ingress"
        ? nginxIngressValues(input)
        : ingressNginxValues(input);
}

function trafficPolicy(input: IngressValuesInput): "Local" | "Cluster" {
    // Local keeps the client IP (audit logs, allow-lists) but needs an LB that health-checks nodes.
    return input.preservesClientIp ? "Local" : "Cluster";
}

/** The controller Service's values; both charts spell these keys alike (`controller.service`). */
function controllerService(input: IngressValuesInput): Record<string, unknown> {
    const service: Record<string, unknown> = {
        type: input.serviceType,
        externalTrafficPolicy: trafficPolicy(input),
        annotations: { ...input.serviceAnnotations },
    };
    if (input.loadBalancerIP && input.serviceType === "LoadBalancer")
        service.loadBalancerIP = input.loadBalancerIP;
    return service;
}

/** F5 NGINX Ingress Controller (chart nginx-ingress). */
function nginxIngressValues(input: IngressValuesInput): Record<string, unknown> {
    const service = controllerService(input);
    const controller: Record<string, unknown> = {
        replicaCount: input.replicas,
        ingressClass: {
            name: ingressClassName,
            create: true,
            setAsDefaultIngress: input.defaultClass,
        },
        // Needed for TransportServer / GlobalConfiguration; it is the chart default, set so it cannot drift.
        enableCustomResources: true,
        service,
    };
    if (input.exposeSuperserver) {
        const port = { name: superserverPortName, protocol: "TCP" };
        controller.globalConfiguration = {
            create: true,
            spec: {
                listeners: [{ name: superserverListener, port: superserverPort, protocol: "TCP" }],
            },
        };
        controller.customPorts = [{ ...port, containerPort: superserverPort }];
        service.customPorts = [{ ...port, port: superserverPort, targetPort: superserverPort }];
    }
    return { controller };
}

/** Community ingress-nginx (retired upstream). */
function ingressNginxValues(input: IngressValuesInput): Record<string, unknown> {
    const service = controllerService(input);
    const values: Record<string, unknown> = {
        controller: {
            replicaCount: input.replicas,
            ingressClass: ingressClassName,
            ingressClassResource: {
                name: ingressClassName,
                enabled: true,
                default: input.defaultClass,
            },
            service,
        },
    };
    // The chart turns the `tcp` map into its tcp-services ConfigMap and adds the port to the Service.
    if (input.exposeSuperserver && input.superserverTarget) {
        values.tcp = { [String(superserverPort)]: `${input.superserverTarget}:${superserverPort}` };
    }
    return values;
}
