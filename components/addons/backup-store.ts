/**
 * Longhorn's backup store on the cluster's own cloud: a hardened bucket (or
 * storage account + container) and a credential scoped to it, handed back as
 * the target URL plus the Secret keys Longhorn expects. Credentials only ever
 * leave this component as Pulumi secrets (they end up in a Kubernetes Secret).
 *
 * Cloud resources depend on nothing of the cluster (only the explicit provider;
 * on Azure the store gets a resource group of its own), so they build in
 * parallel with it.
 */
import * as pulumi from "@pulumi/pulumi";
import { withFormerTypes } from "../aliases";
import * as s3 from "@pulumi/aws/s3";
import * as iam from "@pulumi/aws/iam";
import * as gcs from "@pulumi/gcp/storage";
import { Account as GcpServiceAccount } from "@pulumi/gcp/serviceaccount";
import * as azstorage from "@pulumi/azure-native/storage";
import { ResourceGroup as AzureResourceGroup } from "@pulumi/azure-native/resources";
import { Provider as RandomProvider } from "@pulumi/random/provider";
import { RandomString } from "@pulumi/random/randomString";
import type { CloudContext } from "../cluster/types";
import { stackTags } from "../cloud";
import {
    azblobTarget,
    azureStorageAccountName,
    gcpBackupAccountId,
    s3Target,
} from "./longhorn-values";

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

export class BackupStore extends pulumi.ComponentResource implements BackupTarget {
    public readonly target: pulumi.Output<string>;
    public readonly credentials: Readonly<Record<string, pulumi.Input<string>>>;
    /** Bucket, storage-account or container name. */
    public readonly storeName: pulumi.Output<string>;

    constructor(name: string, args: BackupStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        super(
            "iris-platform:addons:BackupStore",
            name,
            {},
            withFormerTypes("iris-platform:addons:BackupStore", opts),
        );
        const ctx: StoreContext = {
            name,
            args,
            parent: this,
            noncurrentDays: args.noncurrentDays ?? 30,
        };
        const cloud = args.cloud;
        const made =
            cloud.cloud === "aws"
                ? awsStore(ctx, cloud)
                : cloud.cloud === "gcp"
                  ? gcpStore(ctx, cloud)
                  : azureStore(ctx, cloud);
        this.target = made.target;
        this.credentials = made.credentials;
        this.storeName = made.storeName;
        this.registerOutputs({ target: this.target, storeName: this.storeName });
    }
}

interface StoreContext {
    readonly name: string;
    readonly args: BackupStoreArgs;
    readonly parent: pulumi.Resource;
    readonly noncurrentDays: number;
}
type Made = BackupTarget & { readonly storeName: pulumi.Output<string> };

