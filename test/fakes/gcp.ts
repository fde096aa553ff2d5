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
    // Not used by the program's resources: the getProjectService check reads through it.
    "serviceusage.googleapis.com",
];

/** Google's title of each API the fake can name as disabled (its console page title). */
const apiTitles: Readonly<Record<string, string>> = {
    "cloudresourcemanager.googleapis.com": "Cloud Resource Manager API",
    "serviceusage.googleapis.com": "Service Usage API",
};

/**
 * Google's 403 for a call to a disabled API, as terraform-provider-google passes it on
 * (googleapi.Error text; ErrorInfo reason SERVICE_DISABLED with metadata.service, googleapis
 * google/api/error_reason.proto).
 */
export function serviceDisabledError(project: string, queried: string, service: string): Error {
    const n = "123456789012";
    const text =
        `Error reading Project Service ${project}/${queried}: googleapi: Error 403: ` +
        `${apiTitles[service]} has not been used in project ${n} before or it is disabled. ` +
        `Enable it by visiting https://console.developers.google.com/apis/api/${service}/overview?project=${n} then retry.\n` +
        `Details:\n[\n  {\n    "@type": "type.googleapis.com/google.rpc.ErrorInfo",\n    "domain": "googleapis.com",\n` +
        `    "metadata": {\n      "consumer": "projects/${n}",\n      "service": "${service}"\n    },\n    "reason": "SERVICE_DISABLED"\n  }\n]`;
    // The SDK rejects a failed invoke with `new Error(err.details)` of the monitor's gRPC error
    // (@pulumi/pulumi runtime/invoke.js), so the text travels in `details`, as from the engine.
    return Object.assign(new Error(text), { details: text });
}

/**
 * gcp:projects/getProjectService (@pulumi/gcp 9.37.0 projects/getProjectService.d.ts) for a
 * project with `enabled` APIs. Upstream (terraform-provider-google resourcemanager/
 * data_source_google_project_service.go) sets the id to "<project>/<service>" and its Read
 * clears it when the service is not enabled; an invoke without a project fails (the program
 * always names it). Its Read first calls Resource Manager projects.get, then Service Usage
 * services.list, and fails on anything but a 404: so with either of those APIs disabled the
 * invoke fails with Google's SERVICE_DISABLED 403 for the first of them.
 */
export function projectServiceAnswer(enabled: readonly string[]): InvokeHandler {
    return (inputs) => {
        const project = inputs.project;
        const service = String(inputs.service);
        if (typeof project !== "string")
            throw new Error("fake getProjectService: the program must name the project");
        for (const first of Object.keys(apiTitles))
            if (!enabled.includes(first)) throw serviceDisabledError(project, service, first);
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
