/**
 * The backup store per cloud: bucket hardening, credentials scoped to the
 * store, explicit cloud providers, and credentials that only ever reach a
 * Kubernetes Secret, as Pulumi secrets.
 */
import * as assert from "assert";
import { azureStorageAccountName, gcpBackupAccountId } from "../components/addons/longhorn-values";
import { isSecretValue, one, type Recording } from "./mocks";
import { buildLonghorn, T } from "./longhorn-fixtures";

/** Secret data keys must be secret outputs: the whole map or each credential. */
function assertSecretData(r: Recording, keys: string[]): Record<string, string> {
    const secret = one(r, T.secret);
    const raw = secret.rawInputs.stringData as Record<string, unknown>;
    for (const k of keys)
        assert.ok(isSecretValue(raw) || isSecretValue(raw[k]), `${k} is not marked secret`);
    return secret.inputs.stringData as Record<string, string>;
}

/** Every cloud resource of the store uses the explicit provider of its cloud (random names use the random provider). */
function assertProvider(r: Recording, pkg: string): void {
    const store = one(r, T.store);
    const cloud = r
        .descendantsOf(store.urn)
        .filter((x) => x.custom && !x.type.startsWith("pulumi:providers:"));
    assert.ok(cloud.length > 0);
    for (const x of cloud) {
        const expected = x.type.startsWith("random:") ? "random" : pkg;
        assert.strictEqual(
            r.providerOf(x)?.type,
            `pulumi:providers:${expected}`,
            `${x.type} ${x.name}`,
        );
    }
}

/** No credential value appears anywhere but in the Secret. */
function assertNotLeaked(r: Recording, values: string[]): void {
    const elsewhere = JSON.stringify(
        r.resources.filter((x) => x.type !== T.secret).map((x) => x.inputs),
    );
    for (const v of values) assert.ok(!elsewhere.includes(v), `${v} leaked outside the Secret`);
}