/** S3 bucket (versioned, SSE, no public access, TLS only) + an IAM user limited to it. */
function awsStore(c: StoreContext, cloud: Extract<CloudWithStore, { cloud: "aws" }>): Made {
    const opts = { parent: c.parent, provider: cloud.provider };
    const keep = c.args.retainStore;
    const bucket = new s3.Bucket(
        `${c.name}-bucket`,
        { bucketPrefix: `${c.args.clusterName.slice(0, 24)}-longhorn-`, forceDestroy: !keep },
        { ...opts, retainOnDelete: keep },
    );
    // A kept bucket keeps its hardening too: deleting these resources would suspend
    // versioning, lift the public-access block and drop the TLS-only policy and the
    // noncurrent-version expiry on a bucket that outlives the stack.
    const hardening = { ...opts, retainOnDelete: keep };
    new s3.BucketOwnershipControls(
        `${c.name}-ownership`,
        { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
        hardening,
    );
    const publicBlock = new s3.BucketPublicAccessBlock(
        `${c.name}-public-access`,
        {
            bucket: bucket.id,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        },
        hardening,
    );
    const versioning = new s3.BucketVersioning(
        `${c.name}-versioning`,
        { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
        hardening,
    );
    new s3.BucketServerSideEncryptionConfiguration(
        `${c.name}-encryption`,
        {
            bucket: bucket.id,
            rules: [
                {
                    applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" },
                    bucketKeyEnabled: true,
                },
            ],
        },
        hardening,
    );
    // Longhorn prunes backups by retention; versioning keeps the pruned objects
    // recoverable for a while instead of forever.
    new s3.BucketLifecycleConfiguration(
        `${c.name}-lifecycle`,
        {
            bucket: bucket.id,
            rules: [
                {
                    id: "expire-noncurrent",
                    status: "Enabled",
                    filter: {},
                    noncurrentVersionExpiration: { noncurrentDays: c.noncurrentDays },
                },
                {
                    id: "abort-multipart",
                    status: "Enabled",
                    filter: {},
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                },
            ],
        },
        { ...hardening, dependsOn: [versioning] },
    );
    new s3.BucketPolicy(
        `${c.name}-tls-only`,
        {
            bucket: bucket.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "DenyInsecureTransport",
                        Effect: "Deny",
                        Principal: "*",
                        Action: "s3:*",
                        Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
                        Condition: { Bool: { "aws:SecureTransport": "false" } },
                    },
                ],
            }),
        },
        { ...hardening, dependsOn: [publicBlock] },
    );

    // A dedicated user whose only permission is this bucket. Instance-profile or
    // IRSA credentials would be key-less, but the node role is shared by every pod
    // and kubeadm has no IRSA; a scoped key in a Kubernetes Secret is narrower.
    const user = new iam.User(`${c.name}-user`, { path: "/iris-platform/" }, opts);
    new iam.UserPolicy(
        `${c.name}-policy`,
        {
            user: user.name,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Action: ["s3:ListBucket", "s3:GetBucketLocation"],
                        Resource: bucket.arn,
                    },
                    {
                        Effect: "Allow",
                        Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                        Resource: pulumi.interpolate`${bucket.arn}/*`,
                    },
                ],
            }),
        },
        opts,
    );
    const key = new iam.AccessKey(`${c.name}-key`, { user: user.name }, opts);
    return {
        storeName: bucket.bucket,
        target: pulumi.interpolate`${bucket.bucket}`.apply((b) => s3Target(b, cloud.region)),
        credentials: {
            AWS_ACCESS_KEY_ID: pulumi.secret(key.id),
            AWS_SECRET_ACCESS_KEY: pulumi.secret(key.secret),
        },
    };
}

/** GCS bucket (uniform access, public access prevented, versioned) + a service account with an HMAC key. */
function gcpStore(c: StoreContext, cloud: Extract<CloudWithStore, { cloud: "gcp" }>): Made {
    const opts = { parent: c.parent, provider: cloud.provider };
    const keep = c.args.retainStore;
    const bucket = new gcs.Bucket(
        `${c.name}-bucket`,
        {
            project: cloud.project,
            // Regional, next to the cluster: backups and restores stay in-region.
            location: cloud.region.toUpperCase(),
            uniformBucketLevelAccess: true,
            publicAccessPrevention: "enforced",
            versioning: { enabled: true },
            lifecycleRules: [
                {
                    action: { type: "Delete" },
                    condition: { daysSinceNoncurrentTime: c.noncurrentDays },
                },
                { action: { type: "AbortIncompleteMultipartUpload" }, condition: { age: 7 } },
            ],
            forceDestroy: !keep,
        },
        { ...opts, retainOnDelete: keep },
    );
    const account = new GcpServiceAccount(
        `${c.name}-sa`,
        {
            project: cloud.project,
            accountId: gcpBackupAccountId(c.args.clusterName),
            displayName: `Longhorn backups for ${c.args.clusterName}`,
        },
        opts,
    );
    const member = pulumi.interpolate`serviceAccount:${account.email}`;
    // Bucket-scoped only: object read/write/delete, plus bucket metadata for listing.
    for (const [role, suffix] of [
        ["roles/storage.objectAdmin", "objects"],
        ["roles/storage.legacyBucketReader", "bucket-reader"],
    ] as const) {
        new gcs.BucketIAMMember(`${c.name}-${suffix}`, { bucket: bucket.name, role, member }, opts);
    }
    // HMAC keys authenticate Longhorn's S3 client against the interop endpoint.
    const hmac = new gcs.HmacKey(
        `${c.name}-hmac`,
        { project: cloud.project, serviceAccountEmail: account.email },
        opts,
    );
    return {
        storeName: bucket.name,
        target: bucket.name.apply((b) => s3Target(b, cloud.region)),
        credentials: {
            AWS_ACCESS_KEY_ID: pulumi.secret(hmac.accessId),
            AWS_SECRET_ACCESS_KEY: pulumi.secret(hmac.secret),
            AWS_ENDPOINTS: gcsInteropEndpoint,
        },
    };
}

