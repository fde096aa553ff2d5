/** Mock answers for gcp invokes and cloud-computed gcp resource outputs. */
import type { InvokeHandler, StateHandler } from "../mocks";

/** Fake values GCP would compute; tests compare against these. */
export const fake = {
    /** The GKE API server address. */
    clusterEndpoint: "198.51.100.7",
    /** Base64 of a fake PEM, as GKE returns `masterAuth.clusterCaCertificate`. */
    clusterCaBase64: Buffer.from(
        "-----BEGIN CERTIFICATE-----\nFAKE-GKE-CA\n-----END CERTIFICATE-----\n",
    ).toString("base64"),
    /** The reserved regional ingress address. */
    ingressAddress: "203.0.113.10",
} as const;

export const invokes: Record<string, InvokeHandler> = {};

const named = (name: string, inputs: Record<string, unknown>) => {
    const n = (inputs.name as string | undefined) ?? name;
    return {
        name: n,
        selfLink: `https://www.googleapis.com/compute/v1/projects/fake/global/x/${n}`,
    };
};

export const states: Record<string, StateHandler> = {
    "gcp:compute/network:Network": named,
    "gcp:compute/subnetwork:Subnetwork": named,
    "gcp:compute/router:Router": named,
    "gcp:compute/address:Address": (name, inputs) => ({
        ...named(name, inputs),
        address: fake.ingressAddress,
    }),
    "gcp:serviceaccount/account:Account": (_name, inputs) => ({
        email: `${String(inputs.accountId)}@fake-project.iam.gserviceaccount.com`,
    }),
    // Longhorn backup store: autonamed bucket, HMAC key of the backup service account.
    "gcp:storage/bucket:Bucket": (name, inputs) => ({
        name: (inputs.name as string | undefined) ?? `${name}-fake1234`,
    }),
    "gcp:storage/hmacKey:HmacKey": () => ({
        accessId: "GOOGFAKEHMACACCESSID",
        secret: "FAKE-GCS-HMAC-SECRET",
    }),
    "gcp:container/cluster:Cluster": (name, inputs) => ({
        name: (inputs.name as string | undefined) ?? name,
        endpoint: fake.clusterEndpoint,
        masterAuth: {
            clusterCaCertificate: fake.clusterCaBase64,
            clientCertificate: "",
            clientKey: "",
        },
    }),
};
