/**
 * The rendered alertmanager.yaml judged by Alertmanager's own tool (amtool v0.35.0, built from
 * its Go module in the toolchain): `amtool check-config` loads it with Alertmanager's config
 * parser for every receiver combination the program can render, and `amtool config routes test`
 * walks Alertmanager's routing tree for the alerts that matter.
 *
 * Inhibition: amtool evaluates routes only, never inhibit rules (they need the alerts that are
 * firing), so the rules are proven here by Alertmanager loading them (check-config counts them)
 * and by their equality with the chart's (test/monitoring-alerting.test.ts). That an info alert is
 * muted while InfoInhibitor fires needs a running Alertmanager: docs/monitoring.md.
 */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { alertmanagerConfig, type AlertRoutes } from "../../components/monitoring/alertmanager";
import { toolchain } from "./toolchain";

const email = {
    to: "oncall@example.com",
    from: "am@example.com",
    smarthost: "smtp.example.com:587",
};
/** Every receiver combination `monitoring.alerts` can produce. */
const combinations: Record<string, AlertRoutes> = {
    none: {},
    "email without auth": { email },
    "email with auth": { email: { ...email, username: "am@example.com", password: "pw" } },
    slack: { slack: { channel: "#iris", webhookUrl: "https://hooks.slack.com/services/T/B/x" } },
    teams: { teamsWebhookUrl: "https://example.webhook.office.com/workflows/x" },
    all: {
        email: { ...email, username: "am@example.com", password: "pw" },
        slack: { channel: "#iris", webhookUrl: "https://hooks.slack.com/services/T/B/x" },
        teamsWebhookUrl: "https://example.webhook.office.com/workflows/x",
    },
};

describe("Alertmanager config accepted and routed by amtool", function () {
    const { amtool } = toolchain.requireBinaries(["amtool"]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "iris-e2e-amtool-"));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const run = (args: string[]) => {
        try {
            return {
                code: 0,
                out: execFileSync(amtool, args, {
                    encoding: "utf8",
                    stdio: ["ignore", "pipe", "pipe"],
                }),
            };
        } catch (err) {
            const e = err as { status: number; stdout: string; stderr: string };
            return { code: e.status, out: `${e.stdout}${e.stderr}` };
        }
    };
    const write = (name: string, routes: AlertRoutes) => {
        const file = path.join(dir, `${name.replace(/\W+/g, "-")}.yaml`);
        fs.writeFileSync(file, alertmanagerConfig(routes));
        return file;
    };
    /** The receivers Alertmanager's routing tree gives an alert with these labels. */
    const routeOf = (file: string, labels: string[]) => {
        const r = run(["config", "routes", "test", `--config.file=${file}`, ...labels]);
        assert.strictEqual(r.code, 0, r.out);
        return r.out.trim();
    };

    for (const [name, routes] of Object.entries(combinations))
        it(`check-config accepts the config with receivers: ${name}, inhibit rules included`, function () {
            const r = run(["check-config", write(name, routes)]);
            assert.strictEqual(r.code, 0, r.out);
            assert.match(r.out, /SUCCESS/);
            assert.match(r.out, / - 4 inhibit rules/);
            assert.match(r.out, / - 2 receivers/);
        });

    it("check-config refuses a broken config (the check can fail)", function () {
        const file = path.join(dir, "broken.yaml");
        fs.writeFileSync(
            file,
            alertmanagerConfig(combinations.all).replace("smarthost: smtp.example.com:587", ""),
        );
        const r = run(["check-config", file]);
        assert.notStrictEqual(r.code, 0, r.out);
    });

    it("a critical IRIS alert reaches the configured receiver; Watchdog and InfoInhibitor page nobody", function () {
        const file = write("all", combinations.all);
        assert.strictEqual(
            routeOf(file, ["severity=critical", "alertname=IRISInstanceDown", "namespace=iris"]),
            "iris-platform",
        );
        assert.strictEqual(
            routeOf(file, ["severity=info", "alertname=KubeQuotaAlmostFull", "namespace=iris"]),
            "iris-platform",
        );
        assert.strictEqual(routeOf(file, ["alertname=Watchdog", "severity=none"]), "null");
        assert.strictEqual(
            routeOf(file, ["alertname=InfoInhibitor", "severity=none", "namespace=iris"]),
            "null",
        );
    });

    it("the receiver that a critical alert reaches holds every configured integration", function () {
        const text = fs.readFileSync(write("all", combinations.all), "utf8");
        for (const key of ["email_configs", "slack_configs", "msteamsv2_configs"])
            assert.match(text, new RegExp(`\\b${key}:`));
    });
});
