/** The lifecycle test's stack config: examples/Pulumi.existing.yaml adapted to the tier. */
import { stackFileConfig } from "./engine";
import type { Obj } from "./real-cluster";

/** A licensed image, so both instances carry a licence Secret (kwok runs no image). */
const licensedImage = "containers.intersystems.com/intersystems/iris:2025.1";

/**
 * examples/Pulumi.existing.yaml as a user would adapt it (this cluster's
 * kubeconfig, no kind context), plus an IKO-mode instance whose operator chart
 * is the stand-in (standin/iko.ts); both on a licensed image.
 */
export function existingConfig(globalBuffersMB: number, ikoChart: string): Record<string, unknown> {
    const config = stackFileConfig("examples/Pulumi.existing.yaml");
    const cluster = config["iris-platform:cluster"] as Obj;
    config["iris-platform:cluster"] = { ...cluster, existing: {} };
    // The chart-based add-ons run in charts.e2e.ts (they need the upstream charts); this file proves the IRIS layer.
    config["iris-platform:ingress"] = { enabled: false };
    config["iris-platform:certManager"] = { enabled: false };
    config["iris-platform:iko"] = {
        enabled: true,
        chart: { path: ikoChart },
        registry: { username: "e2e" },
    };
    const iris = config["iris-platform:iris"] as { instances: Obj[] };
    const ikoInstance = {
        name: "iko-iris",
        namespace: "iris",
        mode: "iko",
        cpf: { globalBuffersMB: 128, gmheapMB: 64 },
    };
    config["iris-platform:iris"] = {
        ...iris,
        instances: [...iris.instances, ikoInstance].map((i) => ({
            ...i,
            image: licensedImage,
            cpf: { ...(i.cpf as Obj), globalBuffersMB },
        })),
    };
    return config;
}
