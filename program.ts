/**
 * The whole program as one function: validate the stack config, build the
 * platform, return the stack outputs. index.ts exports its result; the
 * integration tier runs it as an Automation API inline program.
 * Invalid config throws here, before any resource is registered.
 */
import type * as pulumi from "@pulumi/pulumi";
import { loadConfig } from "./config";
import { Platform } from "./components/platform";

/** The stack outputs. */
export interface StackOutputs {
    /** Admin kubeconfig for `kubectl` (secret: `pulumi stack output kubeconfig --show-secrets`). */
    kubeconfig: pulumi.Output<string>;
    /**
     * The ingress controller's public address (DNS records point here). Only when
     * there is one: the cluster reserved it, or `cluster.existing.ingressAddress`
     * or `dns.address` names it; an existing cluster with a NodePort controller has none.
     */
    ingressAddress?: pulumi.Output<string>;
    /** HTTPS management-portal URL per IRIS instance. */
    portalUrls: pulumi.Output<Record<string, string>>;
    /**
     * The backup store, when backups are on: `target` (Longhorn's URL), `keptOnDestroy`, and its
     * cloud's names (`cloud`, `bucket`/`region`/`project` or `storageAccount`/`resourceGroup`/
     * `container`). Record it before a destroy: the DR path in docs/backup.md starts from it.
     */
    backupStore?: pulumi.Output<Record<string, string | boolean>>;
    clusterName: string;
}

export function program(): StackOutputs {
    const config = loadConfig();
    const platform = new Platform("iris", { config });
    return {
        kubeconfig: platform.kubeconfig,
        ...(platform.ingressAddress ? { ingressAddress: platform.ingressAddress } : {}),
        portalUrls: platform.portalUrls,
        ...(platform.backupStore ? { backupStore: platform.backupStore } : {}),
        clusterName: config.cluster.name,
    };
}
