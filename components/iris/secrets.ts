/**
 * The Secrets IRIS pods mount or IKO reads: the image pull secret and the licence. Pulumi
 * names both, so a rotation creates the new Secret before anything points at it.
 */
import * as pulumi from "@pulumi/pulumi";
import * as corev1 from "@pulumi/kubernetes/core/v1";

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
