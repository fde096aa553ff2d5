/**
 * Inhibition decided by Alertmanager itself (v0.35.0): a running Alertmanager loads the rendered
 * alertmanager.yaml, receives alerts through its v2 API (POST /api/v2/alerts) and reports, per
 * alert, whether its inhibitor mutes it (GET /api/v2/alerts: `status.state` `suppressed` with
 * `status.inhibitedBy`). amtool cannot answer this offline (alertmanager-config.e2e.ts).
 *
 * The Alertmanager binary is the toolchain's (toolchain/build.sh `alertmanager`: the pinned module
 * with a placeholder in place of the web UI's built assets, which the module does not ship).
 */
import * as assert from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { alertmanagerConfig } from "../../components/monitoring/alertmanager";
import { freePort, running, until } from "./processes";
import { toolchain } from "./toolchain";

type ApiAlert = {
    labels: Record<string, string>;
    status: { state: string; inhibitedBy: string[] };
};

describe("inhibition by a running Alertmanager with the rendered config", function () {
    let url = "";
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "iris-e2e-alertmanager-"));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    before(async function () {
        const am = toolchain.requireBinaries(["alertmanager"]).alertmanager;
        const config = path.join(dir, "alertmanager.yaml");
        fs.writeFileSync(config, alertmanagerConfig({}));
        const port = await freePort();
        const log = path.join(dir, "alertmanager.log");
        const p = spawn(
            am,
            [
                `--config.file=${config}`,
                `--storage.path=${path.join(dir, "data")}`,
                `--web.listen-address=127.0.0.1:${port}`,
                "--cluster.listen-address=",
            ],
            { stdio: ["ignore", fs.openSync(log, "w"), fs.openSync(log, "a")] },
        );
        running.add(p);
        after(() => {
            p.kill("SIGKILL");
            running.delete(p);
        });
        url = `http://127.0.0.1:${port}`;
        await until(
            "Alertmanager ready",
            30_000,
            async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined),
            log,
        );
        const alerts = [
            { alertname: "InfoInhibitor", severity: "none", namespace: "iris" },
            { alertname: "KubeQuotaAlmostFull", severity: "info", namespace: "iris" },
            { alertname: "KubeQuotaAlmostFull", severity: "info", namespace: "other" },
            { alertname: "IRISLicenseNearlyUsed", severity: "warning", namespace: "iris" },
            { alertname: "IRISLicenseNearlyUsed", severity: "critical", namespace: "iris" },
            { alertname: "IRISInstanceDown", severity: "critical", namespace: "iris" },
        ];
        const r = await fetch(`${url}/api/v2/alerts`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(alerts.map((labels) => ({ labels }))),
        });
        assert.ok(r.ok, `POST /api/v2/alerts: HTTP ${r.status}`);
    });

    /** Each alert's state once every posted alert is known to the inhibitor. */
    async function states(): Promise<Map<string, string>> {
        return until("the six alerts", 15_000, async () => {
            const list = (await (await fetch(`${url}/api/v2/alerts`)).json()) as ApiAlert[];
            if (list.length < 6) return undefined;
            const key = (l: Record<string, string>) =>
                `${l.alertname}/${l.severity}/${l.namespace}`;
            const m = new Map(list.map((a) => [key(a.labels), a.status.state]));
            // The inhibitor learns of alerts asynchronously: wait until InfoInhibitor mutes.
            return m.get("KubeQuotaAlmostFull/info/iris") === "suppressed" ? m : undefined;
        }).catch(async () => {
            const list = (await (await fetch(`${url}/api/v2/alerts`)).json()) as ApiAlert[];
            return new Map(
                list.map((a) => [
                    `${a.labels.alertname}/${a.labels.severity}/${a.labels.namespace}`,
                    a.status.state,
                ]),
            );
        });
    }

    it("mutes an info alert while InfoInhibitor fires in its namespace, not elsewhere", async function () {
        const s = await states();
        assert.strictEqual(s.get("KubeQuotaAlmostFull/info/iris"), "suppressed");
        assert.strictEqual(s.get("KubeQuotaAlmostFull/info/other"), "active");
    });

    it("mutes a warning while the same alert is critical in the namespace; criticals page", async function () {
        const s = await states();
        assert.strictEqual(s.get("IRISLicenseNearlyUsed/warning/iris"), "suppressed");
        assert.strictEqual(s.get("IRISLicenseNearlyUsed/critical/iris"), "active");
        assert.strictEqual(s.get("IRISInstanceDown/critical/iris"), "active");
    });

    it("mutes InfoInhibitor itself while other alerts fire", async function () {
        const s = await states();
        assert.strictEqual(s.get("InfoInhibitor/none/iris"), "suppressed");
    });
});
