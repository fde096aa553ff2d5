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

/** The APIs the fake GCP project has enabled: every one the program uses. */
export const fakeEnabledApis: readonly string[] = [
    "compute.googleapis.com",
    "container.googleapis.com",
    "iam.googleapis.com",
    "cloudresourcemanager.googleapis.com",
    "storage.googleapis.com",
    "dns.googleapis.com",
];

/**
 * gcp:projects/getProjectService (@pulumi/gcp 9.37.0 projects/getProjectService.d.ts) for a
 * project with `enabled` APIs. Upstream (terraform-provider-google resourcemanager/
 * data_source_google_project_service.go) sets the id to "<project>/<service>" and its Read
 * clears it when the service is not enabled; an invoke without a project fails (the program
 * always names it).
 */
export function projectServiceAnswer(enabled: readonly string[]): InvokeHandler {
    return (inputs) => {
        const project = inputs.project;
        const service = String(inputs.service);
        if (typeof project !== "string")
            throw new Error("fake getProjectService: the program must name the project");
        if (!enabled.includes(service)) return { id: "" };
        return {
            id: `${project}/${service}`,
            project,
            service,
            disableOnDestroy: true,
            disableDependentServices: false,
            checkIfServiceHasUsageOnDestroy: false,
            deletionPolicy: "",
        };
    };
}

export const invokes: Record<string, InvokeHandler> = {
    "gcp:projects/getProjectService:getProjectService": projectServiceAnswer(fakeEnabledApis),
};

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
