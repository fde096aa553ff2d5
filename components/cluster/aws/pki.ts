/**
 * The cluster's PKI and bootstrap secrets, made by the program so the whole
 * cluster is declarative: kubeadm finds our CAs on disk and signs its own leaf
 * certificates with them, the discovery hash is known before any node exists,
 * and the admin kubeconfig needs no SSH. Everything secret goes to SSM
 * SecureString under `/iris-platform/<cluster>/`, which nodes read at boot.
 */
import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { PrivateKey } from "@pulumi/tls/privateKey";
import { SelfSignedCert } from "@pulumi/tls/selfSignedCert";
import { CertRequest } from "@pulumi/tls/certRequest";
import { LocallySignedCert } from "@pulumi/tls/locallySignedCert";
import { RandomString } from "@pulumi/random/randomString";
import { RandomPassword } from "@pulumi/random/randomPassword";
import { RandomBytes } from "@pulumi/random/randomBytes";
import * as ssm from "@pulumi/aws/ssm";
import type { Provider as TlsProvider } from "@pulumi/tls/provider";
import type { Provider as RandomProvider } from "@pulumi/random/provider";
import type { Provider as AwsProvider } from "@pulumi/aws/provider";
import type { ChildOptions } from "../../providers";

/**
 * kubeadm's discovery hash: `sha256:` + hex SHA-256 of the CA certificate's
 * DER-encoded SubjectPublicKeyInfo (what `kubeadm join --discovery-token-ca-cert-hash` pins).
 */
export function discoveryHash(caCertPem: string): string {
    const spki = new crypto.X509Certificate(caCertPem).publicKey.export({
        type: "spki",
        format: "der",
    });
    return `sha256:${crypto.createHash("sha256").update(spki).digest("hex")}`;
}

/** SSM parameter path prefix of a cluster; instance roles may read only below it. */
export function ssmPrefix(clusterName: string): string {
    return `/iris-platform/${clusterName}`;
}

/** One file a control-plane node fetches from SSM before `kubeadm init/join`. */
export interface PkiFile {
    /** Parameter name below `<prefix>/`. */
    readonly param: string;
    /** Where kubeadm expects it. */
    readonly path: string;
    /** Private keys are SecureString and mode 0600. */
    readonly secret: boolean;
}

/** The shared control-plane material, at kubeadm's default paths (pure data). */
export const controlPlaneFiles: readonly PkiFile[] = [
    { param: "pki/ca.crt", path: "/etc/kubernetes/pki/ca.crt", secret: false },
    { param: "pki/ca.key", path: "/etc/kubernetes/pki/ca.key", secret: true },
    {
        param: "pki/front-proxy-ca.crt",
        path: "/etc/kubernetes/pki/front-proxy-ca.crt",
        secret: false,
    },
    {
        param: "pki/front-proxy-ca.key",
        path: "/etc/kubernetes/pki/front-proxy-ca.key",
        secret: true,
    },
    { param: "pki/etcd/ca.crt", path: "/etc/kubernetes/pki/etcd/ca.crt", secret: false },
    { param: "pki/etcd/ca.key", path: "/etc/kubernetes/pki/etcd/ca.key", secret: true },
    { param: "pki/sa.key", path: "/etc/kubernetes/pki/sa.key", secret: true },
    { param: "pki/sa.pub", path: "/etc/kubernetes/pki/sa.pub", secret: false },
];
/** Bootstrap token `[a-z0-9]{6}.[a-z0-9]{16}`: workers and control plane. */
export const tokenParam = "join/token";
/** kubeadm certificate key (32 bytes, hex): control plane only. */
export const certificateKeyParam = "join/certificate-key";

export interface Pki {
    /** Cluster CA certificate (PEM, public). */
    readonly caCertPem: pulumi.Output<string>;
    /** `sha256:<hex>` of the CA's public key. */
    readonly discoveryHash: pulumi.Output<string>;
    /** Admin client certificate and key (group kubeadm:cluster-admins). */
    readonly adminCertPem: pulumi.Output<string>;
    readonly adminKeyPem: pulumi.Output<string>;
    /** Parameters every control-plane node reads. */
    readonly controlPlaneParams: ssm.Parameter[];
    /** The one parameter workers read (the bootstrap token). */
    readonly tokenParam: ssm.Parameter;
}

const caUses = ["cert_signing", "key_encipherment", "digital_signature"];
/** kubeadm's own CA lifetime; the CA is never renewed by the program (replacing it would orphan every node). */
const caValidityHours = 10 * 365 * 24;

/** Explicit providers per package (stacks disable default providers), and the cluster's child options. */
export interface PkiProviders extends ChildOptions {
    readonly aws: AwsProvider;
    readonly tls: TlsProvider;
    readonly random: RandomProvider;
}

