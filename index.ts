/**
 * Entry point: validate the stack config, build the platform, export outputs.
 * Invalid config throws here, before any resource is registered.
 */
import { loadConfig } from "./config";
import { Platform } from "./components/platform";

const config = loadConfig();
const platform = new Platform("iris", { config });

/** Admin kubeconfig for `kubectl` (secret: `pulumi stack output kubeconfig --show-secrets`). */
export const kubeconfig = platform.kubeconfig;
/** The ingress controller's public address (DNS records point here). */
export const ingressAddress = platform.ingressAddress;
/** HTTPS management-portal URL per IRIS instance. */
export const portalUrls = platform.portalUrls;
export const clusterName = config.cluster.name;
