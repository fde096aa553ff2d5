/** The backup store's contract (target + Secret data) and what each cloud's builder gets. */
import * as pulumi from "@pulumi/pulumi";
import type { ChildOptions } from "../providers";
import type { CloudContext } from "../cluster/types";

/** A backup target and the Secret data Longhorn needs to reach it. */
export interface BackupTarget {
    /** `s3://bucket@region/` or `azblob://container@core.windows.net/`. */
    readonly target: pulumi.Output<string>;
    /** Secret key → value (always Pulumi secrets for credentials). */
    readonly credentials: Readonly<Record<string, pulumi.Input<string>>>;
}

/** A cloud the program can create a store on. */
export type CloudWithStore = Exclude<CloudContext, { cloud: "none" }>;

export interface BackupStoreArgs {
    /** The cluster's cloud: the store is created there with its explicit provider. */
    readonly cloud: CloudWithStore;
    /** Cluster name, used in resource names and tags. */
    readonly clusterName: string;
    /** Keep the bucket / storage account (and its backups) on `pulumi destroy`. */
    readonly retainStore: boolean;
    /** Days a deleted or overwritten backup object stays recoverable (versioning / soft delete). */
    readonly noncurrentDays?: number;
}

/** Endpoint of Cloud Storage's S3-compatible (XML) API, used with HMAC keys. */
export const gcsInteropEndpoint = "https://storage.googleapis.com";
/** Blob container Longhorn writes to on Azure. */
export const azureBackupContainer = "longhorn-backups";

export interface StoreContext {
    readonly name: string;
    readonly args: BackupStoreArgs;
    /** The store's child options (childOptions): its children wait for what it waits for. */
    readonly child: ChildOptions;
    readonly noncurrentDays: number;
}
/**
 * Where the store is, in the names its cloud's CLI takes (`cloud` plus bucket/region/project or
 * storageAccount/resourceGroup/container): a stack output, so DR can find it after a destroy.
 */
export type StoreLocation = Readonly<Record<string, pulumi.Input<string>>>;
export type Made = BackupTarget & {
    readonly storeName: pulumi.Output<string>;
    readonly location: StoreLocation;
};
