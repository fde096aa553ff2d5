/**
 * The IRIS layer's pure parts: PasswordHash derivation, CPF merge files,
 * compatibilityVersion, image helpers, the pull-secret document and the IKO
 * chart values.
 */
import * as assert from "assert";
import { irisPasswordHash, validatePasswordHash } from "../components/iris/password-hash";
import { commonCpf, computeCpf, dataCpf, renderCpf, standaloneCpf } from "../components/iris/cpf";
import { arbiterImageFor, compatibilityVersion, imageTag } from "../components/iris/images";
import { portalUrl } from "../components/iris/portal";
import { renderDockerConfigJson } from "../components/iris/secrets";
import { ikoValues } from "../components/iris/operator";
import { chartValues } from "./values-keys";
import { readinessProbe } from "../components/iris/durable-instance";

// InterSystems' own IKO sample common.cpf (reference/iko/*/samples) sets the
// default password to `SYS` with this hash and salt.
const sampleHash =
    "d62b4bc4392240c9010178c713e92e0c6e063ac436cedaf041411ef5a0f2d3c0978232529e1c26108e092d2f9856d2707466f4120b2271e9c3a5887d1bc4f723";
const sampleSalt =
    "8b3dc313ec1799a18c517a1e9655111f4d0679ffd3958be469934727c92b12bf31148800dcd64850803e4bbd0187cfca5b8cab35210eff831bfbcf2eb7cf37b1";

describe("IRIS PasswordHash", function () {
    it("reproduces the PasswordHash of InterSystems' sample common.cpf (password SYS)", function () {
        assert.strictEqual(
            irisPasswordHash("SYS", sampleSalt),
            `${sampleHash},${sampleSalt},10000,SHA512`,
        );
    });

    it("hashes the UTF-8 bytes of the password (vector from Python hashlib.pbkdf2_hmac)", function () {
        // python3: hashlib.pbkdf2_hmac('sha512', 'Pässwörd-ü1'.encode(), bytes(range(64)), 10000, 64).hex()
        const salt = Buffer.from(Array.from({ length: 64 }, (_, i) => i)).toString("hex");
        const expected =
            "d2967a1b8c9c143686597978ba3c3a1fef35007da9c61c88997ce769f08ee9d4e0797ad4788db441171210c7fa7a9eb0a40813315c6ecaccd3c4834205b8ac9e";
        assert.strictEqual(
            irisPasswordHash("Pässwörd-ü1", salt),
            `${expected},${salt},10000,SHA512`,
        );
    });

    it("rejects an empty password and a non-hex salt", function () {
        assert.throws(() => irisPasswordHash("", sampleSalt), /irisPassword: must not be empty/);
        assert.throws(() => irisPasswordHash("pw", "xyz"), /salt must be hex/);
    });

    it("accepts a given hash with or without work factor and the `PasswordHash=` prefix, and never echoes a bad one", function () {
        assert.strictEqual(
            validatePasswordHash(` PasswordHash=${sampleHash},${sampleSalt},10000,SHA512\n`),
            `${sampleHash},${sampleSalt},10000,SHA512`,
        );
        assert.strictEqual(
            validatePasswordHash(`${sampleHash},${sampleSalt}`),
            `${sampleHash},${sampleSalt}`,
        );
        assert.throws(
            () => validatePasswordHash("my-plain-password"),
            (err: Error) =>
                /irisPasswordHash: must look like/.test(err.message) &&
                !err.message.includes("my-plain-password"),
        );
    });
});

describe("CPF merge files", function () {
    const memory = { globalBuffersMB: 8192, gmheapMB: 512 };

    it("renders sections in order and leaves out empty ones", function () {
        assert.strictEqual(
            renderCpf([
                ["Startup", [["A", 1]]],
                ["Empty", []],
                ["config", [["b", "x,y"]]],
            ]),
            "[Startup]\nA=1\n\n[config]\nb=x,y\n",
        );
    });

    it("puts the PasswordHash in common.cpf and memory in data.cpf and compute.cpf", function () {
        assert.strictEqual(
            commonCpf("h,s,10000,SHA512"),
            "[Startup]\nPasswordHash=h,s,10000,SHA512\n",
        );
        // CSPSystem through an [Actions] ModifyUser (`Action:Prop=Value,…`, the comma-holding hash quoted).
        assert.strictEqual(
            commonCpf("h,s,10000,SHA512", "c,t,10000,SHA512"),
            '[Startup]\nPasswordHash=h,s,10000,SHA512\n\n[Actions]\nModifyUser:Name=CSPSystem,PasswordHash="c,t,10000,SHA512"\n',
        );
        // 8 KB buffers are the third globals field (MB); gmheap is in KB.
        assert.strictEqual(dataCpf(memory), "[config]\nglobals=0,0,8192,0,0,0\ngmheap=524288\n");
        assert.strictEqual(computeCpf(memory), dataCpf(memory));
    });

    it("renders the standalone merge file with both", function () {
        assert.strictEqual(
            standaloneCpf("h,s,10000,SHA512", { globalBuffersMB: 256, gmheapMB: 64 }),
            "[Startup]\nPasswordHash=h,s,10000,SHA512\n\n[config]\nglobals=0,0,256,0,0,0\ngmheap=65536\n",
        );
        assert.ok(!standaloneCpf(undefined, memory).includes("PasswordHash"));
    });
});

