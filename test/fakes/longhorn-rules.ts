/**
 * The admission rules the fake kubectl (test/fakes/backup-kubectl.js) enforces on the objects the
 * backup script creates, as the API server and Longhorn v1.12.1 implement them. Patterns are
 * JavaScript regular expressions (the same as upstream's Go ones); the fake applies them by name.
 */
export interface Rule {
    readonly pattern?: string;
    readonly maxLength?: number;
    readonly source: string;
}

const lh = "longhorn-manager v1.12.1";
const am = "kubernetes/apimachinery kubernetes-1.35.0";

export const longhornRules = {
    /** Every label value on any object. */
    labelValue: {
        pattern: "^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$",
        maxLength: 63,
        source: `${am} pkg/api/validate/content/kube.go IsLabelValue (via pkg/apis/meta/v1/validation ValidateLabels)`,
    },
    /** The name part of a label key (after an optional DNS-subdomain prefix and '/'). */
    labelKeyName: {
        pattern: "^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$",
        maxLength: 63,
        source: `${am} pkg/api/validate/content/kube.go IsLabelKey`,
    },
    /** A Backup's name. */
    backupName: {
        pattern: "^[a-z0-9][a-z0-9_.-]+$",
        source: `${lh} webhook/resources/backup/validator.go Create → util/util.go ValidateName`,
    },
    /** Snapshot labels (metadata and spec) may not hold '='. */
    snapshotLabels: {
        source: `${lh} webhook/resources/snapshot/validator.go Create → util/util.go VerifySnapshotLabels`,
    },
    /** A Snapshot needs spec.volume, naming an existing volume. */
    snapshotVolume: {
        source: `${lh} webhook/resources/snapshot/validator.go Create (spec.volume is required); mutator.go Create (GetVolumeRO)`,
    },
    /**
     * A Backup: the mutator fills the labels backup-volume (from the snapshot's volume) and
     * backup-target (from the volume's spec.backupTargetName) and an empty backupMode with
     * `incremental`; the validator requires backupMode full|incremental, the backup-target label,
     * that target to exist and be available, the snapshot to exist, and both labels to match the
     * snapshot's volume and its target.
     */
    backup: {
        source: `${lh} webhook/resources/backup/mutator.go Create; validator.go Create; types/types.go LonghornLabelBackupVolume/LonghornLabelBackupTarget`,
    },
    /**
     * Incremental backups: Longhorn uploads only the blocks changed since the volume's last
     * backup when that backup's snapshot still exists locally; otherwise the whole volume.
     */
    incremental: {
        source: "longhorn/backupstore e5f4ddc47e4d (pinned by longhorn-manager v1.12.1 go.mod) deltablock.go CreateDeltaBlockBackup",
    },
} satisfies Record<string, Rule>;
