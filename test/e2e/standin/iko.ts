/**
 * STAND-INS for the IKO pieces the integration tier cannot have for real:
 * - the IrisCluster CRD, which IKO's operator registers only when its pod
 *   runs (no pod runs here); this one accepts any spec;
 * - a minimal operator chart, for runs without the real IKO chart (it is
 *   InterSystems' download, not in this repository): one Deployment, so the
 *   Release has something to wait for.
 * Both are labelled `iris-platform.test/stand-in`.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";

export const standinLabel = { "iris-platform.test/stand-in": "true" };

export const standinIrisClusterCrd = {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "irisclusters.intersystems.com", labels: standinLabel },
    spec: {
        group: "intersystems.com",
        scope: "Namespaced",
        names: {
            kind: "IrisCluster",
            plural: "irisclusters",
            singular: "iriscluster",
            listKind: "IrisClusterList",
        },
        versions: [
            {
                name: "v1alpha1",
                served: true,
                storage: true,
                schema: {
                    openAPIV3Schema: {
                        type: "object",
                        "x-kubernetes-preserve-unknown-fields": true,
                    },
                },
            },
        ],
    },
};

/** Writes the stand-in operator chart into a fresh folder and returns its path. */
export function standinIkoChart(): string {
    const dir = path.join(
        fs.mkdtempSync(path.join(os.tmpdir(), "iris-e2e-iko-chart-")),
        "iris-operator",
    );
    fs.mkdirSync(path.join(dir, "templates"), { recursive: true });
    fs.writeFileSync(
        path.join(dir, "Chart.yaml"),
        yaml.dump({
            apiVersion: "v2",
            name: "iris-operator-standin",
            version: "0.0.0-standin",
            description: "STAND-IN for the IKO chart (integration tests only)",
        }),
    );
    // The values keys the program sets exist here too, as in the real chart.
    fs.writeFileSync(
        path.join(dir, "values.yaml"),
        yaml.dump({
            operator: { registry: "", repository: "", tag: "" },
            imagePullSecrets: [],
            nodeSelector: {},
            imagePullPolicy: "IfNotPresent",
        }),
    );
    const labels = { app: "iris-operator-standin", ...standinLabel };
    const deployment = {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "iris-operator", labels },
        spec: {
            replicas: 1,
            selector: { matchLabels: { app: labels.app } },
            template: {
                metadata: { labels },
                spec: {
                    nodeSelector: "__NODE_SELECTOR__",
                    containers: [{ name: "operator", image: "__IMAGE__" }],
                },
            },
        },
    };
    const template = yaml
        .dump(deployment)
        .replace(
            "nodeSelector: __NODE_SELECTOR__",
            "nodeSelector: {{- toYaml .Values.nodeSelector | nindent 8 }}",
        )
        .replace(
            "image: __IMAGE__",
            "image: {{ .Values.operator.registry }}/{{ .Values.operator.repository }}:{{ .Values.operator.tag }}",
        );
    fs.writeFileSync(path.join(dir, "templates", "deployment.yaml"), template);
    return dir;
}
