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
    /** Namespace of the instance and of its metrics Service. */
    readonly namespace: string;
    /** Instance name: names the metrics Service and ServiceMonitor (`<name>-metrics`, `<name>-iris`). */
    readonly name: string;
    /** Labels of the pods that serve the endpoint (IKO's web gateway, or the standalone pod). */
    readonly selector: Readonly<Record<string, string>>;
    /** Container port the pods serve metrics on (80 on IKO's web gateway, else the private web server's). */
    readonly port: number;
    /** HTTP path of the metrics (`/api/monitor/metrics`). */
    readonly path: string;
}

/** What an instance's alert thresholds depend on. */
export interface IrisInstanceFacts {
    /** Namespace of the instance (a label of its alerts). */
    readonly namespace: string;
    /** Instance name (with the namespace, its `iris_instance` alert label). */
    readonly name: string;
    /** IKO `data.topology: mirrored`: a primary and a backup data pod. */
    readonly mirrored: boolean;
    /** ECP application servers (IKO compute nodes) connected to the data server. */
    readonly computeReplicas: number;
    /** MiB of the volume under each journal directory (primary, secondary, WIJ). */
    readonly journalVolumesMiB: {
        /** MiB of the primary journal directory's volume (IKO journal1; standalone: its one volume). */
        readonly primary: number;
        /** MiB of the secondary journal directory's volume (IKO journal2; standalone: its one volume). */
        readonly secondary: number;
        /** MiB of the write image journal's volume (IKO wij; standalone: its one volume). */
        readonly WIJ: number;
    };
    /** The backup-set CronJob, its schedule and the longest a run may take; absent: no sets. */
    readonly backup?: {
        /** Name of the backup-set CronJob, as kube-state-metrics reports it (`cronjob` label). */
        readonly cronJob: string;
        /** Its cron schedule; the longest gap between runs sets when a set is overdue. */
        readonly schedule: string;
        /** Longest a run may take, in seconds: the starting deadline plus the Job's active deadline. */
        readonly maxRunSeconds: number;
    };
}

/** The facts of the whole layer. */
export interface IrisPublished {
    /** Where Prometheus scrapes each instance. */
    readonly metricsTargets: readonly IrisMetricsTarget[];
    /** The Service TCP 1972 of the ingress controller forwards to: the first instance's. */
    readonly superserver?: {
        /** Namespace of the first instance. */
        readonly namespace: string;
        /** Its Service with port 1972 (named after the instance). */
        readonly service: string;
    };
    /** Per-instance facts the alert rules' thresholds are computed from. */
    readonly instances: readonly IrisInstanceFacts[];
    /** The label names IKO sets on IrisCluster pods. */
    readonly podLabels: IrisPodLabels;
}
