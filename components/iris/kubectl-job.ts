/**
 * Building blocks of the platform's kubectl Jobs (backup sets, restores, pre-upgrade sets):
 * a locked-down container running a mounted script, its volumes, and least-privilege RBAC.
 */
import type * as pulumi from "@pulumi/pulumi";
import * as rbacv1 from "@pulumi/kubernetes/rbac/v1";
import type * as k8sInput from "@pulumi/kubernetes/types/input";
import { images } from "../../versions";

/** A locked-down container for the platform's kubectl jobs (runs as nobody, read-only root). */
export function jobContainer(
    name: string,
    script: string,
    env: Record<string, string>,
): k8sInput.core.v1.Container {
    return {
        name,
        image: images.backupTools,
        command: ["bash", `/scripts/${script}`],
        env: [...Object.entries(env), ["HOME", "/tmp"]].map(([n, value]) => ({ name: n, value })),
        volumeMounts: [
            { name: "scripts", mountPath: "/scripts", readOnly: true },
            { name: "tmp", mountPath: "/tmp" },
        ],
        resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
        securityContext: {
            runAsNonRoot: true,
            runAsUser: 65534,
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            capabilities: { drop: ["ALL"] },
        },
    };
}

/** The pod volumes `jobContainer` mounts: the script ConfigMap and a scratch /tmp. */
export function jobVolumes(configMap: pulumi.Input<string>): k8sInput.core.v1.Volume[] {
    return [
        { name: "scripts", configMap: { name: configMap } },
        { name: "tmp", emptyDir: {} },
    ];
}

/**
 * A Role (or ClusterRole when `namespace` is undefined) with `rules`, bound to `subject`:
 * `<name>-role` and `<name>-binding`, named `id` in the cluster. Returns the binding.
 */
export function grantRules(
    name: string,
    id: string,
    namespace: string | undefined,
    rules: k8sInput.rbac.v1.PolicyRule[],
    subject: k8sInput.rbac.v1.Subject,
    labels: Record<string, string>,
    opts: pulumi.CustomResourceOptions,
): pulumi.Resource {
    const metadata = { name: id, namespace, labels };
    const role = namespace
        ? new rbacv1.Role(`${name}-role`, { metadata, rules }, opts)
        : new rbacv1.ClusterRole(`${name}-role`, { metadata, rules }, opts);
    const roleRef = {
        apiGroup: "rbac.authorization.k8s.io",
        kind: namespace ? "Role" : "ClusterRole",
        name: id,
    };
    const binding = { metadata, roleRef, subjects: [subject] };
    const after = { ...opts, dependsOn: [role] };
    return namespace
        ? new rbacv1.RoleBinding(`${name}-binding`, binding, after)
        : new rbacv1.ClusterRoleBinding(`${name}-binding`, binding, after);
}
