/**
 * A toolchain built elsewhere (`IRIS_TOOLCHAIN_BIN`, docs/testing.md) is used whole: kwok's stages
 * come from beside that toolchain's `bin/`, not from this checkout's `.toolchain/`.
 */
import * as assert from "assert";
import * as path from "path";
import { toolchain } from "./e2e/toolchain";

describe("integration toolchain paths", function () {
    const saved = process.env.IRIS_TOOLCHAIN_BIN;
    afterEach(function () {
        if (saved === undefined) delete process.env.IRIS_TOOLCHAIN_BIN;
        else process.env.IRIS_TOOLCHAIN_BIN = saved;
    });

    it("takes kwok's stages from beside IRIS_TOOLCHAIN_BIN", function () {
        process.env.IRIS_TOOLCHAIN_BIN = "/opt/iris-toolchain/bin";
        assert.strictEqual(toolchain.binDir(), "/opt/iris-toolchain/bin");
        assert.strictEqual(toolchain.kwokStagesDir(), "/opt/iris-toolchain/kwok-stages");
    });

    it("uses the checkout's .toolchain/ by default", function () {
        delete process.env.IRIS_TOOLCHAIN_BIN;
        const root = path.resolve(__dirname, "..", ".toolchain");
        assert.strictEqual(toolchain.binDir(), path.join(root, "bin"));
        assert.strictEqual(toolchain.kwokStagesDir(), path.join(root, "kwok-stages"));
    });
});