/** Storage account (HTTPS only, TLS 1.2, no public blobs) + private container; key from listStorageAccountKeys. */
function azureStore(c: StoreContext, cloud: Extract<CloudWithStore, { cloud: "azure" }>): Made {
    const opts = { parent: c.parent, provider: cloud.provider };
    const keep = c.args.retainStore;
    // A resource group of its own: deleting the stack's resource group (which
    // `pulumi destroy` does with the cluster) deletes everything in it, so a kept
    // account must not live there. Auto-named, so a later stack never collides with
    // a group kept from an earlier one.
    const group = new AzureResourceGroup(
        `${c.name}-rg`,
        { location: cloud.location, tags: stackTags(c.args.clusterName) },
        { ...opts, retainOnDelete: keep },
    );
    const resourceGroupName = group.name;
    const random = new RandomProvider(`${c.name}-random`, {}, { parent: c.parent });
    const suffix = new RandomString(
        `${c.name}-account-suffix`,
        { length: 8, upper: false, special: false, lower: true, numeric: true },
        { parent: c.parent, provider: random },
    );
    const account = new azstorage.StorageAccount(
        `${c.name}-account`,
        {
            accountName: suffix.result.apply((x) => azureStorageAccountName(c.args.clusterName, x)),
            resourceGroupName,
            location: cloud.location,
            kind: "StorageV2",
            // Geo-redundant: the backups outlive a regional outage of the cluster.
            sku: { name: "Standard_GRS" },
            enableHttpsTrafficOnly: true,
            minimumTlsVersion: "TLS1_2",
            allowBlobPublicAccess: false,
            // Longhorn's azblob driver authenticates with the account key.
            allowSharedKeyAccess: true,
            tags: stackTags(c.args.clusterName),
        },
        { ...opts, retainOnDelete: keep },
    );
    new azstorage.BlobServiceProperties(
        `${c.name}-blob-service`,
        {
            accountName: account.name,
            resourceGroupName,
            blobServicesName: "default",
            deleteRetentionPolicy: { enabled: true, days: c.noncurrentDays },
            containerDeleteRetentionPolicy: { enabled: true, days: c.noncurrentDays },
        },
        opts,
    );
    const container = new azstorage.BlobContainer(
        `${c.name}-container`,
        {
            accountName: account.name,
            resourceGroupName,
            containerName: azureBackupContainer,
            publicAccess: "None",
        },
        { ...opts, retainOnDelete: keep },
    );
    const keys = azstorage.listStorageAccountKeysOutput(
        { accountName: account.name, resourceGroupName },
        opts,
    );
    return {
        storeName: account.name,
        target: container.name.apply(() => azblobTarget(azureBackupContainer)),
        credentials: {
            AZBLOB_ACCOUNT_NAME: account.name,
            AZBLOB_ACCOUNT_KEY: pulumi.secret(keys.apply((k) => k.keys[0].value)),
        },
    };
}
