/**
 * Where charts come from: the pinned upstream repositories by default; one
 * mirror for all (a directory of unpacked charts, a Helm repository or an OCI
 * prefix) or a source per chart for air-gapped and CI-restricted stacks; the
 * IKO chart from `iko.chart`, else the mirror. Config errors name the key.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import {
    chartSources,
    ikoMirrorSource,
    sourceFrom,
    upstreamCharts,
} from "../components/chart-sources";
import { parseConfig } from "../config";
import { chartKeys, charts } from "../versions";
import { problemsOf, rejectsKey } from "./config-helpers";
import { runProgram, isSecretValue } from "./mocks";
import { Platform } from "../components/platform";
import { testSecrets } from "./stack-files";

describe("chart sources", function () {
    it("default to every pinned chart from its upstream repository", function () {
        assert.deepStrictEqual(chartSources(), upstreamCharts);
        assert.deepStrictEqual(upstreamCharts.longhorn, {
            chart: "longhorn",
            version: charts.longhorn.version,
            repositoryOpts: { repo: charts.longhorn.repo },
        });
        assert.deepStrictEqual(upstreamCharts.nginxIngress, {
            chart: charts.nginxIngress.chart,
            version: charts.nginxIngress.version,
        });
    });

    it("locate a chart by local path, Helm repository or OCI prefix (the chart's own name inside)", function () {
        assert.deepStrictEqual(
            sourceFrom({ path: "./vendor/iris-operator" }, "iris-operator", "3.8.42"),
            { chart: "./vendor/iris-operator" },
        );
        assert.deepStrictEqual(
            sourceFrom({ repo: "https://charts.example.com" }, "iris-operator", "3.8.42"),
            {
                chart: "iris-operator",
                version: "3.8.42",
                repositoryOpts: { repo: "https://charts.example.com" },
            },
        );
        assert.deepStrictEqual(
            sourceFrom({ repo: "oci://registry.example.com/charts/" }, "iris-operator", "3.8.42"),
            {
                chart: "oci://registry.example.com/charts/iris-operator",
                version: "3.8.42",
            },
        );
    });

    it("take every chart from one directory, keeping no version (the directory is the version)", function () {
        const s = chartSources({ directory: "/srv/charts/" });
        for (const k of chartKeys)
            assert.deepStrictEqual(
                s[k],
                { chart: `/srv/charts/${charts[k].chart.split("/").pop()}` },
                k,
            );
        assert.deepStrictEqual(ikoMirrorSource({ directory: "/srv/charts" }), {
            chart: "/srv/charts/iris-operator",
        });
    });

    it("take every chart from one OCI mirror at the pinned version, with the login, and honour per-chart overrides", function () {
        const password = pulumi.secret("pw");
        const s = chartSources({
            mirror: "oci://mirror.example.com/helm",
            overrides: { longhorn: { path: "./charts/longhorn" } },
            login: { username: "ci", password },
        });
        assert.deepStrictEqual(s.longhorn, { chart: "./charts/longhorn" });
        assert.strictEqual(s.certManager.chart, "oci://mirror.example.com/helm/cert-manager");
        assert.strictEqual(s.certManager.version, charts.certManager.version);
        assert.strictEqual(s.nginxIngress.chart, "oci://mirror.example.com/helm/nginx-ingress");
        // The provider ignores repositoryOpts credentials for OCI (chart-login.test.ts): none here.
        assert.strictEqual(s.certManager.repositoryOpts, undefined);
        const http = chartSources({
            mirror: "https://charts.example.com/",
            login: { username: "ci", password },
        });
        assert.deepStrictEqual(http.certManager, {
            chart: "cert-manager",
            version: charts.certManager.version,
            repositoryOpts: { repo: "https://charts.example.com", username: "ci", password },
        });
    });

    it("config: directory and mirror exclude each other; a user needs a remote source and the password secret", function () {
        const gke = { provider: "gke", gke: { project: "p", region: "europe-west1" } };
        rejectsKey(
            { cluster: gke, charts: { directory: "/c", mirror: "oci://m/c" } },
            "charts.mirror",
            /conflicts with charts\.directory/,
        );
        rejectsKey(
            { cluster: gke, charts: { directory: "/c", username: "ci" } },
            "charts.username",
            /needs charts\.mirror or an overrides\.<chart>\.repo/,
            {
                chartRegistryPassword: pulumi.secret("x"),
            },
        );
        rejectsKey(
            { cluster: gke, charts: { mirror: "oci://m/c", username: "ci" } },
            "charts.username",
            /needs the `chartRegistryPassword` secret/,
        );
        rejectsKey(
            { cluster: gke, charts: { mirror: "ftp://m/c" } },
            "charts.mirror",
            /must be an oci:\/\/, https:\/\/ or http:\/\/ chart repository/,
        );
        rejectsKey(
            { cluster: gke, charts: { overrides: { longhorn: { path: "a", repo: "oci://b" } } } },
            "charts.overrides.longhorn",
            /must set exactly one of path and repo/,
        );
        rejectsKey(
            { cluster: gke, charts: { overrides: { longhron: { path: "a" } } } },
            "charts.overrides",
            /unknown key\(s\) longhron/,
        );
        assert.deepStrictEqual(
            problemsOf(
                {
                    cluster: gke,
                    iko: { enabled: true, registry: { username: "u" } },
                    charts: { directory: "/c" },
                },
                { registryToken: pulumi.secret("t") },
            ),
            [],
        );
    });

    it("reach every Release of a kubeadm platform and the IKO operator", async function () {
        const config = parseConfig(
            {
                cluster: { provider: "existing" },
                charts: { directory: "/mirror" },
                iko: { enabled: true, registry: { username: "u" } },
                iris: { storageClassName: "standard", instances: [] },
                longhorn: { enabled: true },
            },
            {
                kubeconfig: pulumi.secret(testSecrets.kubeconfig),
                registryToken: pulumi.secret("t"),
            },
        );
        const { recording } = await runProgram(() => new Platform("p", { config }));
        const releases = recording.ofType("kubernetes:helm.sh/v3:Release");
        assert.ok(releases.length >= 4, releases.map((r) => r.name).join(", "));
        for (const r of releases)
            assert.match(String(r.inputs.chart), /^\/mirror\/[a-z.0-9-]+$/, r.name);
        assert.ok(
            !releases.some((r) => isSecretValue(r.rawInputs.repositoryOpts)),
            "no login configured",
        );
    });
});