describe("IRIS image helpers", function () {
    it("derives compatibilityVersion from the image tag unless given", function () {
        const cases: Record<string, string> = {
            "containers.intersystems.com/intersystems/iris-community:2025.1": "2025.1.0",
            "containers.intersystems.com/intersystems/iris:2024.1.0.263.0": "2024.1.0",
            "containers.intersystems.com/intersystems/irishealth:2025.2.1": "2025.2.1",
            "registry.local:5000/intersystems/iris:2024.3-linux-amd64": "2024.3.0",
        };
        for (const [image, version] of Object.entries(cases))
            assert.strictEqual(compatibilityVersion(image), version, image);
        assert.strictEqual(compatibilityVersion("x/iris:latest-em", "2025.1.0"), "2025.1.0");
        assert.throws(
            () => compatibilityVersion("x/iris:latest-em"),
            /compatibilityVersion: is required: image x\/iris:latest-em has no YYYY\.N tag/,
        );
        assert.throws(() => compatibilityVersion("registry.local:5000/iris"), /no YYYY\.N tag/);
    });

    it("finds the tag past a registry port and builds the matching arbiter image", function () {
        assert.strictEqual(imageTag("registry.local:5000/iris"), undefined);
        assert.strictEqual(
            arbiterImageFor("containers.intersystems.com/intersystems/iris:2025.1"),
            "containers.intersystems.com/intersystems/arbiter:2025.1",
        );
    });

    it("builds the portal URL on HTTPS", function () {
        assert.strictEqual(
            portalUrl("iris.example.com"),
            "https://iris.example.com/csp/sys/UtilHome.csp",
        );
    });
});

describe("standalone readiness probe", function () {
    it("asks the portal on community images and the superserver on licensed ones (no private web server since 2023.2)", function () {
        const community = readinessProbe(
            "containers.intersystems.com/intersystems/iris-community:2025.1",
        );
        assert.deepStrictEqual(community.httpGet, { path: "/csp/sys/UtilHome.csp", port: 52773 });
        const licensed = readinessProbe("containers.intersystems.com/intersystems/iris:2025.1");
        assert.deepStrictEqual([licensed.tcpSocket, licensed.httpGet], [{ port: 1972 }, undefined]);
    });
});

describe("registry pull secret document", function () {
    it("is a dockerconfigjson with base64 user:token auth", function () {
        const doc = JSON.parse(
            renderDockerConfigJson("containers.intersystems.com", "me@example.com", "tok"),
        ) as {
            auths: Record<string, { username: string; password: string; auth: string }>;
        };
        const entry = doc.auths["containers.intersystems.com"];
        assert.deepStrictEqual(entry, {
            username: "me@example.com",
            password: "tok",
            auth: Buffer.from("me@example.com:tok").toString("base64"),
        });
    });
});

describe("IKO chart", function () {
    it("sets the operator image, the pull secret and a nodeSelector whose arch follows the image (overriding the chart's arm64 pin)", function () {
        const values = ikoValues(
            {
                registry: "r.example.com",
                repository: "intersystems/iris-operator-amd",
                tag: "3.8.42.100",
            },
            "iris-pull-iko-4a7c9e1f",
        );
        assert.deepStrictEqual(values.operator, {
            registry: "r.example.com",
            repository: "intersystems/iris-operator-amd",
            tag: "3.8.42.100",
        });
        assert.deepStrictEqual(values.imagePullSecrets, [{ name: "iris-pull-iko-4a7c9e1f" }]);
        // Helm merges maps: leaving the arch key out would keep the chart's `kubernetes.io/arch: arm64`.
        assert.deepStrictEqual(values.nodeSelector, {
            "kubernetes.io/os": "linux",
            "kubernetes.io/arch": "amd64",
        });
        const arm = ikoValues(
            { registry: "r", repository: "intersystems/iris-operator-arm", tag: "t" },
            undefined,
        );
        assert.deepStrictEqual(arm.nodeSelector, {
            "kubernetes.io/os": "linux",
            "kubernetes.io/arch": "arm64",
        });
        // Unknown image name: null deletes the chart's pin.
        assert.deepStrictEqual(
            ikoValues({ registry: "r", repository: "mirror/operator", tag: "t" }, undefined)
                .nodeSelector,
            {
                "kubernetes.io/os": "linux",
                "kubernetes.io/arch": null,
            },
        );
        assert.deepStrictEqual(
            ikoValues({ registry: "r", repository: "x", tag: "t" }, undefined).imagePullSecrets,
            [],
        );
    });

    it("only sets keys that exist in the chart's values.yaml", function () {
        const upstream = chartValues("iris-operator-3.8.42.100");
        const values = ikoValues({ registry: "r", repository: "x", tag: "t" }, "s");
        for (const [key, value] of Object.entries(values)) {
            assert.ok(key in upstream, `values key ${key} is not in the chart`);
            if (key === "operator") {
                for (const sub of Object.keys(value as object))
                    assert.ok(
                        sub in (upstream.operator as object),
                        `operator.${sub} is not in the chart`,
                    );
            }
        }
    });
});
