/**
 * Durable single-instance IRIS without the operator: a one-replica Deployment
 * (`Recreate`, never two pods on one volume) whose %SYS lives on a PVC of the
 * Retain class through `ISC_DATA_DIRECTORY`, so the pod can restart on another
 * node with its configuration, users and databases. The CPF merge file (with
 * the PasswordHash) comes from a Secret through `ISC_CPF_MERGE_FILE`.
 */
import * as pulumi from "@pulumi/pulumi";
import { childOptions } from "../providers";
import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as appsv1 from "@pulumi/kubernetes/apps/v1";
import type * as k8sInput from "@pulumi/kubernetes/types/input";
import type { IrisInstanceSettings } from "./settings";
import { isCommunityImage } from "../../domain/iris";
import { standaloneCpf } from "./cpf";
import type { InstanceArgs } from "./instance-args";
import { irisLabels } from "./labels";
import { instanceLogins } from "./logins";
import { instancePortal } from "./portal";
import { instanceLicense } from "./secrets";
import { irisVersionAnnotations } from "./downgrade-guard";

/** The IRIS image's user and group (irisowner). */
export const irisOwnerId = 51773;
export const ports = { web: 52773, superserver: 1972 } as const;
const mounts = { durable: "/durable", config: "/iris-config", license: "/iris-license" } as const;

/** A durable instance takes the common instance arguments only (mode standalone). */
export type DurableIrisArgs = InstanceArgs;

/** The pod spec of the Deployment (pure). */
/**
 * Community images ship the private web server (portal on 52773); licensed kits
 * from 2023.2 on do not, so their readiness is the superserver accepting connections.
 */
export function readinessProbe(image: string): k8sInput.core.v1.Probe {
    const timing = { periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 };
    return isCommunityImage(image)
        ? { httpGet: { path: "/csp/sys/UtilHome.csp", port: ports.web }, ...timing }
        : { tcpSocket: { port: ports.superserver }, ...timing };
}

export function durablePodSpec(
    i: IrisInstanceSettings,
    refs: {
        pvc: string;
        cpfSecret: pulumi.Input<string>;
        licenseSecret?: pulumi.Input<string>;
        imagePullSecret?: pulumi.Input<string>;
    },
) {
    const limits: Record<string, string> = { memory: i.resources.limits.memory };
    if (i.resources.limits.cpu) limits.cpu = i.resources.limits.cpu;
    const volumes: k8sInput.core.v1.Volume[] = [
        { name: "durable", persistentVolumeClaim: { claimName: refs.pvc } },
        { name: "config", secret: { secretName: refs.cpfSecret } },
    ];
    const volumeMounts: k8sInput.core.v1.VolumeMount[] = [
        { name: "durable", mountPath: mounts.durable },
        { name: "config", mountPath: mounts.config, readOnly: true },
    ];
    const args: string[] = [];
    if (refs.licenseSecret) {
        volumes.push({ name: "license", secret: { secretName: refs.licenseSecret } });
        volumeMounts.push({ name: "license", mountPath: mounts.license, readOnly: true });
        // iris-main copies the key into the instance at start-up.
        args.push("--key", `${mounts.license}/iris.key`);
    }
    return {
        securityContext: {
            runAsUser: irisOwnerId,
            runAsGroup: irisOwnerId,
            fsGroup: irisOwnerId,
            runAsNonRoot: true,
        },
        // IRIS needs time to write its buffers and journal on shutdown.
        terminationGracePeriodSeconds: 120,
        ...(refs.imagePullSecret ? { imagePullSecrets: [{ name: refs.imagePullSecret }] } : {}),
        containers: [
            {
                name: "iris",
                image: i.image,
                ...(args.length > 0 ? { args } : {}),
                env: [
                    { name: "ISC_DATA_DIRECTORY", value: `${mounts.durable}/iris` },
                    { name: "ISC_CPF_MERGE_FILE", value: `${mounts.config}/merge.cpf` },
                ],
                ports: [
                    { name: "web", containerPort: ports.web },
                    { name: "superserver", containerPort: ports.superserver },
                ],
                resources: { requests: { ...i.resources.requests }, limits },
                // First start copies %SYS onto the volume: give it time before liveness counts.
                startupProbe: {
                    exec: { command: ["sh", "-c", "iris qlist iris | grep -q running"] },
                    periodSeconds: 10,
                    failureThreshold: 60,
                },
                livenessProbe: {
                    exec: { command: ["sh", "-c", "iris qlist iris | grep -q running"] },
                    periodSeconds: 30,
                    timeoutSeconds: 10,
                    failureThreshold: 3,
                },
                readinessProbe: readinessProbe(i.image),
                volumeMounts,
            },
        ],
        volumes,
    };
}

