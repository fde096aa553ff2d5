/** Longhorn's backup store on AWS: a hardened S3 bucket and an IAM user limited to it. */
import * as pulumi from "@pulumi/pulumi";
import * as s3 from "@pulumi/aws/s3";
import * as iam from "@pulumi/aws/iam";
import { s3Target } from "./longhorn-values";
import type { CloudWithStore, Made, StoreContext } from "./backup-store-types";

/** S3 bucket (versioned, SSE, no public access, TLS only) + an IAM user limited to it. */
export function awsStore(c: StoreContext, cloud: Extract<CloudWithStore, { cloud: "aws" }>): Made {
    const opts = { ...c.child, provider: cloud.provider };
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
        { ...hardening, dependsOn: [...hardening.dependsOn, versioning] },
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
        { ...hardening, dependsOn: [...hardening.dependsOn, publicBlock] },
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
        location: { cloud: "aws", bucket: bucket.bucket, region: cloud.region },
        target: pulumi.interpolate`${bucket.bucket}`.apply((b) => s3Target(b, cloud.region)),
        credentials: {
            AWS_ACCESS_KEY_ID: pulumi.secret(key.id),
            AWS_SECRET_ACCESS_KEY: pulumi.secret(key.secret),
        },
    };
}
