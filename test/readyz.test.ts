/**
 * The API-server readiness wait: real HTTPS against a local server with a
 * throwaway CA (success after failures, timeout message, wrong CA rejected),
 * and the dynamic resource registering (and serializing) under mocks.
 */
import * as assert from "assert";
import * as https from "https";
import type { AddressInfo } from "net";
import { ApiServerReady, waitForReadyz } from "../components/cluster/aws/readyz";
import { selfSignedCert, type TestCert } from "./fixtures/self-signed-cert";
import { runProgram } from "./mocks";

interface LocalServer {
    readonly url: string;
    /** Requests that reached the HTTP layer (i.e. passed the TLS handshake). */
    readonly requests: string[];
    close(): Promise<void>;
}

/** HTTPS on 127.0.0.1 with `cert`; `answer(n)` gives the status of the n-th request (0-based). */
async function serve(
    cert: TestCert,
    answer: (n: number) => { status: number; body: string },
): Promise<LocalServer> {
    const requests: string[] = [];
    const server = https.createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
        const { status, body } = answer(requests.length);
        requests.push(req.url ?? "");
        res.writeHead(status, { "Content-Type": "text/plain" });
        res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `https://127.0.0.1:${port}`,
        requests,
        close: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}

describe("API server readiness wait (waitForReadyz)", function () {
    const ca = selfSignedCert("kubernetes");
    const otherCa = selfSignedCert("not-the-cluster-ca");
    let server: LocalServer | undefined;
    afterEach(async function () {
        await server?.close();
        server = undefined;
    });

    it("keeps polling /readyz through failures and returns on the first 200", async function () {
        server = await serve(ca, (n) =>
            n < 3
                ? { status: 500, body: "[-]etcd failed: reason withheld" }
                : { status: 200, body: "ok" },
        );
        await waitForReadyz(`${server.url}/`, ca.certPem, 10_000, 10);
        assert.deepStrictEqual(server.requests, ["/readyz", "/readyz", "/readyz", "/readyz"]);
    });

    it("fails after the timeout with the URL, the timeout and the last error", async function () {
        server = await serve(ca, () => ({
            status: 503,
            body: "[+]ping ok\n[-]etcd failed: reason withheld\nreadyz check failed",
        }));
        await assert.rejects(waitForReadyz(server.url, ca.certPem, 300, 20), (err: Error) => {
            assert.match(err.message, new RegExp(`${server?.url.replace(/\./g, "\\.")}/readyz`));
            assert.match(err.message, /within 0\.3 s/);
            assert.match(err.message, /HTTP 503/);
            assert.match(err.message, /etcd failed/);
            return true;
        });
        assert.ok(server.requests.length >= 2, "polled more than once before giving up");
    });

    it("rejects a server whose certificate the cluster CA did not sign", async function () {
        server = await serve(ca, () => ({ status: 200, body: "ok" }));
        await assert.rejects(waitForReadyz(server.url, otherCa.certPem, 300, 20), (err: Error) => {
            assert.match(err.message, /not ready within/);
            assert.match(err.message, /certificate/i);
            return true;
        });
        assert.deepStrictEqual(server.requests, [], "no request passed the TLS handshake");
    });

    it("reports a refused connection as the last error", async function () {
        const closed = await serve(ca, () => ({ status: 200, body: "ok" }));
        await closed.close();
        await assert.rejects(waitForReadyz(closed.url, ca.certPem, 200, 20), /ECONNREFUSED/);
    });
});

describe("ApiServerReady (dynamic resource)", function () {
    it("registers with the endpoint, the CA and the default 15-minute timeout, and serializes a self-contained provider", async function () {
        const { recording } = await runProgram(
            () =>
                new ApiServerReady("api-ready", {
                    url: "https://api.example.internal:6443",
                    caCertPem: "PEM",
                }),
        );
        const [r] = recording.ofType("pulumi-nodejs:dynamic:ApiServerReady");
        assert.ok(r, "the dynamic resource is registered");
        assert.strictEqual(r.inputs.url, "https://api.example.internal:6443");
        assert.strictEqual(r.inputs.caCertPem, "PEM");
        assert.strictEqual(r.inputs.timeoutSeconds, 900);
        const serialized = r.inputs.__provider;
        assert.strictEqual(typeof serialized, "string");
        assert.match(serialized as string, /readyz/);
        // Capturing the module (through `exports`) would drag the Pulumi SDK along.
        assert.doesNotMatch(serialized as string, /ComponentResource|registerOutputs/);
    });
});
