/**
 * The cluster layer's view of the stack config: the validated `cluster` section, one type per
 * provider. Cluster components take their section as their settings (the schema documents each
 * field, config/cluster*.ts); nothing else under cluster/ names the config module.
 */
import type { ClusterConfig } from "../../config";

/** The validated `cluster` section, whichever provider. */
export type ClusterSettings = ClusterConfig;
/** `cluster` with `provider: gke`. */
export type GkeSettings = Extract<ClusterConfig, { provider: "gke" }>;
/** `cluster` with `provider: aks`. */
export type AksSettings = Extract<ClusterConfig, { provider: "aks" }>;
/** `cluster` with `provider: aws`. */
export type AwsSettings = Extract<ClusterConfig, { provider: "aws" }>;
