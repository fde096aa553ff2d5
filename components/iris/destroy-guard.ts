/**
 * The destroy guard: a dynamic resource that every IRIS instance's resources are a dependency of,
 * so the engine deletes it first (dependents before dependencies) on `pulumi destroy`, or when an
 * instance leaves the stack. Its delete reads Longhorn's Backup CRs through the stack's own
 * kubeconfig and throws unless each instance has a complete backup set newer than
 * `maxBackupAgeHours` (or `allowWithoutBackup` was set and applied with `pulumi up`): the engine
 * then stops before deleting anything that depends on it. Create and update touch nothing, so
 * `up` and `preview` never fail because of it.
 *
 * A dynamic provider rather than a `beforeDelete` resource hook: hooks run only when `pulumi
 * destroy --run-program` is given (ResourceHookBinding.beforeDelete, @pulumi/pulumi 3.270.0
 * resource.d.ts), a dynamic provider's delete runs on every destroy. Its code is serialized into
 * the state, so the functions below require their modules inside their bodies.
 */
import * as pulumi from "@pulumi/pulumi";
import {
    destroyDecision,
    type BackupItem,
    type GuardLabels,
    type GuardPolicy,
} from "./destroy-guard-decision";

interface GuardInputs extends GuardPolicy {
    /** The stack's admin kubeconfig (secret in state and outputs). */
    readonly kubeconfig: string;
    /** Kubeconfig context; its current context when empty. */
    readonly context: string;
    readonly longhornNamespace: string;
}

/** What the delete step reads, from a kubeconfig (the only client code; nothing is printed). */
export async function listBackups(
    kubeconfig: string,
    context: string,
    namespace: string,
): Promise<BackupItem[]> {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const yaml = require("js-yaml") as typeof import("js-yaml");
    const https = require("https") as typeof import("https");
    const fs = require("fs") as typeof import("fs");
    const cp = require("child_process") as typeof import("child_process");
    /* eslint-enable @typescript-eslint/no-require-imports */
    // Kubeconfig fields: k8s.io/client-go tools/clientcmd/api/v1/types.go (Config, Cluster,
    // AuthInfo, ExecConfig); exec plugins: kubernetes.io/docs/reference/access-authn-authz/
    // authentication/#client-go-credential-plugins (ExecCredential in KUBERNETES_EXEC_INFO,
    // `status.token` or `status.clientCertificateData`/`clientKeyData` on stdout).
    type Named<T> = { name: string } & T;
    type Kc = {
        "current-context"?: string;
        contexts?: Named<{ context: { cluster: string; user: string } }>[];
        clusters?: Named<{ cluster: Record<string, unknown> }>[];
        users?: Named<{ user: Record<string, unknown> }>[];
    };
    const kc = yaml.load(kubeconfig) as Kc;
    const ctxName = context || kc["current-context"];
    const ctx = kc.contexts?.find((c) => c.name === ctxName)?.context;
    if (!ctx) throw new Error(`the kubeconfig has no context ${JSON.stringify(ctxName)}`);
    const cluster = kc.clusters?.find((c) => c.name === ctx.cluster)?.cluster ?? {};
    const user = kc.users?.find((u) => u.name === ctx.user)?.user ?? {};
    const str = (o: Record<string, unknown>, k: string) =>
        typeof o[k] === "string" ? (o[k] as string) : undefined;
    const b64 = (s: string | undefined) => (s ? Buffer.from(s, "base64") : undefined);
    const file = (p: string | undefined) => (p ? fs.readFileSync(p) : undefined);
    const server = str(cluster, "server");
    if (!server) throw new Error(`the kubeconfig's cluster ${ctx.cluster} has no server`);
    const ca =
        b64(str(cluster, "certificate-authority-data")) ??
        file(str(cluster, "certificate-authority"));
    let token = str(user, "token") ?? file(str(user, "tokenFile"))?.toString().trim();
    let cert = b64(str(user, "client-certificate-data")) ?? file(str(user, "client-certificate"));
    let key = b64(str(user, "client-key-data")) ?? file(str(user, "client-key"));
    const exec = user.exec as
        | {
              command: string;
              args?: string[];
              env?: { name: string; value: string }[];
              apiVersion?: string;
              provideClusterInfo?: boolean;
          }
        | undefined;
    if (exec) {
        const info = {
            apiVersion: exec.apiVersion ?? "client.authentication.k8s.io/v1",
            kind: "ExecCredential",
            spec: {
                interactive: false,
                ...(exec.provideClusterInfo
                    ? {
                          cluster: {
                              server,
                              "certificate-authority-data": ca?.toString("base64"),
                          },
                      }
                    : {}),
            },
        };
        const env: Record<string, string | undefined> = { ...process.env };
        for (const e of exec.env ?? []) env[e.name] = e.value;
        env.KUBERNETES_EXEC_INFO = JSON.stringify(info);
        const r = cp.spawnSync(exec.command, exec.args ?? [], {
            env,
            encoding: "utf8",
            timeout: 120_000,
        });
        if (r.status !== 0)
            throw new Error(
                `the kubeconfig's credential plugin ${exec.command} failed (exit ${r.status ?? r.error?.message})`,
            );
        // Node's SyntaxError quotes the start of its input, which may be a token: not passed on.
        let parsed: { status?: Record<string, string> };
        try {
            parsed = JSON.parse(r.stdout) as typeof parsed;
        } catch {
            throw new Error(
                `the kubeconfig's credential plugin ${exec.command} wrote output that is not valid JSON`,
            );
        }
        const st = parsed.status ?? {};
        token = st.token ?? token;
        if (st.clientCertificateData) cert = Buffer.from(st.clientCertificateData);
        if (st.clientKeyData) key = Buffer.from(st.clientKeyData);
    }
    const url = `${server.replace(/\/+$/, "")}/apis/longhorn.io/v1beta2/namespaces/${namespace}/backups`;
    const getOnce = () =>
        new Promise<{ status: number; text: string; retryAfter: number }>((resolve, reject) => {
            const req = https.get(
                url,
                {
                    ca,
                    cert,
                    key,
                    rejectUnauthorized: cluster["insecure-skip-tls-verify"] !== true,
                    timeout: 30_000,
                    headers: {
                        Accept: "application/json",
                        ...(token ? { Authorization: `Bearer ${token}` } : {}),
                    },
                },
                (res) => {
                    let text = "";
                    res.setEncoding("utf8");
                    res.on("data", (d: string) => (text += d));
                    res.on("end", () =>
                        resolve({
                            status: res.statusCode ?? 0,
                            text,
                            retryAfter: Number(res.headers["retry-after"]) || 1,
                        }),
                    );
                    res.on("error", reject);
                },
            );
            req.on("timeout", () => req.destroy(new Error(`GET ${url}: no answer within 30 s`)));
            req.on("error", reject);
        });
    // The API server answers 429 with Retry-After while it is busy or (re)initializing a CRD's
    // storage (kubernetes.io/docs/reference/using-api/api-concepts/, "Retry-After"); client-go
    // retries those, and so does this, a few times.
    let r = await getOnce();
    for (let i = 0; i < 10 && (r.status === 429 || r.status >= 500); i++) {
        await new Promise((done) => setTimeout(done, Math.min(r.retryAfter, 10) * 1000));
        r = await getOnce();
    }
    if (r.status !== 200) throw new Error(`GET ${url}: HTTP ${r.status} ${r.text.slice(0, 300)}`);
    const body = r.text;
    return (JSON.parse(body) as { items?: BackupItem[] }).items ?? [];
}

