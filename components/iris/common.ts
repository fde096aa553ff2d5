/**
 * Building blocks shared by both IRIS modes: image pull secret, licence
 * Secret, the TLS Ingress in front of the management portal, and the
 * PasswordHash (salted with random bytes kept in state).
 */
import * as pulumi from "@pulumi/pulumi";
import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as networkingv1 from "@pulumi/kubernetes/networking/v1";
import type { Provider as RandomProvider } from "@pulumi/random/provider";
import type { IrisInstanceConfig } from "../../config";
import { RandomBytes } from "@pulumi/random/randomBytes";
import { irisPasswordHash, passwordHashSaltBytes, validatePasswordHash } from "./password-hash";
import type { MetricsLogin } from "./cpf";
import { refusedPaths, refusedService } from "./refused-paths";
import { acmeIngressAnnotations } from "../addons/cert-manager-issuers";

/** Registry credentials for the pull secret (the token is secret). */
export interface RegistryLogin {
    readonly server: string;
    readonly username: string;
    readonly token: pulumi.Output<string>;
}

/** The `.dockerconfigjson` document for one registry login. */
export function renderDockerConfigJson(server: string, username: string, token: string): string {
    const auth = Buffer.from(`${username}:${token}`, "utf8").toString("base64");
    return JSON.stringify({ auths: { [server]: { username, password: token, auth } } });
}

/** Labels every IRIS-layer object carries. */
export function irisLabels(instance: string): Record<string, string> {
    return {
        "app.kubernetes.io/name": "iris",
        "app.kubernetes.io/instance": instance,
        "app.kubernetes.io/managed-by": "pulumi",
    };
}

/** The management portal's HTTPS URL behind an instance's ingress host. */
export function portalUrl(host: string): string {
    return `https://${host}/csp/sys/UtilHome.csp`;
}

/**
 * A `kubernetes.io/dockerconfigjson` Secret; the whole document is a Pulumi secret. Pulumi names
 * it (`<resource>-<suffix>`), as the licence Secret below: a new token is a new Secret, created
 * before the operator's values, the IrisCluster or the pod template are pointed at it, and the old
 * one is deleted last, so no pull ever finds it missing. Its resource name (and URN) is the one
 * the fixed-name Secret had: on a stack deployed with the fixed name `intersystems-pull-secret`,
 * the next `up` replaces it the same way (the names differ, so create before delete).
 */
export function pullSecret(
    name: string,
    namespace: pulumi.Input<string>,
    login: RegistryLogin,
    opts: pulumi.CustomResourceOptions,
): corev1.Secret {
    const json = pulumi.secret(
        login.token.apply((token) => renderDockerConfigJson(login.server, login.username, token)),
    );
    return new corev1.Secret(
        name,
        {
            metadata: { namespace },
            type: "kubernetes.io/dockerconfigjson",
            stringData: { ".dockerconfigjson": json },
        },
        opts,
    );
}

/**
 * The licence Secret IKO (`licenseKeySecret`) and the standalone pod read; key `iris.key`.
 * Pulumi names it (`<resource>-<suffix>`): a new key is a new Secret, created before the
 * IrisCluster or pod template is pointed at it (which rolls the pods), and the old one is
 * deleted last. A fixed name would be deleted before its replacement and roll nothing
 * (pulumi-kubernetes provider, toolchain's pinned module: pkg/provider/diff.go
 * forceNewProperties replaces a Secret whose data changes unless `enableSecretMutable`;
 * pkg/provider/provider.go Diff deletes a same-named object before replacing it).
 */
export function licenseSecret(
    name: string,
    args: {
        namespace: pulumi.Input<string>;
        key: pulumi.Output<string>;
        labels: Record<string, string>;
    },
    opts: pulumi.CustomResourceOptions,
): corev1.Secret {
    return new corev1.Secret(
        name,
        {
            metadata: { namespace: args.namespace, labels: args.labels },
            type: "Opaque",
            stringData: { "iris.key": pulumi.secret(args.key) },
        },
        opts,
    );
}

/**
 * The instance's licence Secret when a key is given (community images have none);
 * returns its (Pulumi-given) name for the pod or IrisCluster.
 */
export function instanceLicense(
    name: string,
    i: { name: string; namespace: string },
    key: pulumi.Output<string> | undefined,
    labels: Record<string, string>,
    opts: pulumi.CustomResourceOptions,
): { secretName?: pulumi.Output<string>; secret?: corev1.Secret } {
    if (!key) return {};
    const secret = licenseSecret(`${name}-license`, { namespace: i.namespace, key, labels }, opts);
    return { secretName: secret.metadata.name, secret };
}

