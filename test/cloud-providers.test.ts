import * as assert from "assert";
import { gcpLabels } from "../components/cloud";

describe("cloud providers: GCP default labels", function () {
    it("lower-cases and replaces characters GCP label values reject (stack names may hold capitals and dots)", function () {
        assert.deepStrictEqual(
            gcpLabels({ "iris-platform-stack": "Prod.EU_1", "managed-by": "pulumi" }),
            {
                "iris-platform-stack": "prod-eu_1",
                "managed-by": "pulumi",
            },
        );
    });

    it("keeps values within GCP's 63-character limit", function () {
        assert.strictEqual(gcpLabels({ k: "a".repeat(80) }).k.length, 63);
    });
});
