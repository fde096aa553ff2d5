/**
 * AWS kubeadm PKI: the discovery hash nodes pin, and the admin kubeconfig,
 * checked against independently computed values.
 */
import * as assert from "assert";
import * as crypto from "crypto";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { discoveryHash } from "../components/cluster/aws/pki";
import { renderKubeconfig } from "../components/cluster/aws/kubeconfig";
import { fakeCaCertHash, fakeCaCertPem } from "./fakes/aws";

function hasOpenssl(): boolean {
    try {
        execFileSync("openssl", ["version"]);
        return true;
    } catch {
        return false;
    }
}

describe("AWS kubeadm discovery hash", function () {
    it("matches the value openssl computed for the fixture CA (kubeadm's documented recipe)", function () {
        // fakeCaCertHash: `openssl x509 -pubkey -noout | openssl pkey -pubin -outform der | sha256sum`, at authoring time.
        assert.strictEqual(discoveryHash(fakeCaCertPem), fakeCaCertHash);
    });

    it("matches openssl for a freshly generated CA, RSA and ECDSA", function () {
        if (!hasOpenssl()) this.skip();
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "iris-ca-"));
        try {
            for (const alg of [
                ["-newkey", "rsa:2048"],
                ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"],
            ]) {
                const crt = path.join(dir, "ca.crt");
                execFileSync(
                    "openssl",
                    [
                        "req",
                        "-x509",
                        ...alg,
                        "-nodes",
                        "-keyout",
                        path.join(dir, "ca.key"),
                        "-subj",
                        "/CN=kubernetes",
                        "-days",
                        "1",
                        "-out",
                        crt,
                    ],
                    { stdio: "ignore" },
                );
                const pub = execFileSync("openssl", ["x509", "-in", crt, "-pubkey", "-noout"]);
                const der = execFileSync("openssl", ["pkey", "-pubin", "-outform", "der"], {
                    input: pub,
                });
                const expected = `sha256:${crypto.createHash("sha256").update(der).digest("hex")}`;
                assert.strictEqual(discoveryHash(fs.readFileSync(crt, "utf8")), expected);
            }
        } finally {
            fs.rmSync(dir, { recursive: true });
        }
    });

    it("hashes the public key, not the whole certificate", function () {
        const der = Buffer.from(fakeCaCertPem.replace(/-----[A-Z ]+-----|\s/g, ""), "base64");
        assert.notStrictEqual(
            discoveryHash(fakeCaCertPem),
            `sha256:${crypto.createHash("sha256").update(der).digest("hex")}`,
        );
        assert.match(discoveryHash(fakeCaCertPem), /^sha256:[0-9a-f]{64}$/);
    });
});

describe("AWS admin kubeconfig", function () {
    it("points at the API endpoint with the cluster CA and the admin client certificate, base64-encoded", function () {
        const text = renderKubeconfig({
            clusterName: "iris-prod",
            server: "https://api.example:6443",
            caCertPem: "CA",
            clientCertPem: "CERT",
            clientKeyPem: "KEY",
        });
        const k = JSON.parse(text) as {
            clusters: { name: string; cluster: Record<string, string> }[];
            users: { user: Record<string, string> }[];
            "current-context": string;
        };
        assert.strictEqual(k.clusters[0].cluster.server, "https://api.example:6443");
        assert.strictEqual(
            Buffer.from(k.clusters[0].cluster["certificate-authority-data"], "base64").toString(),
            "CA",
        );
        assert.strictEqual(
            Buffer.from(k.users[0].user["client-key-data"], "base64").toString(),
            "KEY",
        );
        assert.strictEqual(
            Buffer.from(k.users[0].user["client-certificate-data"], "base64").toString(),
            "CERT",
        );
        assert.strictEqual(k["current-context"], "iris-prod");
        assert.ok(!("insecure-skip-tls-verify" in k.clusters[0].cluster));
    });
});
