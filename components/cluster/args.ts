/** Stack config → the cluster layer's args (the layer's one reader of the config). */
import type * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../../config";
import type { ChartSources } from "../chart-sources";
import type { ClusterLayerArgs } from "./index";

/** The `cluster` section, the existing cluster's kubeconfig secret, and where charts come from. */
export function clusterLayerArgs(
    config: PlatformConfig,
    charts: ChartSources,
    helmRegistryConfigPath: pulumi.Input<string> | undefined,
): ClusterLayerArgs {
    const c = config.cluster;
    return {
        settings: c,
        charts,
        helmRegistryConfigPath,
        existing:
            c.provider === "existing"
                ? {
                      clusterName: c.name,
                      kubernetesVersion: c.kubernetesVersion,
                      kubeconfig: config.secrets.kubeconfig,
                      kubeconfigPath: c.existing.kubeconfigPath,
                      context: c.existing.context,
                      ingressAddress: c.existing.ingressAddress,
                  }
                : undefined,
    };
}
