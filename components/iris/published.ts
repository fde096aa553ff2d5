/**
 * What the IRIS layer publishes for the layers beside it, decided here once: where each
 * instance serves its metrics (pods, port, path), which Service takes the superserver port,
 * the pod labels IKO sets, and each instance's volumes and backup schedule (the alert
 * thresholds follow them). Pure, so the platform can hand the facts to a layer built before
 * the IRIS layer (the ingress controller's TCP route).
 */
import { quantityMiB } from "../../domain/quantity";
import { backupCronJobName, backupJobLimits, type IrisBackups } from "./backup";
import { ports } from "./durable-instance";
import { ikoLabels, irisLabels } from "./labels";
import type { IrisInstanceSettings } from "./settings";
import type { IrisInstanceFacts, IrisMetricsTarget, IrisPublished } from "./types";

export type { IrisInstanceFacts, IrisMetricsTarget, IrisPublished } from "./types";

/** Path of IRIS's metrics endpoint (InterSystems, "Monitoring InterSystems IRIS Using REST API", KEY=GCM_rest). */
export const irisMetricsPath = "/api/monitor/metrics";

/** The layer's facts for these instances (and their backup plans, when sets are on). */
export function irisPublished(
    instances: readonly IrisInstanceSettings[],
    backups: IrisBackups | undefined,
): IrisPublished {
    return {
        metricsTargets: instances.map(metricsTarget),
        superserver: superserverService(instances),
        instances: instances.map((i) => instanceFacts(i, backups)),
        podLabels: ikoLabels,
    };
}

/**
 * The Service the ingress controller's TCP 1972 forwards to: the first instance's. Both modes
 * name the instance's Service after the instance, with port 1972 (durable-instance.ts `ports`;
 * IKO's `<name>` Service of the data node).
 */
export function superserverService(
    instances: readonly IrisInstanceSettings[],
): IrisPublished["superserver"] {
    const first = instances[0];
    return first ? { namespace: first.namespace, service: first.name } : undefined;
}

/**
 * Where an instance serves `/api/monitor/metrics`: IKO's web gateway (port 80, `/api` among its
 * paths), else the data pod's private web server, which only community images still ship.
 */
function metricsTarget(i: IrisInstanceSettings): IrisMetricsTarget {
    const at = { namespace: i.namespace, name: i.name, path: irisMetricsPath };
    if (i.mode === "standalone") return { ...at, selector: irisLabels(i.name), port: ports.web };
    const gateway = i.webgateway.replicas > 0;
    return {
        ...at,
        selector: {
            [ikoLabels.instance]: i.name,
            [ikoLabels.component]: gateway ? "webgateway" : "data",
        },
        port: gateway ? 80 : ports.web,
    };
}

function instanceFacts(
    i: IrisInstanceSettings,
    backups: IrisBackups | undefined,
): IrisInstanceFacts {
    const mib = (q: string) => {
        const v = quantityMiB(q);
        if (v === undefined) throw new Error(`iris.instances ${i.name}: size ${q} is not bytes`);
        return v;
    };
    // IKO mounts journal1/journal2/WIJ volumes; a standalone instance keeps them all on its one
    // durable volume (durable-instance.ts).
    const iko = i.mode === "iko";
    const plan = backups?.plans[`${i.namespace}/${i.name}`];
    const limits = plan && backupJobLimits(plan.freezeTimeoutSeconds);
    return {
        namespace: i.namespace,
        name: i.name,
        mirrored: iko && i.data.topology === "mirrored",
        computeReplicas: iko ? i.compute.replicas : 0,
        journalVolumesMiB: {
            primary: mib(iko ? i.storage.journal1 : i.storage.data),
            secondary: mib(iko ? i.storage.journal2 : i.storage.data),
            WIJ: mib(iko ? i.storage.wij : i.storage.data),
        },
        backup:
            plan && limits
                ? {
                      cronJob: backupCronJobName(i.name),
                      schedule: plan.schedule,
                      maxRunSeconds: limits.startingDeadlineSeconds + limits.activeDeadlineSeconds,
                  }
                : undefined,
    };
}
