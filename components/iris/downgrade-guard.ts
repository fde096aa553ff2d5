/**
 * The downgrade guard: only the cluster knows which IRIS release an instance last ran, so the
 * API server itself refuses an update that lowers it. Every IrisCluster and durable Deployment
 * carries its release in the `iris-platform.io/iris-version` annotation; a
 * ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1, GA since Kubernetes 1.30:
 * https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/) compares
 * the new value with `oldObject`'s on UPDATE and denies a lower or a removed one, whoever sends
 * it. What it guards is the annotation, not the image: `pulumi up` always changes both together,
 * but a hand edit of the image alone (`kubectl set image`) keeps the annotation and is NOT
 * caught. CEL there has `split` (the strings extension: k8s.io/apiserver v0.35.4
 * pkg/cel/environment/base.go) and `int()` of a string.
 *
 * Why refuse: "Backups should always be restored on an InterSystems IRIS instance that is
 * running the same, or a more recent version, than the instance that created the backup"
 * (https://docs.intersystems.com/irislatest/csp/docbook/platforms/DocBook.UI.Page.cls?KEY=ISP_interop),
 * and journal files of 2025.1 on cannot be restored before 2025.1
 * (https://docs.intersystems.com/irislatest/csp/docbook/DocBook.UI.Page.cls?KEY=GCI_mirror): the way
 * back is the pre-upgrade set (docs/upgrades.md), not an older image on the upgraded volumes.
 */
import * as pulumi from "@pulumi/pulumi";
import * as admissionv1 from "@pulumi/kubernetes/admissionregistration/v1";
import { irisRelease, releaseText } from "../../domain/iris";
import { irisLabels } from "./labels";

/** The annotation holding the IRIS release (`2025.1.0`) a workload runs. */
export const irisVersionAnnotation = "iris-platform.io/iris-version";

/** The annotation for an instance's image (and compatibilityVersion), if its release is known. */
export function irisVersionAnnotations(
    image: string,
    compatibilityVersion?: string,
): Record<string, string> {
    const r = irisRelease(image, compatibilityVersion);
    return r ? { [irisVersionAnnotation]: releaseText(r) } : {};
}

/**
 * `Y.M.P` as one number, 0 when the annotation is absent or not `Y.M.P`. The `matches` guard
 * (CEL's RE2 `matches`: https://kubernetes.io/docs/reference/using-api/cel/) keeps a hand-typed
 * value from making `int()` fail at runtime: with failurePolicy Fail that error would deny the
 * update. The digit bounds keep the ordinal exact (minor and patch below 1000) and in int64.
 */
function ordinal(obj: "object" | "oldObject"): string {
    const v = `variables.${obj === "object" ? "next" : "last"}`;
    return `!${v}.matches('^[0-9]{1,4}[.][0-9]{1,3}[.][0-9]{1,3}$') ? 0 : int(${v}.split('.')[0]) * 1000000 + int(${v}.split('.')[1]) * 1000 + int(${v}.split('.')[2])`;
}

function annotation(obj: "object" | "oldObject"): string {
    const a = `${obj}.metadata.annotations`;
    const k = `'${irisVersionAnnotation}'`;
    return `has(${a}) && ${k} in ${a} ? ${a}[${k}] : ''`;
}

/** The labels every IRIS Deployment and IrisCluster of the platform carries, whatever its instance. */
function platformIrisLabels(): Record<string, string> {
    const all = Object.entries(irisLabels(""));
    return Object.fromEntries(all.filter(([k]) => k !== "app.kubernetes.io/instance"));
}

/** The policy's spec (pure: the unit tests read it). */
export function downgradePolicySpec() {
    return {
        failurePolicy: "Fail",
        matchConstraints: {
            // Only the platform's IRIS workloads (irisLabels) are evaluated, not every Deployment
            // in the cluster. On UPDATE the selector matches if the old OR the new object does
            // (https://kubernetes.io/docs/reference/kubernetes-api/definitions/match-resources-v1-admissionregistration/
            // objectSelector), so dropping the labels with the annotation is still evaluated.
            objectSelector: { matchLabels: platformIrisLabels() },
            resourceRules: [
                {
                    apiGroups: ["apps"],
                    apiVersions: ["v1"],
                    resources: ["deployments"],
                    operations: ["UPDATE"],
                },
                {
                    apiGroups: ["intersystems.com"],
                    apiVersions: ["*"],
                    resources: ["irisclusters"],
                    operations: ["UPDATE"],
                },
            ],
        },
        variables: [
            { name: "last", expression: annotation("oldObject") },
            { name: "next", expression: annotation("object") },
            { name: "lastOrdinal", expression: ordinal("oldObject") },
            { name: "nextOrdinal", expression: ordinal("object") },
        ],
        validations: [
            {
                // Objects that had no release (not ours, or from before it) pass; one that had
                // it must keep one no lower (dropping the annotation is no way around).
                expression:
                    "variables.lastOrdinal == 0 || (variables.nextOrdinal != 0 && variables.nextOrdinal >= variables.lastOrdinal)",
                messageExpression:
                    "'IRIS cannot be downgraded: ' + object.metadata.namespace + '/' + object.metadata.name + ' runs IRIS ' + variables.last + ' and this update asks for ' + variables.next + '; an older IRIS cannot open databases a newer one has written. Put the image back, or roll back from the pre-upgrade backup set (docs/upgrades.md)'",
                reason: "Forbidden",
            },
        ],
    };
}

/** The policy and its binding (Pulumi-named, so two stacks on one cluster do not collide). */
export function downgradeGuard(
    name: string,
    opts: pulumi.CustomResourceOptions,
): admissionv1.ValidatingAdmissionPolicyBinding {
    const labels = { "app.kubernetes.io/managed-by": "pulumi" };
    const policy = new admissionv1.ValidatingAdmissionPolicy(
        `${name}-policy`,
        { metadata: { labels }, spec: downgradePolicySpec() },
        opts,
    );
    return new admissionv1.ValidatingAdmissionPolicyBinding(
        `${name}-binding`,
        {
            metadata: { labels },
            spec: { policyName: policy.metadata.name, validationActions: ["Deny"] },
        },
        { ...opts, dependsOn: [policy] },
    );
}
