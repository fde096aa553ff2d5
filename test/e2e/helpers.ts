/** Shared checks of the integration tier. */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import type { Stack } from "@pulumi/pulumi/automation";
import type { ControlPlane } from "./control-plane";

/** Distinctive values for every secret key: none may appear in a state file in plain text. */
export const e2eSecrets = {
    irisPassword: "E2E-SENTINEL-IRIS-PASSWORD",
    irisLicenseKey: "[ConfigFile]\nFileType=License 2025\n; E2E-SENTINEL-LICENSE\n",
    registryToken: "E2E-SENTINEL-REGISTRY-TOKEN",
    webgatewayPassword: "E2E-SENTINEL-WEBGATEWAY",
    chartRegistryPassword: "E2E-SENTINEL-CHART-REGISTRY",
    backupAccessKeyId: "E2E-SENTINEL-BACKUP-KEY-ID",
    backupSecretAccessKey: "E2E-SENTINEL-BACKUP-SECRET",
    grafanaAdminPassword: "E2E-SENTINEL-GRAFANA-ADMIN",
    alertSmtpPassword: "E2E-SENTINEL-SMTP-PASSWORD",
    irisMetricsPassword: "E2E-SENTINEL-IRIS-METRICS",
    alertTeamsWebhookUrl: "https://teams.example/E2E-SENTINEL-TEAMS",
} as const;

/** Fails naming each sentinel found in `text` (a `pulumi stack export`). */
export function assertNoSentinels(
    text: string,
    where: string,
    extra: readonly string[] = [],
): void {
    const found = [
        ...Object.values(e2eSecrets).map((v) => /E2E-SENTINEL-[A-Z-]+/.exec(v)?.[0] ?? v),
        ...extra,
    ].filter((s) => text.includes(s));
    // Where: the nearest resource URN before each occurrence.
    const at = found.map((s) => {
        const i = text.indexOf(s);
        const urns = text.slice(0, i).match(/"urn:pulumi:[^"]+"/g);
        return `${s} in ${urns?.[urns.length - 1] ?? "?"}: …${text.slice(Math.max(0, i - 160), i + s.length)}`;
    });
    assert.deepStrictEqual(
        found,
        [],
        `${where} holds secret values in plain text:\n${at.join("\n")}`,
    );
}

/** Rethrows an Automation API failure with the engine's own message first (CI shows it). */
export function engineError(err: unknown): never {
    const e = err as { message?: string; commandResult?: { stderr?: string; stdout?: string } };
    const detail = [
        e.commandResult?.stderr,
        e.commandResult?.stdout
            ?.split("\n")
            .filter((l) => /error|Error|failed/.test(l))
            .join("\n"),
    ]
        .filter(Boolean)
        .join("\n");
    throw new Error(
        `${e.message ?? String(err)}${detail ? `\n--- engine output ---\n${detail.slice(-6000)}` : ""}`,
    );
}

/** `pulumi preview` must plan nothing but `same` steps (a perpetual diff is a defect). */
export async function expectNoChanges(stack: Stack): Promise<void> {
    let planned = "";
    const result = await stack
        .preview({ diff: true, onOutput: (o) => (planned += o) })
        .catch(engineError);
    const changed = Object.entries(result.changeSummary).filter(
        ([op, n]) => op !== "same" && n > 0,
    );
    assert.deepStrictEqual(changed, [], `second preview plans changes:\n${planned.slice(-6000)}`);
}

/**
 * Runs `fn` and, when IRIS_E2E_TIMINGS names a file, appends `label<TAB>seconds`
 * to it for the benchmark (bench/e2e.sh); tests never assert on time.
 */
export async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
    const start = Date.now();
    try {
        return await fn();
    } finally {
        const file = process.env.IRIS_E2E_TIMINGS;
        if (file)
            fs.appendFileSync(file, `${label}\t${((Date.now() - start) / 1000).toFixed(1)}\n`);
    }
}

/**
 * Stand-in for Longhorn's provisioner (no Longhorn engine runs in this tier): the PV that the
 * durable IRIS claim `iris/<instance>-durable` binds to, shaped as Longhorn's CSI driver makes one
 * (the backup script reads the Longhorn volume name from `spec.csi.volumeHandle`).
 */
export async function provisionDurableIrisVolume(
    cp: ControlPlane,
    instance = "iris",
    volumeHandle = "pvc-e2e",
): Promise<void> {
    const pv = await cp.api("POST", "/api/v1/persistentvolumes", {
        apiVersion: "v1",
        kind: "PersistentVolume",
        metadata: { name: `e2e-${instance}-durable` },
        spec: {
            capacity: { storage: "10Gi" },
            accessModes: ["ReadWriteOnce"],
            storageClassName: "iris-retain",
            claimRef: { namespace: "iris", name: `${instance}-durable` },
            csi: { driver: "driver.longhorn.io", volumeHandle },
        },
    });
    assert.ok(pv.status < 300, `PV: HTTP ${pv.status}`);
}

/**
 * A kubeconfig file (written under the control plane's folder) holding only a TokenRequest token
 * for `namespace/account`: what a Job running as that ServiceAccount can do, and nothing more.
 */
export async function serviceAccountKubeconfig(
    cp: ControlPlane,
    namespace: string,
    account: string,
): Promise<string> {
    const t = await cp.api(
        "POST",
        `/api/v1/namespaces/${namespace}/serviceaccounts/${account}/token`,
        {
            apiVersion: "authentication.k8s.io/v1",
            kind: "TokenRequest",
            spec: {},
        },
    );
    const token = (t.body as { status?: { token?: string } } | undefined)?.status?.token;
    assert.ok(t.status < 300 && token, `TokenRequest ${namespace}/${account}: HTTP ${t.status}`);
    const file = path.join(cp.dir, `${namespace}-${account}.conf`);
    fs.writeFileSync(
        file,
        JSON.stringify({
            apiVersion: "v1",
            kind: "Config",
            clusters: [
                {
                    name: "e2e",
                    cluster: {
                        server: cp.server,
                        "certificate-authority": path.join(cp.dir, "pki", "ca.crt"),
                    },
                },
            ],
            users: [{ name: "job", user: { token } }],
            contexts: [{ name: "job", context: { cluster: "e2e", user: "job" } }],
            "current-context": "job",
        }),
        { mode: 0o600 },
    );
    return file;
}
