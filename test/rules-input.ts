/**
 * The alert rules' input for a stack config as the platform composes it: the IRIS layer's
 * published facts (with its backup plans) handed to the monitoring layer's `rulesInput`.
 */
import type { PlatformConfig } from "../config";
import { addonsLayerArgs } from "../components/addons/args";
import { upstreamCharts } from "../components/chart-sources";
import { irisPublished } from "../components/iris";
import { irisBackups } from "../components/iris/args";
import { rulesInput } from "../components/monitoring/args";
import type { RulesInput } from "../components/monitoring/rules";

export function stackRulesInput(config: PlatformConfig): RulesInput {
    const backups = irisBackups(config, stackBackupSets(config));
    return rulesInput(irisPublished(config.iris.instances, backups), {
        longhorn: config.longhorn.enabled,
        certManagerReady: config.certManager.enabled ? [] : undefined,
    });
}

/** The add-on layer's backup-set defaults for a stack config, as the platform hands them on. */
export function stackBackupSets(config: PlatformConfig) {
    return addonsLayerArgs(config, upstreamCharts).longhorn?.backupSets;
}

/** The IRIS pod labels as the IRIS layer publishes them. */
export const publishedPodLabels = irisPublished([], undefined).podLabels;
