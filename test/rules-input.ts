/**
 * The alert rules' input for a stack config as the platform composes it: the IRIS layer's
 * published facts (with its backup plans) handed to the monitoring layer's `rulesInput`.
 */
import type { PlatformConfig } from "../config";
import { longhornNamespace } from "../components/addons/longhorn-values";
import { irisPublished } from "../components/iris";
import { irisBackups } from "../components/iris/args";
import { rulesInput } from "../components/monitoring/args";
import type { RulesInput } from "../components/monitoring/rules";

export function stackRulesInput(config: PlatformConfig): RulesInput {
    const backups = irisBackups(config, config.longhorn.enabled ? longhornNamespace : undefined);
    return rulesInput(config, irisPublished(config.iris.instances, backups));
}

/** The IRIS pod labels as the IRIS layer publishes them. */
export const publishedPodLabels = irisPublished([], undefined).podLabels;
