/**
 * A bounded wait for a freshly built API server: a dynamic resource whose
 * create/update polls `GET <url>/readyz`, trusting only the cluster CA, until it
 * answers 200 or the timeout expires. Kubernetes resources that depend on it do
 * not start against a control plane that is still booting.
 *
 * Dynamic providers are serialized into the state (closure serialization): the
 * provider functions below require their modules inside their bodies and capture
 * nothing but other self-contained functions, so they run in the engine's
 * provider process exactly as they run in tests.
 */
import * as pulumi from "@pulumi/pulumi";

export interface ApiServerReadyArgs {
    /** `https://host:6443` (no path). */
    url: pulumi.Input<string>;
    /** PEM of the cluster CA: the only trust anchor used for the API server's certificate. */
    caCertPem: pulumi.Input<string>;
    /** Give up after this many seconds (default 900: kubeadm init plus image pulls on a cold node). */
    timeoutSeconds?: number;
}

/** One HTTPS round trip; resolves with the status (any status), rejects on network/TLS errors. */
export type FetchOnce = (
    url: string,
    caCertPem: string,
    requestTimeoutMs: number,
) => Promise<{ status: number; body: string }>;

// Not `export const`: CommonJS output would read them through `exports`, and the
// closure serializer would then drag the whole module into the provider.
const defaultTimeoutSeconds = 900;
const defaultIntervalMs = 5_000;
const maxRequestTimeoutMs = 10_000;
export { defaultTimeoutSeconds };

/** GET `url` with `ca` as the only trusted CA (hostname checked against the certificate as usual). */
export function httpsGetOnce(
    url: string,
    caCertPem: string,
    requestTimeoutMs: number,
): Promise<{ status: number; body: string }> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const https = require("https") as typeof import("https");
    return new Promise((resolve, reject) => {
        const req = https.get(
            url,
            { ca: caCertPem, timeout: requestTimeoutMs, headers: { Accept: "text/plain" } },
            (res) => {
                let body = "";
                res.setEncoding("utf8");
                res.on("data", (chunk: string) => {
                    if (body.length < 2_000) body += chunk;
                });
                res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
                res.on("error", reject);
            },
        );
        req.on("timeout", () =>
            req.destroy(new Error(`no response within ${requestTimeoutMs} ms`)),
        );
        req.on("error", reject);
    });
}

/**
 * Polls `<url>/readyz` every `intervalMs` until it answers 200; throws once
 * `timeoutMs` has passed, naming the URL, the timeout and the last error seen.
 */
export async function waitForReadyz(
    url: string,
    caCertPem: string,
    timeoutMs: number,
    intervalMs: number,
    fetchOnce: FetchOnce = httpsGetOnce,
): Promise<void> {
    const target = `${url.replace(/\/+$/, "")}/readyz`;
    const deadline = Date.now() + timeoutMs;
    let lastError: string | undefined;
    for (;;) {
        const remaining = deadline - Date.now();
        try {
            const { status, body } = await fetchOnce(
                target,
                caCertPem,
                Math.max(1, Math.min(maxRequestTimeoutMs, remaining)),
            );
            if (status === 200) return;
            lastError = `HTTP ${status}: ${body.trim().split("\n").slice(-5).join(" | ").slice(0, 500)}`;
        } catch (err) {
            const message = err instanceof Error ? err.message : String(err);
            // The last request gets only what is left of the budget: its timeout must not hide a real answer.
            if (!lastError || !message.startsWith("no response within")) lastError = message;
        }
        if (Date.now() + intervalMs >= deadline) break;
        await new Promise((r) => setTimeout(r, intervalMs));
    }
    throw new Error(
        `API server ${target} not ready within ${timeoutMs / 1000} s; last error: ${lastError}`,
    );
}

interface ReadyzInputs {
    url: string;
    caCertPem: string;
    timeoutSeconds?: number;
}

/** The serialized provider: arrow functions only, modules required inside `httpsGetOnce`. */
const readyzProvider: pulumi.dynamic.ResourceProvider<ReadyzInputs, ReadyzInputs> = {
    create: async (inputs: ReadyzInputs) => {
        await waitForReadyz(
            inputs.url,
            inputs.caCertPem,
            (inputs.timeoutSeconds ?? defaultTimeoutSeconds) * 1000,
            defaultIntervalMs,
        );
        return { id: `${inputs.url.replace(/\/+$/, "")}/readyz`, outs: inputs };
    },
    // A new endpoint or CA means a new (or rebuilt) control plane: wait again.
    // The timeout alone changing needs no wait.
    diff: async (_id: string, olds: ReadyzInputs, news: ReadyzInputs) => {
        const keys: (keyof ReadyzInputs)[] = ["url", "caCertPem", "timeoutSeconds"];
        return { changes: keys.some((k) => olds[k] !== news[k]) };
    },
    update: async (_id: string, olds: ReadyzInputs, news: ReadyzInputs) => {
        if (olds.url !== news.url || olds.caCertPem !== news.caCertPem) {
            await waitForReadyz(
                news.url,
                news.caCertPem,
                (news.timeoutSeconds ?? defaultTimeoutSeconds) * 1000,
                defaultIntervalMs,
            );
        }
        return { outs: news };
    },
};

// The explicit `pulumi-nodejs` provider lives with the other provider helpers.
export { DynamicProvider } from "../../providers";

/** Succeeds once the API server at `url` answers `/readyz` with 200 (bounded wait). */
export class ApiServerReady extends pulumi.dynamic.Resource {
    /** The endpoint that was found ready. */
    public readonly url!: pulumi.Output<string>;

    constructor(name: string, args: ApiServerReadyArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            readyzProvider,
            name,
            {
                url: args.url,
                caCertPem: args.caCertPem,
                timeoutSeconds: args.timeoutSeconds ?? defaultTimeoutSeconds,
            },
            opts,
            undefined,
            "ApiServerReady",
        );
    }
}
