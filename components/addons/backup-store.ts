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
import { renamedComponent } from "../aliases";
import { childOptions } from "../providers";
import type { BackupStoreArgs, BackupTarget, StoreContext } from "./backup-store-types";
import { awsStore } from "./backup-store-aws";
import { azureStore, gcpStore } from "./backup-store-gcp-azure";

export * from "./backup-store-types";

export class BackupStore extends pulumi.ComponentResource implements BackupTarget {
    public readonly target: pulumi.Output<string>;
    public readonly credentials: Readonly<Record<string, pulumi.Input<string>>>;
    /** Bucket, storage-account or container name. */
    public readonly storeName: pulumi.Output<string>;
    /** Where it is, in its cloud's names (a stack output for DR). */
    public readonly location: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: BackupStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        super(...renamedComponent("iris-platform:addons:BackupStore", name, opts));
        const ctx: StoreContext = {
            name,
            args,
            child: childOptions(this, opts),
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
        this.location = pulumi.output(made.location);
        this.registerOutputs({
            target: this.target,
            storeName: this.storeName,
            location: this.location,
        });
    }
}