describe("Longhorn backup store", function () {
    describe("AWS: S3", function () {
        let r: Recording;
        before(async function () {
            r = await buildLonghorn("aws", { backup: { enabled: true } });
        });

        it("hardens the bucket: versioning, SSE, public access blocked, owner-enforced, TLS only, noncurrent expiry", function () {
            assert.strictEqual(
                one(r, "aws:s3/bucket:Bucket").inputs.bucketPrefix,
                "iris-prod-longhorn-",
            );
            assert.deepStrictEqual(
                one(r, "aws:s3/bucketVersioning:BucketVersioning").inputs
                    .versioningConfiguration as object,
                { status: "Enabled" },
            );
            const sse = one(
                r,
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            ).inputs.rules as {
                applyServerSideEncryptionByDefault: { sseAlgorithm: string };
            }[];
            assert.strictEqual(sse[0].applyServerSideEncryptionByDefault.sseAlgorithm, "AES256");
            const pab = one(r, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs;
            for (const k of [
                "blockPublicAcls",
                "blockPublicPolicy",
                "ignorePublicAcls",
                "restrictPublicBuckets",
            ])
                assert.strictEqual(pab[k], true, k);
            assert.strictEqual(
                (
                    one(r, "aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs
                        .rule as { objectOwnership: string }
                ).objectOwnership,
                "BucketOwnerEnforced",
            );
            const policy = JSON.parse(
                String(one(r, "aws:s3/bucketPolicy:BucketPolicy").inputs.policy),
            ) as { Statement: { Effect: string; Condition: unknown }[] };
            assert.deepStrictEqual(policy.Statement[0].Condition, {
                Bool: { "aws:SecureTransport": "false" },
            });
            const rules = one(r, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")
                .inputs.rules as { noncurrentVersionExpiration?: unknown }[];
            assert.ok(rules.some((x) => x.noncurrentVersionExpiration));
        });

        it("keeps the bucket (and its backups) on destroy by default", function () {
            const bucket = one(r, "aws:s3/bucket:Bucket");
            assert.strictEqual(bucket.retainOnDelete, true);
            assert.strictEqual(bucket.inputs.forceDestroy, false);
        });

        it("keeps the kept bucket's hardening too (deleting it would suspend versioning and lift the public-access block)", function () {
            for (const type of [
                "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
                "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
                "aws:s3/bucketVersioning:BucketVersioning",
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
                "aws:s3/bucketPolicy:BucketPolicy",
            ]) {
                assert.strictEqual(one(r, type).retainOnDelete, true, type);
            }
        });

        it("scopes the IAM user's policy to the bucket only", function () {
            const doc = JSON.parse(
                String(one(r, "aws:iam/userPolicy:UserPolicy").inputs.policy),
            ) as { Statement: { Resource: string }[] };
            const resources = doc.Statement.map((s) => s.Resource);
            assert.deepStrictEqual(resources, [
                "arn:aws:s3:::iris-prod-longhorn-fake1234",
                "arn:aws:s3:::iris-prod-longhorn-fake1234/*",
            ]);
        });

        it("hands the access key to Longhorn only through the Secret, as secrets", function () {
            const data = assertSecretData(r, ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]);
            assert.strictEqual(data.AWS_SECRET_ACCESS_KEY, "FAKE-AWS-SECRET-ACCESS-KEY");
            assert.strictEqual(data.AWS_ENDPOINTS, undefined);
            assertNotLeaked(r, ["FAKE-AWS-SECRET-ACCESS-KEY"]);
            assertProvider(r, "aws");
        });
    });

    describe("GCP: Cloud Storage + HMAC", function () {
        let r: Recording;
        before(async function () {
            r = await buildLonghorn("gke", { backup: { enabled: true, retainStore: false } });
        });

        it("hardens the bucket: uniform access, public access prevention, versioning, regional", function () {
            const b = one(r, "gcp:storage/bucket:Bucket").inputs;
            assert.strictEqual(b.uniformBucketLevelAccess, true);
            assert.strictEqual(b.publicAccessPrevention, "enforced");
            assert.deepStrictEqual(b.versioning, { enabled: true });
            assert.strictEqual(b.location, "EUROPE-WEST1");
        });

        it("deletes the bucket on destroy when retainStore is false", function () {
            const bucket = one(r, "gcp:storage/bucket:Bucket");
            assert.strictEqual(bucket.retainOnDelete, false);
            assert.strictEqual(bucket.inputs.forceDestroy, true);
        });

        it("grants the backup service account roles on this bucket only", function () {
            const sa = one(r, "gcp:serviceaccount/account:Account").inputs;
            assert.strictEqual(sa.accountId, gcpBackupAccountId("iris-dev"));
            const members = r
                .ofType("gcp:storage/bucketIAMMember:BucketIAMMember")
                .map((m) => m.inputs);
            assert.deepStrictEqual(members.map((m) => m.role).sort(), [
                "roles/storage.legacyBucketReader",
                "roles/storage.objectAdmin",
            ]);
            for (const m of members) {
                assert.strictEqual(m.bucket, "iris-backup-bucket-fake1234");
                assert.strictEqual(
                    m.member,
                    "serviceAccount:lh-backup-iris-dev@fake-project.iam.gserviceaccount.com",
                );
            }
            assert.deepStrictEqual(
                r.ofType("gcp:projects/iAMMember:IAMMember"),
                [],
                "no project-wide grant",
            );
        });

        it("gives Longhorn the HMAC key and the S3-interop endpoint through the Secret", function () {
            const data = assertSecretData(r, ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]);
            assert.strictEqual(data.AWS_ENDPOINTS, "https://storage.googleapis.com");
            assert.strictEqual(data.AWS_SECRET_ACCESS_KEY, "FAKE-GCS-HMAC-SECRET");
            assertNotLeaked(r, ["FAKE-GCS-HMAC-SECRET"]);
            assertProvider(r, "gcp");
        });
    });

    describe("Azure: storage account + container", function () {
        let r: Recording;
        before(async function () {
            r = await buildLonghorn("aks", { backup: { enabled: true } });
        });

        it("hardens the account: HTTPS only, TLS 1.2, no public blob access", function () {
            const a = one(r, "azure-native:storage:StorageAccount").inputs;
            assert.strictEqual(a.enableHttpsTrafficOnly, true);
            assert.strictEqual(a.minimumTlsVersion, "TLS1_2");
            assert.strictEqual(a.allowBlobPublicAccess, false);
            assert.strictEqual(
                a.resourceGroupName,
                "iris-backup-rg",
                "its own resource group, not the stack's",
            );
            assert.strictEqual(a.accountName, azureStorageAccountName("iris-aks", "abcd1234"));
        });

        it("keeps the account in a resource group of its own, kept on destroy (deleting the stack's group would delete a kept account)", function () {
            const rg = one(r, "azure-native:resources:ResourceGroup");
            assert.strictEqual(rg.retainOnDelete, true);
            assert.strictEqual(rg.inputs.location, "westeurope");
            assert.strictEqual(one(r, "azure-native:storage:StorageAccount").retainOnDelete, true);
        });

        it("creates a private container", function () {
            const c = one(r, "azure-native:storage:BlobContainer").inputs;
            assert.strictEqual(c.publicAccess, "None");
            assert.strictEqual(c.containerName, "longhorn-backups");
        });

        it("puts the listed account key in the Secret only, as a secret", function () {
            const data = assertSecretData(r, ["AZBLOB_ACCOUNT_KEY"]);
            assert.strictEqual(data.AZBLOB_ACCOUNT_KEY, "FAKE-AZURE-STORAGE-KEY-1");
            assert.strictEqual(
                data.AZBLOB_ACCOUNT_NAME,
                azureStorageAccountName("iris-aks", "abcd1234"),
            );
            assertNotLeaked(r, ["FAKE-AZURE-STORAGE-KEY-1"]);
            assertProvider(r, "azure-native");
        });
    });

    it("names Azure storage accounts validly, with a random suffix kept in state", function () {
        const a = azureStorageAccountName("a-very-long-cluster-name-x", "k3m9x0q2");
        assert.match(a, /^[a-z0-9]{3,24}$/);
        assert.strictEqual(a, "lhbkaverylongcluk3m9x0q2");
        assert.throws(() => azureStorageAccountName("iris", "ABC"), /8 lowercase letters\/digits/);
        assert.match(
            gcpBackupAccountId("a-very-long-cluster-name-that-is-40-chars"),
            /^[a-z]([-a-z0-9]{4,28}[a-z0-9])$/,
        );
    });
});
