/** Longhorn's backup store on GCP (bucket + HMAC key) and Azure (storage account + container). */
import * as pulumi from "@pulumi/pulumi";
import * as gcs from "@pulumi/gcp/storage";
import { Account as GcpServiceAccount } from "@pulumi/gcp/serviceaccount";
import * as azstorage from "@pulumi/azure-native/storage";
import { ResourceGroup as AzureResourceGroup } from "@pulumi/azure-native/resources";
import { Provider as RandomProvider } from "@pulumi/random/provider";
import { RandomString } from "@pulumi/random/randomString";
import { stackTags } from "../cloud";
import {
    azblobTarget,
    azureStorageAccountName,
    gcpBackupAccountId,
    s3Target,
} from "./longhorn-values";
import {
    azureBackupContainer,
    gcsInteropEndpoint,
    type CloudWithStore,
    type Made,
    type StoreContext,
} from "./backup-store-types";

/** GCS bucket (uniform access, public access prevented, versioned) + a service account with an HMAC key. */
export function gcpStore(c: StoreContext, cloud: Extract<CloudWithStore, { cloud: "gcp" }>): Made {
    const opts = { ...c.child, provider: cloud.provider };
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
        location: {
            cloud: "gcp",
            bucket: bucket.name,
            project: cloud.project,
            region: cloud.region,
        },
        target: bucket.name.apply((b) => s3Target(b, cloud.region)),
        credentials: {
            AWS_ACCESS_KEY_ID: pulumi.secret(hmac.accessId),
            AWS_SECRET_ACCESS_KEY: pulumi.secret(hmac.secret),
            AWS_ENDPOINTS: gcsInteropEndpoint,
        },
    };
}

/** Storage account (HTTPS only, TLS 1.2, no public blobs) + private container; key from listStorageAccountKeys. */
export function azureStore(
    c: StoreContext,
    cloud: Extract<CloudWithStore, { cloud: "azure" }>,
): Made {
    const opts = { ...c.child, provider: cloud.provider };
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
    const random = new RandomProvider(`${c.name}-random`, {}, c.child);
    const suffix = new RandomString(
        `${c.name}-account-suffix`,
        { length: 8, upper: false, special: false, lower: true, numeric: true },
        { ...c.child, provider: random },
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
        location: {
            cloud: "azure",
            storageAccount: account.name,
            resourceGroup: resourceGroupName,
            container: container.name,
        },
        target: container.name.apply(() => azblobTarget(azureBackupContainer)),
        credentials: {
            AZBLOB_ACCOUNT_NAME: account.name,
            AZBLOB_ACCOUNT_KEY: pulumi.secret(keys.apply((k) => k.keys[0].value)),
        },
    };
}
