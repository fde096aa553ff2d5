/**
 * Config errors of the `iko` and `iris` sections: each names the key, the bad
 * value and what to do.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { parseConfig } from "../config";
import {
    allIrisSecrets as all,
    ikoOn as iko,
    irisTestGke as gke,
    licensedImage as licensed,
    mirroredIko,
    problemsOf,
    rejects,
} from "./config-helpers";

const s = (v: string) => pulumi.secret(v);

describe("config: iko and iris", function () {
    it("accepts a mirrored licensed IrisCluster with every secret it needs", function () {
        const c = parseConfig(
            {
                cluster: gke,
                iko,
                iris: { instances: [mirroredIko()] },
            },
            all,
        );
        assert.strictEqual(c.iris.instances[0].data.arbiter, true);
        assert.strictEqual(c.iko.namespace, "iko");
    });

    it("rejects mirroring and sharding on a community image", function () {
        for (const topology of ["mirrored", "sharded"]) {
            rejects(
                {
                    cluster: gke,
                    iko,
                    iris: { instances: [{ name: "iris", mode: "iko", data: { topology } }] },
                },
                all,
                new RegExp(
                    `^iris-platform:iris\\.instances\\[0\\]\\.data\\.topology: is not possible with community image .*cannot mirror or shard \\(got "${topology}"\\)`,
                ),
            );
        }
    });

    it("refuses a portal host on a standalone licensed instance (no private web server), nor on IKO without web-gateway nodes", function () {
        const inst = { name: "iris", image: licensed, host: "iris.example.com" };
        rejects(
            { cluster: gke, iris: { instances: [inst] } },
            all,
            /^iris-platform:iris\.instances\[0\]\.host: needs mode iko with web-gateway nodes: .*no private web server.* \(got "iris\.example\.com"\)$/,
        );
        assert.deepStrictEqual(
            problemsOf({ cluster: gke, iko, iris: { instances: [{ ...inst, mode: "iko" }] } }, all),
            [],
        );
        // IKO without web-gateway nodes has no web server on a licensed image either.
        rejects(
            {
                cluster: gke,
                iko,
                iris: { instances: [{ ...inst, mode: "iko", webgateway: { replicas: 0 } }] },
            },
            all,
            /^iris-platform:iris\.instances\[0\]\.host: needs webgateway\.replicas > 0: .*no private web server.* \(got "iris\.example\.com"\)$/,
        );
        assert.deepStrictEqual(
            problemsOf({ cluster: gke, iris: { instances: [{ ...inst, host: undefined }] } }, all),
            [],
        );
    });

    it("takes a chart registry login only with a repository and its password secret", function () {
        const oci = {
            ...iko,
            chart: { repo: "oci://registry.example.com/charts", username: "ci" },
        };
        assert.deepStrictEqual(
            problemsOf({ cluster: gke, iko: oci }, { ...all, chartRegistryPassword: s("pw") }),
            [],
        );
        rejects(
            { cluster: gke, iko: oci },
            all,
            /^iris-platform:iko\.chart\.username: needs the `chartRegistryPassword` secret .*\(got "ci"\)$/,
        );
        rejects(
            { cluster: gke, iko: { ...iko, chart: { path: "./vendor/x", username: "ci" } } },
            { ...all, chartRegistryPassword: s("pw") },
            /^iris-platform:iko\.chart\.username: needs iko\.chart\.repo: a local chart path takes no login \(got "ci"\)$/,
        );
    });

    it("requires webgatewayPassword for IKO web-gateway nodes (CSPSystem would keep SYS)", function () {
        const { webgatewayPassword: _wg, ...noWg } = all;
        const inst = { name: "iris", mode: "iko", image: licensed };
        rejects(
            { cluster: gke, iko, iris: { instances: [inst] } },
            noWg,
            /^iris-platform:iris\.instances\[0\]\.webgateway\.replicas: needs the `webgatewayPassword` secret: .*default password SYS \(got 1\)$/,
        );
        assert.deepStrictEqual(
            problemsOf(
                {
                    cluster: gke,
                    iko,
                    iris: { instances: [{ ...inst, webgateway: { replicas: 0 } }] },
                },
                noWg,
            ),
            [],
        );
    });

    it("requires the licence key for a licensed image, not for a community one", function () {
        const { irisLicenseKey: _key, ...noKey } = all;
        rejects(
            { cluster: gke, iris: { instances: [{ name: "iris", image: licensed }] } },
            noKey,
            /^iris-platform:iris\.instances\[0\]\.image: is a licensed image: set the `irisLicenseKey` secret/,
        );
        assert.deepStrictEqual(
            problemsOf(
                { cluster: gke, iris: { instances: [{ name: "iris" }] } },
                { irisPassword: s("pw") },
            ),
            [],
        );
    });

    it("requires a password (or its hash) and refuses both", function () {
        rejects(
            { cluster: gke, iris: { instances: [{ name: "iris" }] } },
            {},
            /^iris-platform:iris\.instances: need the `irisPassword` \(or `irisPasswordHash`\) secret/,
        );
        rejects(
            { cluster: gke, iris: { instances: [{ name: "iris" }] } },
            { irisPassword: s("pw"), irisPasswordHash: s("ab,cd") },
            /^iris-platform:iris\.instances: take the `irisPassword` or the `irisPasswordHash` secret, not both/,
        );
    });

    it("requires iko.enabled for mode iko, and the chart, registry user and token for IKO", function () {
        rejects(
            { cluster: gke, iris: { instances: [{ name: "iris", mode: "iko" }] } },
            all,
            /^iris-platform:iris\.instances\[0\]\.mode: needs iko\.enabled: true/,
        );
        rejects(
            { cluster: gke, iko: { enabled: true, registry: { username: "u" } } },
            all,
            /^iris-platform:iko\.chart\.path: is required \(or iko\.chart\.repo, or charts\.directory\/charts\.mirror\)/,
        );
        rejects(
            { cluster: gke, iko: { ...iko, chart: { path: "./c", repo: "oci://r" } } },
            all,
            /^iris-platform:iko\.chart\.repo: conflicts with iko\.chart\.path/,
        );
        rejects(
            { cluster: gke, iko: { enabled: true, chart: { path: "./c" } } },
            all,
            /^iris-platform:iko\.registry\.username: is required/,
        );
        rejects(
            { cluster: gke, iko },
            { irisPassword: s("pw") },
            /^iris-platform:iko\.enabled: needs the `registryToken` secret/,
        );
    });

    it("rejects a multi-node topology or compute nodes in standalone mode", function () {
        rejects(
            {
                cluster: gke,
                iris: {
                    instances: [{ name: "iris", image: licensed, data: { topology: "mirrored" } }],
                },
            },
            all,
            /^iris-platform:iris\.instances\[0\]\.data\.topology: needs mode iko/,
        );
        rejects(
            { cluster: gke, iris: { instances: [{ name: "iris", compute: { replicas: 2 } }] } },
            all,
            /^iris-platform:iris\.instances\[0\]\.compute\.replicas: needs mode iko:.*\(got 2\)/,
        );
    });
});
