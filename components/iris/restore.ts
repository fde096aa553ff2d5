/**
 * `restoreFrom`: a Job that rebuilds an instance's volumes from a backup set before IRIS first
 * starts (restore-script.ts). The instance's volumes and workload wait for it; Pulumi waits for the
 * Job to complete, so a failed restore fails `pulumi up` with the Job's reason.
 *
 * The Job refuses to restore over an existing claim: once the instance has data, re-running it
 * (say, after a change to the Job) fails loudly instead of touching the data. Remove
 * `restoreFrom` after the restore.
 *
 * Options: `provider` (the cluster's Kubernetes provider), `dependsOn` (the namespace, Longhorn).
 */
import * as pulumi from "@pulumi/pulumi";
import * as batchv1 from "@pulumi/kubernetes/batch/v1";
import * as corev1 from "@pulumi/kubernetes/core/v1";
import { childOptions } from "../providers";
import { grantRules, jobContainer, jobVolumes } from "./kubectl-job";
import { renderRestoreScript, type RestoreEnv } from "./restore-script";

export interface IrisRestoreArgs {
    /** Namespace of the target instance: the restore Job and its ServiceAccount run there. */
    readonly namespace: string;
    /** Target instance name: the claims made for the restored volumes are named after it. */
    readonly instance: string;
    /** `iko` or `standalone`: how the target's claims are named (`<instance>-durable` when standalone, one volume). */
    readonly kind: RestoreEnv["TARGET_KIND"];
    /** `namespace/name` of the instance whose sets to use. */
    readonly source: string;
    /** `latest` or a set id. */
    readonly set: string;
    /** StorageClass the restored volumes take their replica and locality settings from; must be Longhorn's (`driver.longhorn.io`). */
    readonly storageClassName: string;
    /** Longhorn replicas of each restored volume. */
    readonly replicas: number;
    /** Longhorn's namespace (Backups read, Volumes created). */
    readonly longhornNamespace: string;
}

/** Seconds to wait for a complete set to show up (Longhorn polls a shared target every 300 s). */
export const resolveTimeoutSeconds = 900;
/** Seconds each volume may take to restore. */
export const restoreTimeoutSeconds = 4 * 3600;

export class IrisRestore extends pulumi.ComponentResource {
    /** Completes when every volume is restored; the instance's volumes wait for it. */
    public readonly job: batchv1.Job;

    constructor(name: string, args: IrisRestoreArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iris-platform:iris:IrisRestore", name, {}, opts);
        const k8s = childOptions(this, opts, { provider: "kubernetes" });
        const ns = args.namespace;
        const id = `iris-restore-${ns}-${args.instance}`;
        const labels = {
            "app.kubernetes.io/name": "iris-restore",
            "app.kubernetes.io/instance": args.instance,
        };
        const account = new corev1.ServiceAccount(
            `${name}-account`,
            { metadata: { name: `${args.instance}-restore`, namespace: ns, labels } },
            k8s,
        );
        const subject = { kind: "ServiceAccount", name: `${args.instance}-restore`, namespace: ns };
        const after = { ...k8s, dependsOn: [account] };
        const grants = [
            grantRules(
                `${name}-instance`,
                id,
                ns,
                [
                    {
                        apiGroups: [""],
                        resources: ["persistentvolumeclaims"],
                        verbs: ["get", "create"],
                    },
                    { apiGroups: [""], resources: ["events"], verbs: ["create"] },
                ],
                subject,
                labels,
                after,
            ),
            grantRules(
                `${name}-longhorn`,
                id,
                args.longhornNamespace,
                [
                    { apiGroups: ["longhorn.io"], resources: ["backups"], verbs: ["get", "list"] },
                    {
                        apiGroups: ["longhorn.io"],
                        resources: ["volumes"],
                        verbs: ["create", "get"],
                    },
                ],
                subject,
                labels,
                after,
            ),
            grantRules(
                `${name}-volumes`,
                id,
                undefined,
                [
                    { apiGroups: [""], resources: ["persistentvolumes"], verbs: ["get", "create"] },
                    // The restored volumes take the class's replicas, locality and job groups.
                    {
                        apiGroups: ["storage.k8s.io"],
                        resources: ["storageclasses"],
                        verbs: ["get"],
                    },
                ],
                subject,
                labels,
                after,
            ),
        ];

        const script = new corev1.ConfigMap(
            `${name}-script`,
            { metadata: { namespace: ns, labels }, data: { "restore.sh": renderRestoreScript() } },
            k8s,
        );
        const [sourceNs, sourceName] = args.source.split("/");
        const env: RestoreEnv = {
            SOURCE: `${sourceNs}.${sourceName}`,
            SET: args.set,
            TARGET_NAMESPACE: ns,
            TARGET_INSTANCE: args.instance,
            TARGET_KIND: args.kind,
            STORAGE_CLASS: args.storageClassName,
            REPLICAS: String(args.replicas),
            LONGHORN_NAMESPACE: args.longhornNamespace,
            RESOLVE_TIMEOUT: String(resolveTimeoutSeconds),
            RESTORE_TIMEOUT: String(restoreTimeoutSeconds),
            // The instance restoreFrom starts would keep a mirror member's configuration.
            MIRROR_SETS: "refuse",
        };
        this.job = new batchv1.Job(
            `${name}-job`,
            {
                metadata: {
                    name: `${args.instance}-restore`,
                    namespace: ns,
                    labels,
                    // Pulumi waits for the Job to complete: as long as the restore may take.
                    annotations: {
                        "pulumi.com/timeoutSeconds": String(
                            resolveTimeoutSeconds + restoreTimeoutSeconds,
                        ),
                    },
                },
                spec: {
                    // The script refuses a second run over restored claims; one attempt says why.
                    backoffLimit: 0,
                    activeDeadlineSeconds: resolveTimeoutSeconds + restoreTimeoutSeconds,
                    template: {
                        metadata: { labels },
                        spec: {
                            serviceAccountName: account.metadata.name,
                            restartPolicy: "Never",
                            containers: [jobContainer("restore", "restore.sh", { ...env })],
                            volumes: jobVolumes(script.metadata.name),
                        },
                    },
                },
            },
            { ...k8s, dependsOn: [...k8s.dependsOn, script, ...grants] },
        );
        this.registerOutputs({ job: this.job.metadata.name });
    }
}
