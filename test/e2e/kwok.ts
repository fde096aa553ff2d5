/** kwok's side of the local control plane: the fake nodes it plays and its configuration. */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";

/** A node kwok plays: selected by annotation, with room for the platform's pods. */
export function fakeNode(name: string, index: number): Record<string, unknown> {
    return {
        apiVersion: "v1",
        kind: "Node",
        metadata: {
            name,
            annotations: { "kwok.x-k8s.io/node": "fake", "node.alpha.kubernetes.io/ttl": "0" },
            labels: {
                "kubernetes.io/hostname": name,
                "kubernetes.io/os": "linux",
                "kubernetes.io/arch": "amd64",
                "topology.kubernetes.io/zone": `zone-${index % 3}`,
                type: "kwok",
            },
        },
        spec: {},
        status: {
            allocatable: { cpu: "32", memory: "128Gi", pods: "110" },
            capacity: { cpu: "32", memory: "128Gi", pods: "110" },
            nodeInfo: { architecture: "amd64", operatingSystem: "linux", kubeletVersion: "fake" },
        },
    };
}

/** kwok v0.8 needs lease parallelism and its stages (as the pinned module ships them). */
export function kwokConfiguration(port: number, stagesDir: string): string {
    const config = {
        apiVersion: "config.kwok.x-k8s.io/v1alpha1",
        kind: "KwokConfiguration",
        options: {
            nodePort: port,
            nodeLeaseDurationSeconds: 40,
            nodeLeaseParallelism: 4,
            nodePlayStageParallelism: 4,
            podPlayStageParallelism: 4,
            podsOnNodeSyncParallelism: 4,
        },
    };
    const stages = fs
        .readdirSync(stagesDir)
        .filter((f) => f.endsWith(".yaml"))
        .sort()
        .map((f) => fs.readFileSync(path.join(stagesDir, f), "utf8").trim());
    return [yaml.dump(config), ...stages].join("\n---\n");
}
