/**
 * Certificates and credentials of the local control plane, made with openssl
 * (kubeadm's cert phase insists on a host interface with a default route,
 * which a loopback-only machine lacks), and the admin HTTPS client.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as https from "https";
import * as path from "path";
import * as yaml from "js-yaml";

/** A request to the API server as cluster admin; resolves with status and parsed body. */
export type ApiClient = (
    method: string,
    urlPath: string,
    body?: unknown,
) => Promise<{ status: number; body: Record<string, unknown> }>;

function ssl(pki: string, ...args: string[]): void {
    execFileSync("openssl", args, { cwd: pki, stdio: ["ignore", "ignore", "pipe"] });
}

/** A self-signed CA (`ca.crt`, `ca.key`) in `pki`. */
export function makeCa(pki: string, cn = "iris-e2e-ca"): void {
    fs.mkdirSync(pki, { recursive: true });
    ssl(
        pki,
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
        "-days",
        "2",
        "-subj",
        `/CN=${cn}`,
    );
}

/** `<name>.crt`/`<name>.key` signed by the CA in `pki`, with the given X.509 extensions. */
export function signCertificate(pki: string, name: string, subject: string, ext: string): void {
    ssl(
        pki,
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        `${name}.key`,
        "-out",
        `${name}.csr`,
        "-subj",
        subject,
    );
    fs.writeFileSync(path.join(pki, `${name}.ext`), ext);
    ssl(
        pki,
        "x509",
        "-req",
        "-in",
        `${name}.csr`,
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        `${name}.crt`,
        "-days",
        "2",
        "-extfile",
        `${name}.ext`,
    );
}

/** A serving certificate for loopback (`127.0.0.1`, `localhost`) signed by the CA in `pki`. */
export function signLoopbackServer(pki: string, name: string): void {
    signCertificate(
        pki,
        name,
        `/CN=${name}`,
        "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n" +
            "subjectAltName=IP:127.0.0.1,DNS:localhost\n",
    );
}

/** CA, API server serving certificate, client certificates and the service-account key pair. */
export function makePki(pki: string): void {
    makeCa(pki);
    const sign = (name: string, subject: string, ext: string) =>
        signCertificate(pki, name, subject, ext);
    const client =
        "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n";
    sign(
        "apiserver",
        "/CN=kube-apiserver",
        "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n" +
            `subjectAltName=IP:127.0.0.1,DNS:localhost,IP:10.96.0.1,DNS:kubernetes,DNS:kubernetes.default.svc\n`,
    );
    sign("admin", "/O=system:masters/CN=kubernetes-admin", client);
    sign("controller-manager", "/CN=system:kube-controller-manager", client);
    sign("scheduler", "/CN=system:kube-scheduler", client);
    ssl(pki, "genrsa", "-out", "sa.key", "2048");
    ssl(pki, "rsa", "-in", "sa.key", "-pubout", "-out", "sa.pub");
}

export function renderKubeconfig(server: string, ca: string, cert: string, key: string): string {
    const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
    return yaml.dump({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "e2e", cluster: { server, "certificate-authority-data": b64(ca) } }],
        users: [
            {
                name: "e2e",
                user: { "client-certificate-data": b64(cert), "client-key-data": b64(key) },
            },
        ],
        contexts: [{ name: "e2e", context: { cluster: "e2e", user: "e2e" } }],
        "current-context": "e2e",
    });
}

/** An HTTPS client with the admin kubeconfig's client certificate. */
export function adminClient(server: string, kubeconfig: string): ApiClient {
    const doc = yaml.load(kubeconfig) as {
        clusters: { cluster: { "certificate-authority-data": string } }[];
        users: { user: { "client-certificate-data": string; "client-key-data": string } }[];
    };
    const b64 = (s: string) => Buffer.from(s, "base64").toString("utf8");
    const tls = {
        ca: b64(doc.clusters[0].cluster["certificate-authority-data"]),
        cert: b64(doc.users[0].user["client-certificate-data"]),
        key: b64(doc.users[0].user["client-key-data"]),
    };
    return (method, urlPath, body) =>
        new Promise((resolve, reject) => {
            const req = https.request(
                `${server}${urlPath}`,
                {
                    method,
                    ...tls,
                    headers: {
                        "Content-Type":
                            method === "PATCH"
                                ? "application/merge-patch+json"
                                : "application/json",
                    },
                    timeout: 10_000,
                },
                (res) => {
                    let text = "";
                    res.setEncoding("utf8");
                    res.on("data", (c: string) => (text += c));
                    res.on("end", () => {
                        let parsed: Record<string, unknown>;
                        try {
                            parsed = JSON.parse(text) as Record<string, unknown>;
                        } catch {
                            parsed = { text };
                        }
                        resolve({ status: res.statusCode ?? 0, body: parsed });
                    });
                },
            );
            req.on("error", reject);
            if (body !== undefined) req.write(JSON.stringify(body));
            req.end();
        });
}
