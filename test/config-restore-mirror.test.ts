/**
 * Config: restoring a mirrored instance's set. A mirror member's set restores an instance that
 * still believes it is a mirror member, and restoreFrom does not remove mirror configuration (the
 * drill does): refused at preview when the source is a mirrored instance of the same stack.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { allIrisSecrets, ikoOn, mirroredIko, problemsOf, rejects } from "./config-helpers";

const gke = { provider: "gke", gke: { project: "p", region: "europe-west1" } };
const longhorn = { backup: { enabled: true, target: "s3://bucket@eu-west-1/" } };
const secrets = {
    ...allIrisSecrets,
    backupAccessKeyId: pulumi.secret("id"),
    backupSecretAccessKey: pulumi.secret("key"),
};
const dr = (from: string) => ({
    name: "dr",
    namespace: "iris-dr",
    restoreFrom: { set: "latest", instance: from },
});

describe("config: restoreFrom of a mirrored instance's sets", function () {
    it("refuses a mirrored source in the same stack, naming the key and why", function () {
        rejects(
            {
                cluster: gke,
                longhorn,
                iko: ikoOn,
                iris: { instances: [mirroredIko({ namespace: "iris" }), dr("iris/iris")] },
            },
            secrets,
            /^iris-platform:iris\.instances\[1\]\.restoreFrom\.instance: is mirrored: its sets come from a mirror member .* \(got "iris\/iris"\)/,
        );
    });

    it("accepts an unmirrored source", function () {
        const problems = problemsOf(
            {
                cluster: gke,
                longhorn,
                iko: ikoOn,
                iris: { instances: [{ name: "iris", namespace: "iris" }, dr("iris/iris")] },
            },
            secrets,
        );
        assert.deepStrictEqual(problems, []);
    });
});
