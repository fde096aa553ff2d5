/**
 * `/api/monitor` (IRIS metrics, unauthenticated by default) is not served to the internet by any
 * stack file: every Ingress the program creates sends `/api/monitor/…` to a Service that has no
 * selector (hence no endpoints), by the Kubernetes Ingress matching rules, and the metrics
 * Services Prometheus scrapes stay inside the cluster.
 */
import * as assert from "assert";
import { buildStack, stackFiles } from "./build-stack";
import type { Recording } from "./mocks";

type IngressPath = {
    path: string;
    pathType: string;
    backend: { service: { name: string; port: { number: number } } };
};
type Ingress = {
    metadata: { namespace: string };
    spec: { rules: { http: { paths: IngressPath[] } }[] };
};

/**
 * Whether an Ingress path matches a request path, per kubernetes.io/docs/concepts/
 * services-networking/ingress "Examples" table: `Exact` matches the whole path, case-sensitively;
 * `Prefix` matches element by element on `/`-split paths (`/foo` matches `/foo/bar`, not
 * `/foobar`). `ImplementationSpecific` is left to the controller: refused loudly here.
 */
function matches(p: IngressPath, request: string): boolean {
    if (p.pathType === "Exact") return p.path === request;
    if (p.pathType !== "Prefix") throw new Error(`pathType ${p.pathType} has no portable meaning`);
    const want = p.path.split("/").filter(Boolean);
    const got = request.split("/").filter(Boolean);
    return want.every((seg, i) => got[i] === seg);
}

/** The backend of the longest matching path (the docs' "Multiple matches": longest wins). */
function routeOf(ingress: Ingress, request: string): IngressPath | undefined {
    const all = ingress.spec.rules.flatMap((r) => r.http.paths).filter((p) => matches(p, request));
    return all.sort((a, b) => b.path.length - a.path.length)[0];
}

function ingresses(r: Recording): Ingress[] {
    return r
        .ofType("kubernetes:networking.k8s.io/v1:Ingress")
        .map((x) => x.inputs as unknown as Ingress);
}

function service(r: Recording, namespace: string, name: string) {
    return r
        .ofType("kubernetes:core/v1:Service")
        .map(
            (x) =>
                x.inputs as {
                    metadata: { name: string; namespace: string };
                    spec: Record<string, unknown>;
                },
        )
        .find((s) => s.metadata.name === name && s.metadata.namespace === namespace);
}

describe("/api/monitor is not served to the internet", function () {
    it("the matcher follows the Kubernetes examples (and so can fail)", function () {
        const p = (path: string, pathType = "Prefix") =>
            ({
                path,
                pathType,
                backend: { service: { name: path, port: { number: 80 } } },
            }) as IngressPath;
        assert.ok(matches(p("/api/monitor"), "/api/monitor/metrics"));
        assert.ok(!matches(p("/api/monitor"), "/api/monitoring"));
        assert.ok(matches(p("/"), "/api/monitor/metrics"));
        assert.ok(!matches(p("/api/monitor", "Exact"), "/api/monitor/metrics"));
        const ing = {
            metadata: { namespace: "x" },
            spec: { rules: [{ http: { paths: [p("/")] } }] },
        };
        assert.strictEqual(routeOf(ing, "/api/monitor/metrics")?.path, "/");
    });

    for (const stack of Object.keys(stackFiles))
        it(`${stackFiles[stack].file}: every Ingress refuses /api/monitor and still serves the portal`, async function () {
            const { recording: r } = await buildStack(stack);
            for (const ing of ingresses(r)) {
                const ns = ing.metadata.namespace;
                for (const request of [
                    "/api/monitor/metrics",
                    "/api/monitor/alerts",
                    "/api/monitor",
                    // IRIS strips its CSPConfigName prefix (docs.intersystems.com
                    // GCGI_remote_csp_multi): the same application by another path.
                    "/iris/api/monitor/metrics",
                ]) {
                    const to = routeOf(ing, request)?.backend.service.name;
                    assert.ok(to, `${request} has a route`);
                    const svc = service(r, ns, to);
                    assert.ok(svc, `${ns}/${to} is one of ours`);
                    assert.strictEqual(svc.spec.selector, undefined, `${ns}/${to} selects pods`);
                }
                const portal = routeOf(ing, "/csp/sys/UtilHome.csp")?.backend.service.name;
                const refused = routeOf(ing, "/api/monitor/metrics")?.backend.service.name;
                assert.ok(portal && portal !== refused, "the portal is still served");
            }
            // Prometheus's way in stays inside the cluster.
            for (const s of r.ofType("kubernetes:core/v1:Service")) {
                const spec = s.inputs.spec as { type?: string; ports?: { name?: string }[] };
                if (spec.ports?.some((p) => p.name === "metrics"))
                    assert.ok(!spec.type || spec.type === "ClusterIP", s.name);
            }
        });

    it("prod has an instance Ingress to check", async function () {
        const { recording: r } = await buildStack("prod");
        assert.ok(ingresses(r).length >= 1);
    });
});
