/**
 * loadConfig as Pulumi hands it the stack: every `iris-platform:*` key is
 * validated (a misspelt section is refused, not ignored) and a secret key set
 * in plain text in the stack file is refused without echoing its value.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, loadConfig } from "../config";

const existing = JSON.stringify({
    provider: "existing",
    name: "local",
    existing: { context: "kind-iris" },
});

function loadWith(config: Record<string, string>, secretKeys: string[]): () => unknown {
    return () => {
        pulumi.runtime.setAllConfig(config, secretKeys);
        try {
            return loadConfig();
        } finally {
            pulumi.runtime.setAllConfig({}, []);
        }
    };
}

function problems(fn: () => unknown): readonly string[] {
    try {
        fn();
    } catch (err) {
        if (err instanceof ConfigError) return err.problems;
        throw err;
    }
    assert.fail("config was accepted");
}

describe("config: loading the stack", function () {
    it("accepts a minimal stack and keeps secrets secret", async function () {
        const c = loadWith(
            { "iris-platform:cluster": existing, "iris-platform:kubeconfig": "apiVersion: v1" },
            ["iris-platform:kubeconfig"],
        )() as {
            secrets: { kubeconfig?: pulumi.Output<string> };
        };
        assert.ok(c.secrets.kubeconfig);
        assert.strictEqual(await pulumi.isSecret(c.secrets.kubeconfig), true);
    });

    it("refuses an unknown top-level key (a misspelt section) instead of applying defaults", function () {
        const found = problems(
            loadWith(
                {
                    "iris-platform:cluster": existing,
                    "iris-platform:kubeconfig": "x",
                    "iris-platform:longhorm": JSON.stringify({ enabled: false }),
                },
                ["iris-platform:kubeconfig"],
            ),
        );
        assert.deepStrictEqual(found, [
            "iris-platform:longhorm: unknown config key; check the spelling against README",
        ]);
    });

    it("refuses a scalar where a section belongs, naming the key", function () {
        const found = problems(
            loadWith({ "iris-platform:cluster": existing, "iris-platform:iris": "yes" }, []),
        );
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /^iris-platform:iris: .*\(got "yes"\)$/);
    });

    it("refuses every secret key set in plain text, without showing the value", function () {
        const found = problems(
            loadWith(
                {
                    "iris-platform:cluster": existing,
                    "iris-platform:kubeconfig": "apiVersion: v1",
                    "iris-platform:irisPassword": "hunter2-PLAIN",
                    "iris-platform:registryToken": "token-PLAIN",
                },
                ["iris-platform:kubeconfig"],
            ),
        );
        assert.deepStrictEqual(
            found.filter((p) => /plain text/.test(p)).map((p) => p.split(":")[1]),
            ["irisPassword", "registryToken"],
        );
        assert.match(found[0], /set it with `pulumi config set --secret irisPassword …`/);
        assert.ok(!found.join("\n").includes("PLAIN"), "secret values are never echoed");
    });

    it("treats a secret key left at Pulumi.yaml's empty default as unset", function () {
        const found = problems(
            loadWith({ "iris-platform:cluster": existing, "iris-platform:kubeconfig": "" }, []),
        );
        assert.ok(!found.some((p) => /plain text/.test(p)), found.join("\n"));
    });
});
