/** Labels of a backup set (on Snapshots and Backups; also stored with each backup in the target). */
export const setLabels = {
    /** Set id: the UTC time of the freeze (`backupSetIdPattern`, domain/backup.ts). */
    set: "iris-platform.io/backup-set",
    /** `<namespace>.<instance>` of the source instance. */
    instance: "iris-platform.io/instance",
    /** Volumes in the set: a set is complete when this many of its backups are Completed. */
    size: "iris-platform.io/set-size",
    /** The PVC the volume belonged to (restore recreates it under this name). */
    claim: "iris-platform.io/claim",
    /** The journal file IRIS switched to at the freeze (the set's journal position). */
    journal: "iris-platform.io/journal",
    /** `failed` on the Backup CRs of a set that did not complete (cluster-local). */
    state: "iris-platform.io/set-state",
} as const;
