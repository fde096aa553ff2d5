/**
 * The drill namespace's NetworkPolicy judged by what it lets through (Kubernetes' documented
 * semantics, test/fakes/networkpolicy.ts), not by its shape: a restored mirror member must reach
 * nothing of production, DNS must still resolve, and the drill's own pods must talk to each other.
 */
import * as assert from "assert";
import { drillNetworkPolicy } from "../scripts/drill-isolation";
import { allowed, type Connection, type Policy, type Pod } from "./fakes/networkpolicy";

const ns = "iris-drill-20261203t080000z";
const policies = [drillNetworkPolicy(ns) as unknown as Policy];

const drillIris: Pod = { namespace: ns, labels: { "app.kubernetes.io/name": "iris-drill" } };
const drillProbe: Pod = { namespace: ns, labels: {} };
const prodIris: Pod = { namespace: "iris", labels: { "intersystems.com/name": "iris" } };
const coreDns: Pod = { namespace: "kube-system", labels: { "k8s-app": "kube-dns" } };
const longhorn: Pod = { namespace: "longhorn-system", labels: { app: "longhorn-manager" } };

const tcp = (from: Pod, to: Pod, port: number): Connection => ({
    from,
    to,
    protocol: "TCP",
    port,
});

describe("restore drill NetworkPolicy (by what it allows)", function () {
    it("lets the drill's pods reach DNS in kube-system and each other", function () {
        assert.ok(allowed(policies, { from: drillIris, to: coreDns, protocol: "UDP", port: 53 }));
        assert.ok(allowed(policies, tcp(drillIris, coreDns, 53)));
        assert.ok(allowed(policies, tcp(drillProbe, drillIris, 1972)));
        assert.ok(allowed(policies, tcp(drillIris, drillProbe, 2188)));
    });

    it("cuts a restored mirror member off from production: no superserver, ISCAgent or web port, either way", function () {
        // 1972 superserver, 2188 ISCAgent, 52773 web server: the ports a mirror member talks on.
        for (const port of [1972, 2188, 52773]) {
            assert.ok(!allowed(policies, tcp(drillIris, prodIris, port)), `drill → prod :${port}`);
            assert.ok(!allowed(policies, tcp(prodIris, drillIris, port)), `prod → drill :${port}`);
        }
        assert.ok(!allowed(policies, tcp(drillIris, longhorn, 9500)));
    });

    it("allows kube-system on the DNS port only", function () {
        assert.ok(!allowed(policies, tcp(drillIris, coreDns, 443)));
        assert.ok(!allowed(policies, { from: drillIris, to: coreDns, protocol: "UDP", port: 54 }));
    });
});
