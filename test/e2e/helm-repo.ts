/**
 * A private Helm chart repository over HTTPS with basic auth, for the integration tier.
 *
 * A Helm repository is static files (`index.yaml` and chart archives, both made here by the
 * toolchain's real `helm package` and `helm repo index`) behind any web server. The web server
 * is a STAND-IN: a few lines of node's https module that check one user's basic-auth login and
 * serve the folder, because no chart-repository server (e.g. ChartMuseum) is pinned in the
 * toolchain; it answers 401 with `WWW-Authenticate: Basic` as web servers do (RFC 7617) and
 * logs every request with the login it carried.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as https from "https";
import type { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { makeCa, signLoopbackServer } from "./pki";
import { toolchain } from "./toolchain";

const run = promisify(execFile);

export interface HelmRepo {
    /** `https://127.0.0.1:<port>`, the repository URL for `repositoryOpts.repo`. */
    readonly url: string;
    readonly caFile: string;
    /** One line per request: `<method> /<file> <status> login=<none | user | user (wrong password)>`. */
    readonly requests: string[];
    /** `name-version` of the chart served. */
    readonly chart: string;
    stop(): Promise<void>;
}

/** Packages `chartDir`, indexes it and serves the folder to `user`/`password` only. */
export async function startHelmRepo(
    chartDir: string,
    user: string,
    password: string,
): Promise<HelmRepo> {
    const { helm } = toolchain.requireBinaries(["helm"]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "iris-e2e-helm-repo-"));
    const pki = path.join(dir, "pki");
    makeCa(pki, "iris-e2e-helm-repo-ca");
    signLoopbackServer(pki, "repo");
    const files = path.join(dir, "files");
    const env = { ...process.env, HELM_CONFIG_HOME: path.join(dir, "helm-config") };
    await run(helm, ["package", chartDir, "--destination", files], { env });
    const requests: string[] = [];
    /** Who a request's basic-auth header names: `none`, `<user>` or `<user> (wrong password)`. */
    const login = (header: string | undefined): { who: string; ok: boolean } => {
        const m = /^Basic (\S+)$/.exec(header ?? "");
        if (!m) return { who: "none", ok: false };
        const text = Buffer.from(m[1], "base64").toString();
        const [u, ...rest] = text.split(":");
        const ok = u === user && rest.join(":") === password;
        return { who: ok ? u : `${u} (wrong password)`, ok };
    };
    const server = https.createServer(
        {
            key: fs.readFileSync(path.join(pki, "repo.key")),
            cert: fs.readFileSync(path.join(pki, "repo.crt")),
        },
        (req, res) => {
            const name = decodeURIComponent((req.url ?? "/").split("?")[0]).replace(/^\/+/, "");
            const file = path.join(files, name);
            const { who, ok } = login(req.headers.authorization);
            let status = 200;
            if (!ok) status = 401;
            else if (!name || name.includes("..") || !fs.existsSync(file)) status = 404;
            requests.push(`${req.method} /${name} ${status} login=${who}`);
            if (status === 401) res.setHeader("WWW-Authenticate", 'Basic realm="iris-e2e"');
            res.writeHead(status);
            res.end(status === 200 ? fs.readFileSync(file) : undefined);
        },
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await run(helm, ["repo", "index", files, "--url", url], { env });
    const tgz = fs.readdirSync(files).find((f) => f.endsWith(".tgz"));
    if (!tgz) throw new Error(`helm package left no archive in ${files}`);
    return {
        url,
        caFile: path.join(pki, "ca.crt"),
        requests,
        chart: path.basename(tgz, ".tgz"),
        async stop() {
            server.closeAllConnections();
            await new Promise((resolve) => server.close(resolve));
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}
