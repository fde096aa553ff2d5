/**
 * A private OCI registry on loopback for the integration tier: the CNCF distribution registry
 * (toolchain/registry) with htpasswd basic auth and TLS from a CA made by pki.ts, and Helm's CLI
 * (toolchain/helm, the version the kubernetes provider embeds) to push charts to it.
 */
import { execFile, spawn } from "child_process";
import * as fs from "fs";
import * as https from "https";
import * as os from "os";
import * as path from "path";
import * as bcrypt from "bcryptjs";
import * as yaml from "js-yaml";
import { makeCa, signLoopbackServer } from "./pki";
import { freePort, running, until } from "./processes";
import { toolchain } from "./toolchain";

export interface Registry {
    /** `127.0.0.1:<port>`, as `oci://` references and Helm's credentials file name it. */
    readonly host: string;
    /** The CA that signed the registry's certificate (PEM file). */
    readonly caFile: string;
    /** The registry's log (one line per request, with the authenticated user). */
    readonly logFile: string;
    /** Packages the chart folder and pushes it under `oci://<host>/<repo>`; returns `name:version`. */
    pushChart(chartDir: string, repo: string): Promise<string>;
    /** Stops the registry and removes its folder (kept, and said where, when `keep`). */
    stop(keep?: boolean): Promise<void>;
}

/** Starts the registry with one htpasswd user; resolves once it answers `/v2/` with 401. */
export async function startRegistry(user: string, password: string): Promise<Registry> {
    const bin = toolchain.requireBinaries(["registry", "helm"]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "iris-e2e-registry-"));
    const pki = path.join(dir, "pki");
    makeCa(pki, "iris-e2e-registry-ca");
    signLoopbackServer(pki, "registry");
    // distribution's htpasswd auth takes bcrypt hashes only (registry/auth/htpasswd/htpasswd.go:
    // bcrypt.CompareHashAndPassword).
    fs.writeFileSync(path.join(dir, "htpasswd"), `${user}:${bcrypt.hashSync(password, 10)}\n`);
    const port = await freePort();
    const host = `127.0.0.1:${port}`;
    // Keys as in distribution v3.1.2 configuration/configuration.go and cmd/registry/config-example.yml.
    const config = {
        version: 0.1,
        log: { level: "info", formatter: "text" },
        storage: { filesystem: { rootdirectory: path.join(dir, "data") } },
        http: {
            addr: host,
            tls: {
                certificate: path.join(pki, "registry.crt"),
                key: path.join(pki, "registry.key"),
            },
        },
        auth: { htpasswd: { realm: "iris-e2e", path: path.join(dir, "htpasswd") } },
    };
    fs.writeFileSync(path.join(dir, "config.yml"), yaml.dump(config));
    const logFile = path.join(dir, "registry.log");
    const log = fs.openSync(logFile, "a");
    const proc = spawn(bin.registry, ["serve", path.join(dir, "config.yml")], {
        stdio: ["ignore", log, log],
    });
    running.add(proc);
    const caFile = path.join(pki, "ca.crt");
    const ca = fs.readFileSync(caFile);
    await until(
        "the registry answering /v2/",
        30_000,
        () =>
            new Promise<number | undefined>((resolve, reject) => {
                https
                    .get(`https://${host}/v2/`, { ca }, (res) => {
                        res.resume();
                        resolve(res.statusCode === 401 ? 401 : undefined);
                    })
                    .on("error", reject);
            }),
        logFile,
    );

    // Helm's own folders, so the push never reads or writes the user's Helm or Docker logins.
    const helmEnv = {
        ...process.env,
        HELM_CONFIG_HOME: path.join(dir, "helm-config"),
        HELM_CACHE_HOME: path.join(dir, "helm-cache"),
        HELM_DATA_HOME: path.join(dir, "helm-data"),
        DOCKER_CONFIG: path.join(dir, "docker"),
    };
    const helm = (args: string[], input?: string) =>
        new Promise<string>((resolve, reject) => {
            const p = execFile(bin.helm, args, { env: helmEnv }, (err, stdout, stderr) =>
                err
                    ? reject(new Error(`helm ${args[0]} ${args[1]}: ${stderr || err.message}`))
                    : resolve(stdout),
            );
            if (input !== undefined) p.stdin?.end(input);
        });
    return {
        host,
        caFile,
        logFile,
        async pushChart(chartDir, repo) {
            const out = path.join(dir, "packages");
            fs.mkdirSync(out, { recursive: true });
            const packaged = await helm(["package", chartDir, "--destination", out]);
            const tgz = /saved it to: (\S+)/.exec(packaged)?.[1];
            if (!tgz) throw new Error(`helm package: no archive in ${JSON.stringify(packaged)}`);
            await helm(
                [
                    "registry",
                    "login",
                    host,
                    "--username",
                    user,
                    "--password-stdin",
                    "--ca-file",
                    caFile,
                ],
                password,
            );
            await helm(["push", tgz, `oci://${host}/${repo}`, "--ca-file", caFile]);
            await helm(["registry", "logout", host]);
            return path.basename(tgz, ".tgz");
        },
        async stop(keep = false) {
            proc.kill("SIGTERM");
            running.delete(proc);
            fs.closeSync(log);
            if (keep) console.log(`    registry folder kept: ${dir}`);
            else fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}
