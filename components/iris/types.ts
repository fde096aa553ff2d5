/**
 * The IRIS layer's contract: the facts it publishes for the layers beside it (published.ts
 * computes them). Other layers import these types, and nothing else of the layer.
 */

/** Names of the labels IKO puts on IrisCluster pods. */
export interface IrisPodLabels {
    /** The IrisCluster's name. */
    readonly instance: string;
    /** The pod's role (`data`, `compute`, `webgateway`, …). */
    readonly component: string;
    /** `primary`/`backup` on mirrored data pods. */
    readonly mirrorRole: string;
}

/** An instance's metrics endpoint: the pods that serve `/api/monitor/metrics`, their port and the path. */
export interface IrisMetricsTarget {
    readonly namespace: string;
    readonly name: string;
    /** Labels of the pods that serve the endpoint (IKO's web gateway, or the standalone pod). */
    readonly selector: Readonly<Record<string, string>>;
    readonly port: number;
    readonly path: string;
}

/** What an instance's alert thresholds depend on. */
export interface IrisInstanceFacts {
    readonly namespace: string;
    readonly name: string;
    /** IKO `data.topology: mirrored`: a primary and a backup data pod. */
    readonly mirrored: boolean;
    /** ECP application servers (IKO compute nodes) connected to the data server. */
    readonly computeReplicas: number;
    /** MiB of the volume under each journal directory (primary, secondary, WIJ). */
    readonly journalVolumesMiB: {
        readonly primary: number;
        readonly secondary: number;
        readonly WIJ: number;
    };
    /** The backup-set CronJob, its schedule and the longest a run may take; absent: no sets. */
    readonly backup?: {
        readonly cronJob: string;
        readonly schedule: string;
        readonly maxRunSeconds: number;
    };
}

/** The facts of the whole layer. */
export interface IrisPublished {
    readonly metricsTargets: readonly IrisMetricsTarget[];
    /** The Service TCP 1972 of the ingress controller forwards to: the first instance's. */
    readonly superserver?: { readonly namespace: string; readonly service: string };
    readonly instances: readonly IrisInstanceFacts[];
    /** The label names IKO sets on IrisCluster pods. */
    readonly podLabels: IrisPodLabels;
}
