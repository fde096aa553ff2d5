/**
 * docs/configuration.md names a removed key (config/index.ts `removedKeys`) only to say it
 * was removed: a stale mention would tell users to set a key the stack now refuses.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { removedKeys } from "../config";

describe("config reference (docs/configuration.md): removed keys", function () {
    const doc = fs.readFileSync(path.join(__dirname, "..", "docs", "configuration.md"), "utf8");

    it("mentions each removed key only in a sentence saying it was removed", function () {
        const stale: string[] = [];
        for (const full of Object.keys(removedKeys)) {
            const key = full.replace(/^iris-platform:/, "");
            for (const line of doc.split("\n"))
                if (line.includes(key) && !/\bremoved\b/.test(line))
                    stale.push(`${key}: ${line.trim()}`);
        }
        assert.deepStrictEqual(stale, []);
    });
});
