/**
 * The stack shape shared by the suites that need Longhorn's chart with backups on (backup sets,
 * their RBAC, restores, upgrades, destroy): an existing cluster, Longhorn from the charts
 * directory backing up to an s3:// target, no ingress or cert-manager.
 */
import * as fs from "fs";
import * as path from "path";
import { e2eSecrets } from "./helpers";

const chartsDir = process.env.IRIS_E2E_CHARTS_DIR;

/** The backup target the suites configure (Longhorn's Backup CRs name it in their URLs). */
export const e2eBackupTarget = "s3://e2e-backups@us-east-1/";

/** Longhorn's namespaced API, where the stand-in manager writes Backups, Snapshots and Volumes. */
export const longhornApi = "/apis/longhorn.io/v1beta2/namespaces/longhorn-system";

/** Why such a suite is skipped, or undefined when the charts directory has Longhorn's chart. */
export function longhornChartMissing(): string | undefined {
    return chartsDir && fs.existsSync(path.join(chartsDir, "longhorn", "Chart.yaml"))
        ? undefined
        : "IRIS_E2E_CHARTS_DIR with an unpacked longhorn chart is not set (docs/testing.md)";
}

/** An s3:// target needs its keys (config/checks: longhorn.backup.target). */
export const backupStoreSecrets = {
    backupAccessKeyId: e2eSecrets.backupAccessKeyId,
    backupSecretAccessKey: e2eSecrets.backupSecretAccessKey,
};

/**
 * The stack file's config: `cluster` names the existing cluster, `rest` adds `iris-platform:*`
 * keys (the IRIS instances, IKO…), `backup` adds to `longhorn.backup`.
 */
export function longhornBackupStack(
    cluster: string,
    rest: Record<string, unknown>,
    backup: Record<string, unknown> = { schedule: "0 1 * * *" },
): Record<string, unknown> {
    return {
        "pulumi:disable-default-providers": ["*"],
        "iris-platform:cluster": { provider: "existing", name: cluster },
        "iris-platform:charts": { directory: path.resolve(chartsDir ?? "") },
        "iris-platform:longhorn": {
            enabled: true,
            backup: { enabled: true, target: e2eBackupTarget, ...backup },
        },
        "iris-platform:ingress": { enabled: false },
        "iris-platform:certManager": { enabled: false },
        ...rest,
    };
}
