/**
 * Labels on IRIS pods, published by the IRIS layer: the platform's own (standalone
 * instances) and IKO's. Other layers get them through the layer's published facts
 * (published.ts), never by naming them.
 */

/** Labels every IRIS-layer object carries. */
export function irisLabels(instance: string): Record<string, string> {
    return {
        "app.kubernetes.io/name": "iris",
        "app.kubernetes.io/instance": instance,
        "app.kubernetes.io/managed-by": "pulumi",
    };
}

/**
 * Labels IKO sets on the pods of an IrisCluster (InterSystems Kubernetes Operator docs,
 * "Using the InterSystems Kubernetes Operator", https://docs.intersystems.com/components/csp/docbook/DocBook.UI.Page.cls?KEY=AIKO36
 * — `intersystems.com/name`, `intersystems.com/component`, `intersystems.com/mirrorRole`).
 */
export const ikoLabels = {
    /** The IrisCluster's name. */
    instance: "intersystems.com/name",
    /** `data`, `compute`, `arbiter`, `webgateway`, … */
    component: "intersystems.com/component",
    /** `primary` or `backup` on mirrored data pods. */
    mirrorRole: "intersystems.com/mirrorRole",
} as const;
