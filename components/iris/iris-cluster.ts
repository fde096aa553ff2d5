/**
 * One IrisCluster (`intersystems.com/v1alpha1`) managed by IKO, with its
 * licence Secret, CPF `configSource`, optional web gateway login Secret and
 * the TLS Ingress. Field names follow the IKO reference sample
 * (reference/iko/3.5.48.100/samples/iris-sample.yaml) and the IKO docs.
 */
import * as pulumi from "@pulumi/pulumi";
import { childOptions } from "../providers";
import { renamedComponent } from "../aliases";
import * as corev1 from "@pulumi/kubernetes/core/v1";
import { CustomResource } from "@pulumi/kubernetes/apiextensions";
import type { IrisInstanceSettings } from "./settings";
import { commonCpf, computeCpf, dataCpf } from "./cpf";
import type { InstanceArgs } from "./instance-args";
import { irisLabels } from "./labels";
import { instanceLogins, passwordHashFor } from "./logins";
import { instancePortal } from "./portal";
import { instanceLicense } from "./secrets";
import { arbiterImageFor, compatibilityVersion } from "./images";
import { irisVersionAnnotations } from "./downgrade-guard";

export interface IrisClusterInstanceArgs extends InstanceArgs {
    /** CSPSystem password the web gateway logs in with (secret), if set. */
    readonly webgatewayPassword?: pulumi.Output<string>;
    /** The IKO Release: its webhooks must be up before the IrisCluster is sent. */
    readonly operator: pulumi.Resource;
}

/** Names of the Kubernetes objects an instance refers to. */
export interface IrisClusterRefs {
    readonly storageClassName: string;
    readonly configMap: pulumi.Input<string>;
    readonly licenseSecret?: pulumi.Input<string>;
    readonly webgatewayLoginSecret?: pulumi.Input<string>;
    readonly imagePullSecret?: pulumi.Input<string>;
}

function volume(size: string, storageClassName: string) {
    return { resources: { requests: { storage: size } }, storageClassName };
}

function podResources(i: IrisInstanceSettings) {
    const limits: Record<string, string> = { memory: i.resources.limits.memory };
    if (i.resources.limits.cpu) limits.cpu = i.resources.limits.cpu;
    return { requests: { ...i.resources.requests }, limits };
}

/** The IrisCluster `spec` for an instance (pure). */
export function irisClusterSpec(
    i: IrisInstanceSettings,
    refs: IrisClusterRefs,
): Record<string, unknown> {
    const version = compatibilityVersion(i.image, i.compatibilityVersion);
    const zones = i.preferredZones.length > 0 ? { preferredZones: [...i.preferredZones] } : {};
    const podTemplate = { spec: { resources: podResources(i) } };
    const data: Record<string, unknown> = {
        image: i.image,
        compatibilityVersion: version,
        ...(i.data.topology === "mirrored" ? { mirrored: true } : {}),
        ...(i.data.topology === "sharded" ? { shards: i.data.shards } : {}),
        storageDB: volume(i.storage.data, refs.storageClassName),
        storageWIJ: volume(i.storage.wij, refs.storageClassName),
        storageJournal1: volume(i.storage.journal1, refs.storageClassName),
        storageJournal2: volume(i.storage.journal2, refs.storageClassName),
        ...zones,
        podTemplate,
    };
    const topology: Record<string, unknown> = { data };
    if (i.compute.replicas > 0) {
        topology.compute = {
            image: i.image,
            compatibilityVersion: version,
            replicas: i.compute.replicas,
            ...zones,
            podTemplate,
        };
    }
    if (i.data.topology === "mirrored" && i.data.arbiter) {
        topology.arbiter = { image: arbiterImageFor(i.image), ...zones };
    }
    if (i.webgateway.replicas > 0) {
        topology.webgateway = {
            image: i.webgateway.image,
            type: i.webgateway.type,
            replicas: i.webgateway.replicas,
            applicationPaths: [...i.webgateway.applicationPaths],
            ...(refs.webgatewayLoginSecret
                ? { loginSecret: { name: refs.webgatewayLoginSecret } }
                : {}),
            ...zones,
        };
    }
    return {
        ...(refs.licenseSecret ? { licenseKeySecret: { name: refs.licenseSecret } } : {}),
        configSource: { name: refs.configMap },
        ...(refs.imagePullSecret ? { imagePullSecrets: [{ name: refs.imagePullSecret }] } : {}),
        storageClassName: refs.storageClassName,
        topology,
    };
}

