/**
 * The add-on layer's contract: the facts it publishes that another layer's args module takes.
 * Other layers import these types, and nothing else of the layer.
 */

/**
 * What the IRIS layer's backup sets take from the add-on layer: where sets live, how many
 * replicas a restored volume gets, and the stack's default schedule and retention.
 */
export interface BackupSetDefaults {
    /** Longhorn's namespace (its Backups and Snapshots live there). */
    readonly longhornNamespace: string;
    /** Longhorn replicas of a restored volume (`longhorn.replicaCount`). */
    readonly replicas: number;
    /** Default cron schedule of an instance's sets (`longhorn.backup.schedule`). */
    readonly schedule: string;
    /** Default number of complete sets kept (`longhorn.backup.retain`). */
    readonly retain: number;
}