export function createPki(name: string, clusterName: string, p: PkiProviders): Pki {
    const own = { parent: p.parent, dependsOn: p.dependsOn };
    const tlsOpts = { ...own, provider: p.tls };
    const randomOpts = { ...own, provider: p.random };
    const opts = { ...own, provider: p.aws };
    const key = (role: string) =>
        new PrivateKey(`${name}-${role}-key`, { algorithm: "RSA", rsaBits: 2048 }, tlsOpts);
    const ca = (role: string, commonName: string) => {
        const k = key(role);
        const cert = new SelfSignedCert(
            `${name}-${role}`,
            {
                privateKeyPem: k.privateKeyPem,
                isCaCertificate: true,
                allowedUses: caUses,
                validityPeriodHours: caValidityHours,
                subject: { commonName },
            },
            tlsOpts,
        );
        return { key: k, cert };
    };
    const clusterCa = ca("ca", "kubernetes");
    const frontProxyCa = ca("front-proxy-ca", "front-proxy-ca");
    const etcdCa = ca("etcd-ca", "etcd-ca");
    const saKey = key("sa");

    const lowerAlnum = { special: false, upper: false, lower: true, numeric: true };
    // The token id is public (it names the bootstrap-token Secret); the secret half and the
    // certificate key must not sit in plain text in the state: RandomString and RandomId keep
    // their value in the resource id, RandomPassword and RandomBytes keep it secret (id "none").
    const tokenId = new RandomString(`${name}-token-id`, { length: 6, ...lowerAlnum }, randomOpts);
    const tokenSecret = new RandomPassword(
        `${name}-token-secret`,
        { length: 16, ...lowerAlnum },
        randomOpts,
    );
    const token = pulumi.secret(pulumi.interpolate`${tokenId.result}.${tokenSecret.result}`);
    const certificateKey = new RandomBytes(`${name}-certificate-key`, { length: 32 }, randomOpts);

    // The admin is in kubeadm:cluster-admins (bound to cluster-admin by kubeadm init), not system:masters,
    // so its access can be revoked by deleting that binding.
    const adminKey = key("admin");
    const adminCsr = new CertRequest(
        `${name}-admin`,
        {
            privateKeyPem: adminKey.privateKeyPem,
            subject: { commonName: "iris-platform-admin", organization: "kubeadm:cluster-admins" },
        },
        tlsOpts,
    );
    const adminCert = new LocallySignedCert(
        `${name}-admin`,
        {
            certRequestPem: adminCsr.certRequestPem,
            caPrivateKeyPem: clusterCa.key.privateKeyPem,
            caCertPem: clusterCa.cert.certPem,
            allowedUses: ["client_auth", "digital_signature", "key_encipherment"],
            validityPeriodHours: 365 * 24,
            // `pulumi up` in the last 30 days of validity issues a fresh one.
            earlyRenewalHours: 30 * 24,
        },
        tlsOpts,
    );

    const prefix = ssmPrefix(clusterName);
    const param = (suffix: string, value: pulumi.Input<string>, secret: boolean) =>
        new ssm.Parameter(
            `${name}-${suffix.replace(/[/.]/g, "-")}`,
            {
                name: `${prefix}/${suffix}`,
                type: secret ? "SecureString" : "String",
                value: secret ? pulumi.secret(value) : value,
                description: `kubeadm bootstrap material of cluster ${clusterName} (iris-platform)`,
            },
            opts,
        );
    const values: Record<string, pulumi.Input<string>> = {
        "pki/ca.crt": clusterCa.cert.certPem,
        "pki/ca.key": clusterCa.key.privateKeyPem,
        "pki/front-proxy-ca.crt": frontProxyCa.cert.certPem,
        "pki/front-proxy-ca.key": frontProxyCa.key.privateKeyPem,
        "pki/etcd/ca.crt": etcdCa.cert.certPem,
        "pki/etcd/ca.key": etcdCa.key.privateKeyPem,
        "pki/sa.key": saKey.privateKeyPem,
        "pki/sa.pub": saKey.publicKeyPem,
    };
    const tokenParameter = param(tokenParam, token, true);
    const controlPlaneParams = [
        ...controlPlaneFiles.map((f) => param(f.param, values[f.param], f.secret)),
        tokenParameter,
        param(certificateKeyParam, certificateKey.hex, true),
    ];

    return {
        caCertPem: clusterCa.cert.certPem,
        discoveryHash: clusterCa.cert.certPem.apply(discoveryHash),
        adminCertPem: adminCert.certPem,
        adminKeyPem: pulumi.secret(adminKey.privateKeyPem),
        controlPlaneParams,
        tokenParam: tokenParameter,
    };
}