/**
 * The Service the portal Ingress targets. IKO gives web-gateway nodes their own
 * Service `<name>-webgateway` (port 80); the `<name>` Service fronts data node 1
 * and has port 80 only with a web-gateway sidecar, so without web-gateway nodes
 * the portal is the data node's private web server (52773), which only
 * community images still ship (config refuses a host otherwise).
 */
export function ikoWebBackend(i: IrisInstanceSettings): {
    serviceName: string;
    servicePort: number;
} {
    if (i.webgateway.replicas > 0) return { serviceName: `${i.name}-webgateway`, servicePort: 80 };
    return { serviceName: i.name, servicePort: 52773 };
}

export class IrisClusterInstance extends pulumi.ComponentResource {
    public readonly irisCluster: CustomResource;
    /** HTTPS portal URL, when the instance has a host. */
    public readonly portalUrl?: string;

    constructor(
        name: string,
        args: IrisClusterInstanceArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super(...renamedComponent("iris-platform:iris:IrisClusterInstance", name, opts));
        const i = args.instance;
        const labels = irisLabels(i.name);
        const base = childOptions(this, opts, { provider: "kubernetes" });
        const ns = i.namespace;

        const random = childOptions(this, opts, { provider: "random" });
        const { passwordHash: hash, metrics } = instanceLogins(name, args, random);
        // The web gateway logs in as CSPSystem with webgatewayPassword: IRIS gets that password too.
        const withGateway =
            args.webgatewayPassword && i.webgateway.replicas > 0
                ? args.webgatewayPassword
                : undefined;
        const cspSystemHash = withGateway
            ? passwordHashFor(`${name}-cspsystem-salt`, { password: withGateway }, random)
            : undefined;
        // IKO reads configSource from a ConfigMap only: the hash is there, so the
        // data is a Pulumi secret and docs/iris.md explains the exposure. Pulumi names
        // it, so a CPF change is a new ConfigMap that the IrisCluster spec then names
        // (the old one is deleted only after the IrisCluster points away from it).
        const cpf = new corev1.ConfigMap(
            `${name}-cpf`,
            {
                metadata: { namespace: ns, labels },
                data: pulumi.secret(
                    pulumi.all([hash, cspSystemHash, metrics]).apply(([h, csp, m]) => ({
                        "common.cpf": commonCpf(h, csp, m),
                        "data.cpf": dataCpf(i.cpf),
                        "compute.cpf": computeCpf(i.cpf),
                    })),
                ),
            },
            base,
        );
        const license = instanceLicense(name, i, args.licenseKey, labels, base);
        const waitFor: pulumi.Resource[] = [cpf, ...(license.secret ? [license.secret] : [])];
        let loginName: pulumi.Output<string> | undefined;
        if (withGateway) {
            // Pulumi-named like the licence Secret (secrets.ts): a new password is a new Secret
            // the IrisCluster then names, so IKO rolls the web gateways; the old one goes last.
            const login = new corev1.Secret(
                `${name}-webgateway-login`,
                {
                    metadata: { namespace: ns, labels },
                    type: "Opaque",
                    stringData: { username: "CSPSystem", password: pulumi.secret(withGateway) },
                },
                base,
            );
            loginName = login.metadata.name;
            waitFor.push(login);
        }

        this.irisCluster = new CustomResource(
            `${name}-iriscluster`,
            {
                apiVersion: "intersystems.com/v1alpha1",
                kind: "IrisCluster",
                metadata: {
                    name: i.name,
                    namespace: ns,
                    labels,
                    annotations: irisVersionAnnotations(i.image, i.compatibilityVersion),
                },
                spec: irisClusterSpec(i, {
                    storageClassName: args.storageClassName,
                    configMap: cpf.metadata.name,
                    licenseSecret: license.secretName,
                    webgatewayLoginSecret: loginName,
                    imagePullSecret: args.imagePullSecret,
                }),
            },
            {
                ...base,
                dependsOn: [
                    ...base.dependsOn,
                    ...args.storageReady,
                    args.operator,
                    ...waitFor,
                    ...(args.upgradeReady ?? []),
                ],
                protect: args.protect,
            },
        );

        this.portalUrl = instancePortal(name, i, ikoWebBackend(i), args, labels, {
            ...base,
            dependsOn: [...base.dependsOn, ...args.routingReady, this.irisCluster],
        });
        this.registerOutputs({ portalUrl: this.portalUrl });
    }
}
