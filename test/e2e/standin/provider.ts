/**
 * STAND-IN provider plugin for the integration tier — not the real provider.
 *
 * pulumi-random, pulumi-tls and the cloud providers (aws, gcp, azure-native)
 * cannot be built here: they are not served by the Go module proxy, and no
 * cloud can be reached. So that the *real* engine can still run every stack
 * file end to end (registration, explicit providers, dependency order,
 * dynamic resources, secrets in state, preview/update/destroy), this plugin
 * answers for any of those packages: it keeps each resource's inputs as its
 * outputs, adds the computed outputs the unit tests' fakes describe
 * (test/fakes/*), answers invokes from the same fakes, and diffs by inputs.
 * Kubernetes is stood in the same way for stacks whose cluster is a cloud one.
 *
 * Two answers are real because the program really uses them: the tls
 * stand-in makes real P-256 keys and self-signed CA certificates (the AWS path
 * computes kubeadm's discovery hash from the CA and its /readyz waiter trusts
 * only that CA), and writes each CA to $IRIS_STANDIN_DIR/ca-<common name>.json so the
 * test's /readyz server can present it; the AWS NLB's DNS name is the loopback
 * address in $IRIS_STANDIN_LB_HOST (default 127.0.0.1), which the CA names too.
 *
 * Usage (what the generated pulumi-resource-<pkg> shims run):
 *   node -r ts-node/register/transpile-only provider.ts <package> <engine address…>
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { main, type Provider } from "@pulumi/pulumi/provider";
import { defaultInvokes, defaultStates, type InvokeHandler } from "../../mocks";
import { fakeAccount, serviceQuotaAnswer } from "../../fakes/aws";
import { projectServiceAnswer } from "../../fakes/gcp";
import { selfSignedCert } from "../../fixtures/self-signed-cert";

type Props = Record<string, unknown>;
const inputsKey = "__standinInputs";

const [pkg, ...engineArgs] = process.argv.slice(2);
const stateDir = process.env.IRIS_STANDIN_DIR;
const lbHost = process.env.IRIS_STANDIN_LB_HOST ?? "127.0.0.1";

/**
 * A suite may model another account than the fakes' (the preflight suite: a fresh AWS
 * account, a GCP project without an API): $IRIS_STANDIN_ACCOUNT is JSON
 * `{ "elasticIpQuota"?: n, "enabledGcpApis"?: [...] }`.
 */
function accountInvokes(): Record<string, InvokeHandler> {
    const text = process.env.IRIS_STANDIN_ACCOUNT;
    if (!text) return {};
    const a = JSON.parse(text) as { elasticIpQuota?: number; enabledGcpApis?: string[] };
    const out: Record<string, InvokeHandler> = {};
    if (a.elasticIpQuota !== undefined) {
        const eip = fakeAccount.quotas["ec2/L-0263D0A3"];
        out["aws:servicequotas/getServiceQuota:getServiceQuota"] = serviceQuotaAnswer({
            "ec2/L-0263D0A3": { ...eip, value: a.elasticIpQuota },
        });
    }
    if (a.enabledGcpApis)
        out["gcp:projects/getProjectService:getProjectService"] = projectServiceAnswer(
            a.enabledGcpApis,
        );
    return out;
}
const invokes = { ...defaultInvokes, ...accountInvokes() };

/** Outputs computed the way the real provider would, as far as the program depends on them. */
function computed(type: string, name: string, inputs: Props): Props {
    switch (type) {
        case "tls:index/privateKey:PrivateKey": {
            const { privateKey, publicKey } = crypto.generateKeyPairSync("ec", {
                namedCurve: "prime256v1",
            });
            return {
                privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
                publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
            };
        }
        case "tls:index/selfSignedCert:SelfSignedCert": {
            const cert = selfSignedCert(name, String(inputs.privateKeyPem), lbHost);
            const cn = String((inputs.subject as Props | undefined)?.commonName ?? name);
            if (stateDir)
                fs.writeFileSync(path.join(stateDir, `ca-${cn}.json`), JSON.stringify(cert));
            return { certPem: cert.certPem };
        }
        case "aws:lb/loadBalancer:LoadBalancer":
            return { ...defaultStates[type](name, inputs), dnsName: lbHost };
        default:
            return defaultStates[type]?.(name, inputs) ?? {};
    }
}

function nameOf(urn: string): string {
    return urn.split("::").pop() ?? urn;
}
function typeOf(urn: string): string {
    const parts = urn.split("::");
    return (parts[2] ?? "").split("$").pop() ?? "";
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

// Secret values reach a provider wrapped ({ <sig key>: <secret sig>, value }); the engine keeps
// them secret in state either way, so the stand-in works on the plain values.
const sigKey = "4dabf18193072939515e22adb298388d";
function plain(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(plain);
    if (v && typeof v === "object") {
        const o = v as Props;
        if (sigKey in o && "value" in o) return plain(o.value);
        return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, plain(x)]));
    }
    return v;
}

/** Inputs as they came (secret values stay wrapped, so the state keeps them secret) plus computed outputs. */
function outputsFor(urn: string, inputs: Props): Props {
    return {
        ...inputs,
        ...computed(typeOf(urn), nameOf(urn), plain(inputs) as Props),
        [inputsKey]: inputs,
    };
}

const standin: Provider = {
    version: "0.0.0-standin",
    async check(_urn, _olds, news) {
        return { inputs: news };
    },
    async diff(_id, _urn, olds, news) {
        const before = plain((olds as Props)[inputsKey] ?? {}) as Props;
        const after = plain(news) as Props;
        const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
        const changed = [...keys].filter((k) => !same(before[k], after[k]));
        return { changes: changed.length > 0, diffs: changed };
    },
    async create(urn, inputs) {
        const id = `${nameOf(urn)}-${crypto.createHash("sha256").update(urn).digest("hex").slice(0, 8)}`;
        return { id, outs: outputsFor(urn, inputs as Props) };
    },
    async read(id, _urn, props) {
        return { id, props };
    },
    async update(_id, urn, olds, news) {
        // Computed values that came from unchanged inputs stay as they were (keys, certificates).
        const unchanged =
            (olds as Props)[inputsKey] && same(plain((olds as Props)[inputsKey]), plain(news));
        return { outs: unchanged ? olds : outputsFor(urn, news as Props) };
    },
    async delete() {
        return;
    },
    async invoke(token, inputs) {
        const handler = invokes[token];
        if (!handler)
            return {
                failures: [
                    { property: "", reason: `stand-in ${pkg}: no answer for invoke ${token}` },
                ],
            };
        return { outputs: handler(plain(inputs) as Props) };
    },
};

main(standin, engineArgs).catch((err: unknown) => {
    console.error(
        `stand-in ${pkg} provider failed: ${err instanceof Error ? err.stack : String(err)}`,
    );
    process.exit(1);
});
