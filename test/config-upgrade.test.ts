/**
 * The upgrade checks at config time: IRIS × IKO × Kubernetes against versions.ts ikoSupport
 * (accepted and refused combinations, each naming its key), and compatibilityVersion kept
 * consistent with the image.
 */
import * as assert from "assert";
import { upgradeProblems } from "../config/checks-upgrade";
import { compareReleases, irisRelease } from "../domain/iris";
import { ikoSupport, iko as ikoPins, kubernetesMinors, type IkoSupport } from "../versions";
import {
    allIrisSecrets as all,
    ikoOn,
    irisTestGke as gke,
    problemsOf,
    rejectsKey,
} from "./config-helpers";

const iris = (tag: string) => `containers.intersystems.com/intersystems/iris:${tag}`;
const ikoInstance = (image: string, extra: Record<string, unknown> = {}) => ({
    cluster: gke,
    iko: ikoOn,
    iris: { instances: [{ name: "iris", mode: "iko", image, ...extra }] },
});

describe("config: IRIS × IKO × Kubernetes compatibility (versions.ts ikoSupport)", function () {
    it("has a row for the pinned IKO that vouches for the default Kubernetes minor and IRIS 2025.1", function () {
        const row = ikoSupport[ikoPins.chartVersion.split(".").slice(0, 2).join(".")];
        assert.ok(row, `no row for IKO ${ikoPins.chartVersion}`);
        for (const k of row.kubernetes)
            assert.ok((kubernetesMinors as readonly string[]).includes(k));
        assert.match(row.source, /https:\/\//, "every row names its source");
        assert.deepStrictEqual(problemsOf(ikoInstance(iris("2025.1")), all), []);
        assert.deepStrictEqual(problemsOf(ikoInstance(iris("2023.2.0.227.0")), all), []);
    });

    it("refuses IRIS older than the row vouches for, naming the image or compatibilityVersion", function () {
        rejectsKey(
            ikoInstance(iris("2023.1")),
            "iris.instances[0].image",
            /is IRIS 2023\.1\.0, older than IKO 3\.8 is vouched for \(from 2023\.2, versions\.ts ikoSupport; iko\.chart\.version 3\.8\.42\)/,
            all,
        );
        rejectsKey(
            ikoInstance("registry.local/iris:latest-em", { compatibilityVersion: "2022.1.0" }),
            "iris.instances[0].compatibilityVersion",
            /is IRIS 2022\.1\.0, older than IKO 3\.8/,
            all,
        );
    });

    it("refuses an IKO minor without a row, naming iko.chart.version", function () {
        rejectsKey(
            {
                ...ikoInstance(iris("2025.1")),
                iko: { ...ikoOn, chart: { ...ikoOn.chart, version: "3.9.1" } },
            },
            "iko.chart.version",
            /is IKO 3\.9, which has no row in versions\.ts ikoSupport \(rows: 3\.8\): add one from InterSystems' IKO documentation/,
            all,
        );
    });

    it("refuses a Kubernetes minor the row does not list, naming cluster.kubernetesVersion", function () {
        const table: Record<string, IkoSupport> = {
            "3.8": { irisFrom: "2023.2", kubernetes: ["1.34", "1.35"], source: "test" },
        };
        const input = {
            ikoEnabled: true,
            ikoChartVersion: "3.8.42",
            instances: [{ mode: "iko" as const, image: iris("2025.1") }],
        };
        assert.deepStrictEqual(upgradeProblems(table, { ...input, kubernetes: "1.35" }), []);
        const problems = upgradeProblems(table, { ...input, kubernetes: "1.36" });
        assert.deepStrictEqual(
            problems.map((p) => [p.path.join("."), p.input]),
            [["cluster.kubernetesVersion", "1.36"]],
        );
        assert.match(problems[0].message, /not vouched for with IKO 3\.8 .*lists 1\.34, 1\.35/);
    });

    it("checks no IKO row for durable instances (no operator), only the image's own consistency", function () {
        const table: Record<string, IkoSupport> = {};
        assert.deepStrictEqual(
            upgradeProblems(table, {
                ikoEnabled: false,
                ikoChartVersion: "9.9.9",
                kubernetes: "1.36",
                instances: [{ mode: "standalone", image: iris("2021.1") }],
            }),
            [],
        );
    });

    it("refuses a compatibilityVersion an image change left behind (IKO renders the CPF for it)", function () {
        rejectsKey(
            ikoInstance(iris("2025.1"), { compatibilityVersion: "2024.1.0" }),
            "iris.instances[0].compatibilityVersion",
            /does not match image .*iris:2025\.1 \(IRIS 2025\.1\): set it to that release or remove it/,
            all,
        );
        rejectsKey(
            ikoInstance(iris("2025.1"), { compatibilityVersion: "2025.2.0" }),
            "iris.instances[0].compatibilityVersion",
            /does not match image .*iris:2025\.1 \(IRIS 2025\.1\)/,
            all,
        );
        // The same release with a patch level is consistent.
        assert.deepStrictEqual(
            problemsOf(ikoInstance(iris("2025.1"), { compatibilityVersion: "2025.1.2" }), all),
            [],
        );
        rejectsKey(
            {
                cluster: gke,
                iris: { instances: [{ name: "iris", compatibilityVersion: "2024.1.0" }] },
            },
            "iris.instances[0].compatibilityVersion",
            /does not match image .*iris-community:2025\.1/,
            all,
        );
    });

    it("orders IRIS releases as a downgrade check must (year, then release, then patch)", function () {
        const r = (s: string) => irisRelease(`x/iris:${s}`)!;
        assert.ok(compareReleases(r("2025.1"), r("2024.3")) > 0);
        assert.ok(compareReleases(r("2024.10"), r("2024.9")) > 0, "numbers, not text");
        assert.ok(compareReleases(r("2025.1.1"), r("2025.1")) > 0);
        assert.strictEqual(compareReleases(r("2025.1.0.223.0"), r("2025.1")), 0);
        assert.deepStrictEqual(irisRelease("x/iris:latest-em"), undefined);
        assert.deepStrictEqual(irisRelease("x/iris:latest-em", "2025.2"), [2025, 2, 0]);
        assert.deepStrictEqual(irisRelease("registry.local:5000/iris:2025.1"), [2025, 1, 0]);
    });
});
