/** What both kinds of IRIS instance take (IrisClusterInstance, DurableIris). */
import type * as pulumi from "@pulumi/pulumi";
import type { IrisInstanceSettings } from "./settings";

/**
 * What both kinds of IRIS instance (IKO IrisCluster, durable Deployment) take. Options:
 * `providers` (kubernetes and random), `dependsOn` (the namespace and its pull secret).
 */
export interface InstanceArgs {
    /** The instance's config entry (`iris.instances[]`). */
    readonly instance: IrisInstanceSettings;
    /** StorageClass of every IRIS volume (the add-ons' Retain class). */
    readonly storageClassName: string;
    /** Default password or its hash (secrets). */
    readonly password: PasswordSource;
    /** Licence key (secret); absent for community images. */
    readonly licenseKey?: pulumi.Output<string>;
    /** Pull secret name (Pulumi-given) in the namespace, if the registry needs a login. */
    readonly imagePullSecret?: pulumi.Input<string>;
    /** Annotations that get the portal Ingress its certificate (the add-on layer's issuer). */
    readonly certificateAnnotations?: Readonly<Record<string, string>>;
    /** IngressClass of the portal Ingress; absent: the cluster's default class. */
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
    readonly metricsLogin?: {
        /** IRIS user the CPF merge creates for `/api/monitor`. */
        readonly username: string;
        /** Its password (secret); only a salted hash of it reaches the CPF. */
        readonly password: pulumi.Output<string>;
    };
}

/** How the default password arrives: the password (hashed here) or a ready hash. */
export interface PasswordSource {
    readonly password?: pulumi.Output<string>;
    readonly passwordHash?: pulumi.Output<string>;
}
