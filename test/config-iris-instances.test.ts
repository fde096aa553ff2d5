/**
 * Config errors of IRIS instances' images, uniqueness, routing, storage and sizing:
 * each names the key, the bad value and what to do.
 */
import * as assert from "assert";
import { allIrisSecrets as all, irisTestGke as gke, problemsOf, rejects } from "./config-helpers";

describe("config: iris instances (images, routing, sizing)", function () {
    it("rejects an image without a release tag unless compatibilityVersion is given (the downgrade guard needs the release)", function () {
        const repo = "containers.intersystems.com/intersystems/iris-community";
        const image = `${repo}:latest-em`;
        const digest = `@sha256:${"ab".repeat(32)}`;
        for (const untagged of [image, `${repo}${digest}`])
            rejects(
                { cluster: gke, iris: { instances: [{ name: "iris", image: untagged }] } },
                all,
                /^iris-platform:iris\.instances\[0\]\.image: has no IRIS release tag \(YYYY\.N.*set iris\.instances\[\]\.compatibilityVersion/,
            );
        assert.deepStrictEqual(
            problemsOf(
                {
                    cluster: gke,
                    iris: { instances: [{ name: "iris", image: `${repo}:2025.1${digest}` }] },
                },
                all,
            ),
            [],
            "a tag pinned by digest still names its release",
        );
        assert.deepStrictEqual(
            problemsOf(
                {
                    cluster: gke,
                    iris: {
                        instances: [{ name: "iris", image, compatibilityVersion: "2025.1.0" }],
                    },
                },
                all,
            ),
            [],
        );
        rejects(
            { cluster: gke, iris: { instances: [{ name: "iris", compatibilityVersion: "2025" }] } },
            all,
            /compatibilityVersion: must look like 2025\.1\.0 \(got "2025"\)/,
        );
    });

    it("rejects repeated instances, hosts without ingress or cert-manager, and storage without a class", function () {
        rejects(
            { cluster: gke, iris: { instances: [{ name: "iris" }, { name: "iris" }] } },
            all,
            /^iris-platform:iris\.instances\[1\]\.name: repeats instance iris\/iris/,
        );
        rejects(
            {
                cluster: gke,
                ingress: { enabled: false },
                iris: { instances: [{ name: "iris", host: "iris.example.com" }] },
            },
            all,
            /\[0\]\.host: needs ingress\.enabled/,
        );
        rejects(
            {
                cluster: gke,
                certManager: { enabled: false },
                iris: { instances: [{ name: "iris", host: "iris.example.com" }] },
            },
            all,
            /\[0\]\.host: needs certManager\.enabled/,
        );
        rejects(
            { cluster: gke, longhorn: { enabled: false }, iris: { instances: [{ name: "iris" }] } },
            all,
            /^iris-platform:iris\.storageClassName: is required when longhorn\.enabled is false/,
        );
    });

    it("rejects global buffers plus gmheap that do not fit the memory limit", function () {
        const sized = (globalBuffersMB: number) => ({
            cluster: gke,
            iris: {
                instances: [
                    {
                        name: "iris",
                        resources: { limits: { memory: "2Gi" } },
                        cpf: { globalBuffersMB, gmheapMB: 128 },
                    },
                ],
            },
        });
        rejects(
            sized(1600),
            all,
            /^iris-platform:iris\.instances\[0\]\.cpf\.globalBuffersMB: plus gmheapMB \(128\) must stay under 80% of resources\.limits\.memory \(2Gi\) \(got 1600\)/,
        );
        assert.deepStrictEqual(problemsOf(sized(1024), all), []);
    });
});
