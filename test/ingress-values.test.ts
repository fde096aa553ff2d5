/**
 * Ingress Helm values (pure): chart keys per controller, the controller Service taking
 * the reserved address, the superserver TCP port, and the retired controller's warning.
 */
import * as assert from "assert";
import {
    controllerWarning,
    ingressValues,
    superserverListener,
    type IngressValuesInput,
} from "../components/addons/ingress-values";
import { reservedIp } from "./networking-fixtures";
import { chartValues, unknownValuesKeys } from "./values-keys";

const base: IngressValuesInput = {
    controller: "nginx-ingress",
    replicas: 2,
    defaultClass: true,
    serviceType: "LoadBalancer",
    loadBalancerIP: reservedIp,
    serviceAnnotations: { "example.com/a": "b" },
    preservesClientIp: true,
    exposeSuperserver: true,
    superserverTarget: "iris/iris",
};
type Obj = Record<string, Record<string, unknown>>;

describe("ingress values", function () {
    it("nginx-ingress: class nginx (default class), replicas, reserved IP, annotations, Local policy", function () {
        const v = ingressValues(base) as { controller: Obj & Record<string, unknown> };
        const c = v.controller;
        assert.deepStrictEqual(c.ingressClass, {
            name: "nginx",
            create: true,
            setAsDefaultIngress: true,
        });
        assert.strictEqual(c.replicaCount, 2);
        assert.strictEqual(c.service.loadBalancerIP, reservedIp);
        assert.strictEqual(c.service.externalTrafficPolicy, "Local");
        assert.deepStrictEqual(c.service.annotations, { "example.com/a": "b" });
    });

    it("ingress-nginx: IngressClass resource nginx and the tcp map to the first IRIS Service", function () {
        const v = ingressValues({ ...base, controller: "ingress-nginx", defaultClass: false }) as {
            controller: Obj;
            tcp: unknown;
        };
        assert.deepStrictEqual(v.controller.ingressClassResource, {
            name: "nginx",
            enabled: true,
            default: false,
        });
        assert.strictEqual(v.controller.ingressClass as unknown, "nginx");
        assert.strictEqual(v.controller.service.loadBalancerIP, reservedIp);
        assert.deepStrictEqual(v.tcp, { "1972": "iris/iris:1972" });
    });

    it("uses externalTrafficPolicy Cluster and no loadBalancerIP where the cloud gives neither", function () {
        for (const controller of ["nginx-ingress", "ingress-nginx"] as const) {
            const v = ingressValues({
                ...base,
                controller,
                loadBalancerIP: undefined,
                preservesClientIp: false,
            }) as { controller: Obj };
            assert.strictEqual(v.controller.service.externalTrafficPolicy, "Cluster", controller);
            assert.ok(!("loadBalancerIP" in v.controller.service), controller);
        }
    });

    it("nginx-ingress opens TCP 1972 with a GlobalConfiguration listener and pod/Service ports", function () {
        const c = (
            ingressValues(base) as {
                controller: Obj & { customPorts: { name: string; containerPort: number }[] };
            }
        ).controller;
        assert.deepStrictEqual(c.globalConfiguration, {
            create: true,
            spec: { listeners: [{ name: superserverListener, port: 1972, protocol: "TCP" }] },
        });
        assert.strictEqual(c.customPorts[0].containerPort, 1972);
        assert.ok(
            c.customPorts[0].name.length <= 15,
            "port names are IANA service names (<= 15 chars)",
        );
        assert.deepStrictEqual(
            (c.service.customPorts as { port: number }[]).map((p) => p.port),
            [1972],
        );
    });

    it("NodePort (clusters without a load balancer) drops loadBalancerIP", function () {
        for (const controller of ["nginx-ingress", "ingress-nginx"] as const) {
            const s = (
                ingressValues({ ...base, controller, serviceType: "NodePort" }) as {
                    controller: Obj;
                }
            ).controller.service;
            assert.strictEqual(s.type, "NodePort", controller);
            assert.ok(!("loadBalancerIP" in s), controller);
        }
    });

    it("exposes no TCP port by default", function () {
        const off = { ...base, exposeSuperserver: false };
        const f5 = (ingressValues(off) as { controller: Obj }).controller;
        assert.ok(!("globalConfiguration" in f5) && !("customPorts" in f5.service));
        assert.ok(!("tcp" in ingressValues({ ...off, controller: "ingress-nginx" })));
    });

    it("sets only keys that exist in the upstream values files", function () {
        const free = [
            "controller.service.annotations",
            "controller.globalConfiguration.spec",
            "tcp",
        ];
        assert.deepStrictEqual(
            unknownValuesKeys(ingressValues(base), chartValues("nginx-ingress-2.6.4"), free),
            [],
        );
        assert.deepStrictEqual(
            unknownValuesKeys(
                ingressValues({ ...base, controller: "ingress-nginx" }),
                chartValues("ingress-nginx-4.15.1"),
                free,
            ),
            [],
        );
    });

    it("warns only for the retired community controller", function () {
        assert.match(controllerWarning("ingress-nginx") ?? "", /retired upstream in March 2026/);
        assert.strictEqual(controllerWarning("nginx-ingress"), undefined);
    });
});
