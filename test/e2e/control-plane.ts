/**
 * A real Kubernetes control plane on loopback for the integration tier: etcd,
 * kube-apiserver, kube-controller-manager and kube-scheduler built from the
 * pinned modules (toolchain/), plus kwok, which plays the kubelets of a few
 * fake nodes so Deployments and pods reach Ready with no container runtime.
 *
 * What it cannot prove: no container ever runs, so images are never pulled,
 * probes never execute and admission webhooks cannot answer (the API server
 * runs without webhook admission). PVCs bind to pre-created hostPath PVs of a
 * `standard` StorageClass; nothing is written to them.
 *
 * Certificates come from pki.ts (openssl), kwok's nodes and stages from kwok.ts. Every process is
 * killed on stop(), on process exit and on SIGINT/SIGTERM; the folder with the
 * logs is kept when a test failed (`stop(true)`).
 */
import { spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as https from "https";
import * as os from "os";
import * as path from "path";
import { fakeNode, kwokConfiguration } from "./kwok";
import { adminClient, makePki, renderKubeconfig, type ApiClient } from "./pki";
import { toolchain } from "./toolchain";
import { freePort, running, until } from "./processes";

export interface ControlPlaneOptions {
    /** Fake nodes (kwok); default 3. */
    readonly nodes?: number;
    /** Pre-created 100Gi PVs of StorageClass `standard`; default 12. */
    readonly volumes?: number;
}

export interface ControlPlane {
    /** Folder with certificates, data and one log per process. */
    readonly dir: string;
    /** Admin kubeconfig (cluster-admin client certificate). */
    readonly kubeconfig: string;
    readonly server: string;
    /** Seconds from start until the API server answered /readyz, and until every fake node was Ready. */
    readonly timings: { apiReadySeconds: number; nodesReadySeconds: number };
    /** A request to the API server as cluster admin; resolves with status and parsed body. */
    readonly api: ApiClient;
    /** Stops every process; keeps `dir` (and says where) when `keepLogs`. */
    stop(keepLogs?: boolean): Promise<void>;
}

export async function startControlPlane(opts: ControlPlaneOptions = {}): Promise<ControlPlane> {
    const bin = toolchain.requireBinaries([
        "etcd",
        "kube-apiserver",
        "kube-controller-manager",
        "kube-scheduler",
        "kwok",
    ]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "iris-e2e-cp-"));
    const started = Date.now();
    const [etcdPort, peerPort, apiPort, kwokPort] = [
        await freePort(),
        await freePort(),
        await freePort(),
        await freePort(),
    ];
    const server = `https://127.0.0.1:${apiPort}`;
    const pki = path.join(dir, "pki");

    makePki(pki);
    const p = (f: string) => path.join(pki, f);
    const ca = fs.readFileSync(p("ca.crt"), "utf8");
    const kubeconfigFor = (user: string) => {
        const file = path.join(dir, `${user}.conf`);
        fs.writeFileSync(
            file,
            renderKubeconfig(
                server,
                ca,
                fs.readFileSync(p(`${user}.crt`), "utf8"),
                fs.readFileSync(p(`${user}.key`), "utf8"),
            ),
        );
        return file;
    };
    const adminConf = kubeconfigFor("admin");
    const kcmConf = kubeconfigFor("controller-manager");
    const schedulerConf = kubeconfigFor("scheduler");

    const start = (name: string, command: string, args: string[]): ChildProcess => {
        const log = fs.openSync(path.join(dir, `${name}.log`), "a");
        const child = spawn(command, args, { stdio: ["ignore", log, log] });
        fs.closeSync(log);
        running.add(child);
        child.once("exit", () => running.delete(child));
        return child;
    };
    const procs: ChildProcess[] = [];
    const stop = async (keepLogs = false) => {
        for (const child of [...procs].reverse()) {
            if (child.exitCode !== null || child.signalCode !== null) continue;
            const exited = new Promise((r) => child.once("exit", r));
            child.kill("SIGTERM");
            await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
            if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
        }
        if (keepLogs) console.error(`control plane logs kept in ${dir}`);
        else fs.rmSync(dir, { recursive: true, force: true });
    };

    try {
        procs.push(
            start("etcd", bin.etcd, [
                "--name=e2e",
                `--data-dir=${path.join(dir, "etcd")}`,
                `--listen-client-urls=http://127.0.0.1:${etcdPort}`,
                `--advertise-client-urls=http://127.0.0.1:${etcdPort}`,
                `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
                `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
                `--initial-cluster=e2e=http://127.0.0.1:${peerPort}`,
                "--unsafe-no-fsync",
            ]),
        );
        procs.push(
            start("kube-apiserver", bin["kube-apiserver"], [
                `--etcd-servers=http://127.0.0.1:${etcdPort}`,
                "--bind-address=127.0.0.1",
                "--advertise-address=127.0.0.1",
                `--secure-port=${apiPort}`,
                `--tls-cert-file=${p("apiserver.crt")}`,
                `--tls-private-key-file=${p("apiserver.key")}`,
                `--client-ca-file=${p("ca.crt")}`,
                `--service-account-key-file=${p("sa.pub")}`,
                `--service-account-signing-key-file=${p("sa.key")}`,
                "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                "--service-cluster-ip-range=10.96.0.0/16",
                "--authorization-mode=Node,RBAC",
                "--allow-privileged=true",
                // No pod runs, so no webhook could answer: see the header comment.
                "--disable-admission-plugins=MutatingAdmissionWebhook,ValidatingAdmissionWebhook",
                "--profiling=false",
            ]),
        );
        await until(
            "kube-apiserver /readyz",
            60_000,
            () =>
                new Promise<true | undefined>((resolve, reject) => {
                    https
                        .get(`${server}/readyz`, { ca, timeout: 2000 }, (res) => {
                            res.resume();
                            resolve(res.statusCode === 200 ? true : undefined);
                        })
                        .on("error", reject);
                }),
            dir,
        );
        const apiReadySeconds = (Date.now() - started) / 1000;
        procs.push(
            start("kube-controller-manager", bin["kube-controller-manager"], [
                `--kubeconfig=${kcmConf}`,
                `--authentication-kubeconfig=${kcmConf}`,
                `--authorization-kubeconfig=${kcmConf}`,
                "--bind-address=127.0.0.1",
                `--secure-port=${await freePort()}`,
                `--service-account-private-key-file=${p("sa.key")}`,
                `--root-ca-file=${p("ca.crt")}`,
                `--cluster-signing-cert-file=${p("ca.crt")}`,
                `--cluster-signing-key-file=${p("ca.key")}`,
                "--use-service-account-credentials=true",
                "--leader-elect=false",
                "--controllers=*,bootstrapsigner,tokencleaner",
            ]),
        );
        procs.push(
            start("kube-scheduler", bin["kube-scheduler"], [
                `--kubeconfig=${schedulerConf}`,
                `--authentication-kubeconfig=${schedulerConf}`,
                `--authorization-kubeconfig=${schedulerConf}`,
                "--bind-address=127.0.0.1",
                `--secure-port=${await freePort()}`,
                "--leader-elect=false",
            ]),
        );
        const kwokConfig = path.join(dir, "kwok.yaml");
        fs.writeFileSync(kwokConfig, kwokConfiguration(kwokPort, toolchain.kwokStagesDir()));
        procs.push(
            start("kwok", bin.kwok, [
                `--kubeconfig=${adminConf}`,
                `--config=${kwokConfig}`,
                "--manage-all-nodes=false",
                "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
                "--disregard-status-with-annotation-selector=kwok.x-k8s.io/status=custom",
                "--cidr=10.244.0.0/16",
                "--node-ip=127.0.0.1",
            ]),
        );

        const kubeconfig = fs.readFileSync(adminConf, "utf8");
        const api = adminClient(server, kubeconfig);
        const nodes = opts.nodes ?? 3;
        for (let n = 0; n < nodes; n++)
            await create(api, "/api/v1/nodes", fakeNode(`kwok-node-${n}`, n));
        await create(api, "/apis/storage.k8s.io/v1/storageclasses", {
            apiVersion: "storage.k8s.io/v1",
            kind: "StorageClass",
            metadata: { name: "standard" },
            provisioner: "kubernetes.io/no-provisioner",
            volumeBindingMode: "Immediate",
            reclaimPolicy: "Retain",
        });
        for (let v = 0; v < (opts.volumes ?? 12); v++) {
            await create(api, "/api/v1/persistentvolumes", {
                apiVersion: "v1",
                kind: "PersistentVolume",
                metadata: { name: `e2e-pv-${v}` },
                spec: {
                    capacity: { storage: "100Gi" },
                    accessModes: ["ReadWriteOnce"],
                    storageClassName: "standard",
                    persistentVolumeReclaimPolicy: "Retain",
                    hostPath: { path: `/tmp/iris-e2e-pv-${v}` },
                },
            });
        }
        await until(
            `${nodes} Ready fake nodes`,
            60_000,
            async () => {
                const { body } = await api("GET", "/api/v1/nodes");
                const items = (body.items ?? []) as {
                    status?: { conditions?: { type: string; status: string }[] };
                }[];
                const ready = items.filter((n) =>
                    n.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
                );
                return ready.length >= nodes ? true : undefined;
            },
            dir,
        );
        const nodesReadySeconds = (Date.now() - started) / 1000;
        const file = process.env.IRIS_E2E_TIMINGS;
        if (file)
            fs.appendFileSync(
                file,
                `control plane: API ready\t${apiReadySeconds.toFixed(1)}\ncontrol plane: nodes Ready\t${nodesReadySeconds.toFixed(1)}\n`,
            );
        return {
            dir,
            kubeconfig,
            server,
            api,
            stop,
            timings: { apiReadySeconds, nodesReadySeconds },
        };
    } catch (err) {
        await stop(true);
        throw err;
    }
}

async function create(api: ApiClient, urlPath: string, body: unknown): Promise<void> {
    const r = await api("POST", urlPath, body);
    if (r.status >= 300)
        throw new Error(
            `POST ${urlPath}: HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`,
        );
}
