/**
 * `npm run chart-keys` and the tests agree on which chart-key fixtures exist: the script writes
 * exactly the fixtures `chartValues` reads (test/values-keys.ts `chartKeyFixtures`), named after
 * the versions versions.ts pins, from either the documented charts-directory layout (`<chart>/`)
 * or `<chart>-<version>/`.
 */
import * as assert from "assert";
import * as fs from "fs";
import { chartKeyFixtures, chartKeysDir, chartValues, fixtureForFolder } from "./values-keys";

describe("chart-key fixtures (test/fixtures/chart-keys, npm run chart-keys)", function () {
    it("holds exactly the fixtures the tests read, one per pinned chart version", function () {
        const files = fs
            .readdirSync(chartKeysDir)
            .filter((f) => f.endsWith(".json"))
            .map((f) => f.replace(/\.json$/, ""))
            .sort();
        const read = Object.values(chartKeyFixtures)
            .map((f) => f.fixture)
            .sort();
        assert.deepStrictEqual(files, read);
    });

    it("names a charts-directory folder's fixture after the pinned version", function () {
        assert.strictEqual(fixtureForFolder("longhorn", "1.12.1"), "longhorn-1.12.1");
        assert.strictEqual(fixtureForFolder("cert-manager", "v1.21.1"), "cert-manager-v1.21.1");
        assert.strictEqual(fixtureForFolder("iris-operator", "3.8.42"), "iris-operator-3.8.42.100");
        assert.strictEqual(fixtureForFolder("longhorn-1.12.1"), "longhorn-1.12.1");
    });

    it("refuses a chart of another version than versions.ts pins", function () {
        assert.throws(
            () => fixtureForFolder("longhorn", "1.11.0"),
            /pins 1\.12\.1: bump versions\.ts/,
        );
    });

    it("skips charts whose keys no test reads", function () {
        assert.strictEqual(fixtureForFolder("tigera-operator", "v3.32.1"), undefined);
        assert.strictEqual(fixtureForFolder("longhorn-1.11.0"), undefined);
    });

    it("lets tests read only listed fixtures", function () {
        assert.throws(() => chartValues("longhorn"), /not in chartKeyFixtures/);
    });
});