const guardProvider: pulumi.dynamic.ResourceProvider<GuardInputs, GuardInputs> = {
    create: async (inputs: GuardInputs) => ({ id: "iris-destroy-guard", outs: inputs }),
    diff: async (_id: string, olds: GuardInputs, news: GuardInputs) => ({
        changes: JSON.stringify(olds) !== JSON.stringify(news),
    }),
    // An instance leaving the stack: the engine deletes its resources after this update (deletes
    // come last in an update), so refusing here keeps them, under the stack's new settings.
    update: async (_id: string, olds: GuardInputs, news: GuardInputs) => {
        const gone = olds.instances.filter((i) => !news.instances.includes(i));
        if (gone.length > 0) await check({ ...news, instances: gone });
        return { outs: news };
    },
    delete: async (_id: string, olds: GuardInputs) => check(olds),
};

/** Throws the refusal unless the policy allows deleting its instances' data now. */
async function check(g: GuardInputs): Promise<void> {
    if (g.allowWithoutBackup) return;
    let items: BackupItem[];
    try {
        items = await listBackups(g.kubeconfig, g.context, g.longhornNamespace);
    } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        throw new Error(
            `iris-platform: destroy refused: cannot read Longhorn's Backups in ${g.longhornNamespace} to check for a fresh backup set (${why}). ` +
                "Deliberately losing the data: pulumi config set --path iris-platform:iris.destroyGuard.allowWithoutBackup true, pulumi up, then pulumi destroy.",
            { cause: err },
        );
    }
    const d = destroyDecision(items, g, Date.now());
    if (!d.allow) throw new Error(d.message);
}

export interface DestroyGuardArgs {
    /** The stack's admin kubeconfig (a secret). */
    readonly kubeconfig: pulumi.Input<string>;
    /** Kubeconfig context; its current context when absent. */
    readonly context?: string;
    /** Longhorn's namespace (its Backup CRs). */
    readonly longhornNamespace: string;
    /** `namespace/name` of every instance whose data the guard keeps. */
    readonly instances: readonly string[];
    /** Age limit, in hours, of the newest complete set of each instance for the delete to go ahead (`iris.destroyGuard.maxBackupAgeHours`). */
    readonly maxBackupAgeHours: number;
    /** `iris.destroyGuard.allowWithoutBackup`: the deliberate override. */
    readonly allowWithoutBackup: boolean;
    /** The backup script's set labels. */
    readonly labels: GuardLabels;
}

/** Refuses its own delete (and so everything it depends on) without a fresh complete backup set. */
export class DestroyGuard extends pulumi.dynamic.Resource {
    constructor(name: string, args: DestroyGuardArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            guardProvider,
            name,
            {
                kubeconfig: pulumi.secret(args.kubeconfig),
                context: args.context ?? "",
                longhornNamespace: args.longhornNamespace,
                instances: [...args.instances],
                maxBackupAgeHours: args.maxBackupAgeHours,
                allowWithoutBackup: args.allowWithoutBackup,
                labels: args.labels,
            },
            { ...opts, additionalSecretOutputs: ["kubeconfig"] },
            undefined,
            "IrisDestroyGuard",
        );
    }
}

// For the unit tests of its steps (a plain alias: the class above keeps the local reference).
export { guardProvider as destroyGuardProvider };