/** The instance's TLS Ingress to `backend` and its portal URL, when it has a host. */
export function instancePortal(
    name: string,
    i: { name: string; namespace: string; host?: string },
    backend: { serviceName: string; servicePort: number },
    routing: { clusterIssuer?: string; ingressClassName?: string; ingressReportsStatus?: boolean },
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
            clusterIssuer: routing.clusterIssuer,
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
    readonly ingressName: string;
    readonly namespace: pulumi.Input<string>;
    readonly host: string;
    readonly serviceName: string;
    readonly servicePort: number;
    /** cert-manager ClusterIssuer; without it the Ingress has no certificate source. */
    readonly clusterIssuer?: string;
    readonly ingressClassName?: string;
    /** Wait for the controller to report the Ingress's address (false: it never will, e.g. NodePort). */
    readonly awaitStatus: boolean;
    readonly labels: Record<string, string>;
    /** Prefix paths sent to a Service that answers nothing (longer paths win over `/`). */
    readonly refused?: {
        readonly serviceName: string;
        readonly servicePort: number;
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
    if (args.clusterIssuer) {
        // HTTP-01 on F5's nginx-ingress: the solver path goes into this Ingress (edit-in-place).
        Object.assign(annotations, acmeIngressAnnotations(args.clusterIssuer));
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

/**
 * What both kinds of IRIS instance (IKO IrisCluster, durable Deployment) take. Options:
 * `providers` (kubernetes and random), `dependsOn` (the namespace and its pull secret).
 */
export interface InstanceArgs {
    /** The instance's config entry (`iris.instances[]`). */
    readonly instance: IrisInstanceConfig;
    /** StorageClass of every IRIS volume (the add-ons' Retain class). */
    readonly storageClassName: string;
    /** Default password or its hash (secrets). */
    readonly password: PasswordSource;
    /** Licence key (secret); absent for community images. */
    readonly licenseKey?: pulumi.Output<string>;
    /** Pull secret name (Pulumi-given) in the namespace, if the registry needs a login. */
    readonly imagePullSecret?: pulumi.Input<string>;
    readonly clusterIssuer?: string;
    readonly ingressClassName?: string;
    /** See `IrisLayerArgs.ingressReportsStatus`. */
    readonly ingressReportsStatus?: boolean;
    /** `protect` the instance's workload and volumes (production). */
    readonly protect: boolean;
    /** The PV a restore made for the durable claim (`restoreFrom`): the claim binds to it. */
    readonly restoredVolume?: string;
    /** What the volumes need besides: the StorageClass (Longhorn) and any restore. */
    readonly storageReady: pulumi.Input<pulumi.Resource>[];
    /** What the portal Ingress needs besides: the ingress controller and the ClusterIssuers. */
    readonly routingReady: pulumi.Input<pulumi.Resource>[];
    /**
     * What the workload waits for before an image change: the pre-upgrade backup Job and the
     * downgrade guard (components/iris/pre-upgrade.ts, downgrade-guard.ts).
     */
    readonly upgradeReady?: pulumi.Input<pulumi.Resource>[];
    /** The login `/api/monitor` then requires (`monitoring.iris.username`, `irisMetricsPassword`). */
    readonly metricsLogin?: { readonly username: string; readonly password: pulumi.Output<string> };
}

/** How the default password arrives: the password (hashed here) or a ready hash. */
export interface PasswordSource {
    readonly password?: pulumi.Output<string>;
    readonly passwordHash?: pulumi.Output<string>;
}

/**
 * The `PasswordHash` value (a Pulumi secret). A password is hashed with a
 * random 64-byte salt kept in state (`random.RandomBytes`), so the value is
 * stable between updates and unique per instance.
 */
export function passwordHashFor(
    name: string,
    source: PasswordSource,
    randomProvider: RandomProvider,
    opts: pulumi.CustomResourceOptions,
): pulumi.Output<string> | undefined {
    if (source.passwordHash) return pulumi.secret(source.passwordHash.apply(validatePasswordHash));
    if (!source.password) return undefined;
    const salt = new RandomBytes(
        name,
        { length: passwordHashSaltBytes },
        { ...opts, provider: randomProvider },
    );
    return pulumi.secret(
        pulumi
            .all([source.password, salt.hex])
            .apply(([password, hex]) => irisPasswordHash(password, hex)),
    );
}

/**
 * The `/api/monitor` user as the CPF merge writes it (username and a secret PasswordHash with a
 * salt of its own, `<name>-metrics-salt`), or undefined when no metrics login is configured.
 */
export function metricsLoginFor(
    name: string,
    login: InstanceArgs["metricsLogin"],
    randomProvider: RandomProvider,
    opts: pulumi.CustomResourceOptions,
): pulumi.Output<MetricsLogin | undefined> {
    const hash = login
        ? passwordHashFor(
              `${name}-metrics-salt`,
              { password: login.password },
              randomProvider,
              opts,
          )
        : undefined;
    return login && hash
        ? hash.apply((passwordHash) => ({ username: login.username, passwordHash }))
        : pulumi.output(undefined);
}