export class DurableIris extends pulumi.ComponentResource {
    public readonly deployment: appsv1.Deployment;
    public readonly pvc: corev1.PersistentVolumeClaim;
    public readonly service: corev1.Service;
    /** HTTPS portal URL, when the instance has a host. */
    public readonly portalUrl?: string;

    constructor(name: string, args: DurableIrisArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iris-platform:iris:DurableIris", name, {}, opts);
        const i = args.instance;
        const labels = irisLabels(i.name);
        const base = childOptions(this, opts, { provider: "kubernetes" });
        const ns = i.namespace;

        const { passwordHash: hash, metrics } = instanceLogins(
            name,
            args,
            childOptions(this, opts, { provider: "random" }),
        );
        // The pod is ours, so the merge file (it holds the PasswordHash) is a Secret. Its name is
        // Pulumi's (`<resource>-<suffix>`): a CPF change creates a new Secret first, the pod
        // template then names it (so IRIS restarts with it), and the old one goes last.
        const cpfSecret = new corev1.Secret(
            `${name}-cpf`,
            {
                metadata: { namespace: ns, labels },
                type: "Opaque",
                stringData: {
                    "merge.cpf": pulumi.secret(
                        pulumi.all([hash, metrics]).apply(([h, m]) => standaloneCpf(h, i.cpf, m)),
                    ),
                },
            },
            base,
        );
        const license = instanceLicense(name, i, args.licenseKey, labels, base);
        const waitFor: pulumi.Resource[] = [cpfSecret, ...(license.secret ? [license.secret] : [])];

        this.pvc = new corev1.PersistentVolumeClaim(
            `${name}-durable`,
            {
                // Binding is proven by the Deployment becoming ready; a WaitForFirstConsumer
                // class would otherwise keep the claim Pending until the pod exists.
                metadata: {
                    name: `${i.name}-durable`,
                    namespace: ns,
                    labels,
                    annotations: { "pulumi.com/skipAwait": "true" },
                },
                spec: {
                    accessModes: ["ReadWriteOnce"],
                    storageClassName: args.storageClassName,
                    resources: { requests: { storage: i.storage.data } },
                    volumeName: args.restoredVolume,
                },
            },
            {
                ...base,
                dependsOn: [...base.dependsOn, ...args.storageReady],
                // Only a new claim binds to a restored volume; dropping restoreFrom later must not
                // replace (and so delete) the claim holding the data.
                ignoreChanges: ["spec.volumeName"],
                protect: args.protect,
                retainOnDelete: args.protect,
            },
        );

        this.deployment = new appsv1.Deployment(
            `${name}-deployment`,
            {
                metadata: {
                    name: i.name,
                    namespace: ns,
                    labels,
                    annotations: irisVersionAnnotations(i.image, i.compatibilityVersion),
                },
                spec: {
                    replicas: 1,
                    strategy: { type: "Recreate" },
                    selector: { matchLabels: labels },
                    template: {
                        metadata: { labels },
                        spec: durablePodSpec(i, {
                            pvc: `${i.name}-durable`,
                            cpfSecret: cpfSecret.metadata.name,
                            licenseSecret: license.secretName,
                            imagePullSecret: args.imagePullSecret,
                        }),
                    },
                },
            },
            // First start (image pull, %SYS copied onto the volume) may take longer than
            // Pulumi's default 10-minute wait; the startup probe alone allows 10 minutes.
            {
                ...base,
                dependsOn: [...base.dependsOn, this.pvc, ...waitFor, ...(args.upgradeReady ?? [])],
                protect: args.protect,
                customTimeouts: { create: "20m", update: "20m" },
            },
        );

        this.service = new corev1.Service(
            `${name}-service`,
            {
                metadata: {
                    name: i.name,
                    namespace: ns,
                    labels,
                    // Not the provider's 10-minute wait for a ready pod (pulumi-kubernetes
                    // provider/pkg/await/service.go @f47bc2d6f199): the Deployment, awaited up to
                    // 20 minutes above, says when IRIS serves; a restore may take longer still.
                    annotations: { "pulumi.com/skipAwait": "true" },
                },
                spec: {
                    type: "ClusterIP",
                    selector: labels,
                    ports: [
                        { name: "web", port: ports.web, targetPort: ports.web },
                        {
                            name: "superserver",
                            port: ports.superserver,
                            targetPort: ports.superserver,
                        },
                    ],
                },
            },
            base,
        );

        this.portalUrl = instancePortal(
            name,
            i,
            { serviceName: i.name, servicePort: ports.web },
            args,
            labels,
            {
                ...base,
                dependsOn: [...base.dependsOn, ...args.routingReady, this.service],
            },
        );
        this.registerOutputs({ portalUrl: this.portalUrl });
    }
}
