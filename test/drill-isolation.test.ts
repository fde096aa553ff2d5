/**
 * What makes a drill safe and its report honest: the namespace's NetworkPolicy, the removal of a
 * mirror member's configuration before IRIS starts (the shell step run for real on a CPF), an
 * integrity result that only a real success makes `ok`, and RTO per volume and per set.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { demirrorMerge, demirrorMergeFile, demirrorScript } from "../components/iris/demirror";
import { drillNetworkPolicy, withoutMirrors } from "../scripts/drill-isolation";
import {
    drillPod,
    drillReport,
    integrityOk,
    integrityResult,
    integrityScript,
    mirrorMember,
    mirrorMemberScript,
    parseRestoreSummary,
} from "../scripts/drill-lib";

/** A mirror member's iris.cpf: [Mirrors] entries are `Name=GUID,…` (CPF reference, [Mirrors]). */
const mirroredCpf = `[ConfigFile]
Version=2025.1

[Mirrors]
IRISMIRROR=9A1B2C3D-0000-1111-2222-333344445555,2,1,,8000,0,0,0,0,,0,0,0,0

[MirrorMember]
AgentAddress=iris-data-0-1.iris-svc
SystemName=backup

[config]
globals=0,0,256,0,0,0
`;

function runDemirror(cpf: string | undefined): { out: string; merge: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "iris-demirror-"));
    if (cpf !== undefined) {
        fs.mkdirSync(path.join(dir, "iris"));
        fs.writeFileSync(path.join(dir, "iris", "iris.cpf"), cpf);
    }
    const r = spawnSync("sh", ["-c", demirrorScript, "demirror", dir], { encoding: "utf8" });
    assert.strictEqual(r.status, 0, r.stderr);
    const merge = fs.readFileSync(path.join(dir, demirrorMergeFile), "utf8");
    fs.rmSync(dir, { recursive: true, force: true });
    return { out: r.stdout, merge };
}

describe("restore drill: isolation, mirror removal, integrity, RTO", function () {
    it("a mirror member's set gets a DeleteMirror merge before IRIS starts; a standalone set none", function () {
        const mirrored = runDemirror(mirroredCpf);
        assert.strictEqual(mirrored.merge, "[Actions]\nDeleteMirror:Name=IRISMIRROR\n");
        assert.strictEqual(mirrored.merge, demirrorMerge(["IRISMIRROR"]));
        assert.match(mirrored.out, /removing mirror IRISMIRROR before IRIS starts/);
        const plain = runDemirror("[config]\nglobals=0,0,256,0,0,0\n");
        assert.strictEqual(plain.merge, "");
        assert.strictEqual(runDemirror(undefined).merge, "");
    });

    it("the standalone drill pod runs that step first and IRIS applies its file", function () {
        const pod = drillPod({ namespace: "d", image: "iris:2025.1" }) as {
            spec: {
                initContainers: { command: string[] }[];
                containers: { env: { name: string; value: string }[] }[];
            };
        };
        assert.deepStrictEqual(pod.spec.initContainers[0].command.slice(0, 3), [
            "sh",
            "-c",
            demirrorScript,
        ]);
        const env = Object.fromEntries(pod.spec.containers[0].env.map((e) => [e.name, e.value]));
        assert.strictEqual(env.ISC_CPF_MERGE_FILE, `/durable/${demirrorMergeFile}`);
    });

    it("an IKO drill's data.cpf deletes the mirrors found on the restored volume", function () {
        const data = {
            "common.cpf": "[Startup]\n",
            "data.cpf": "[config]\nglobals=0,0,256,0,0,0\n",
        };
        assert.deepStrictEqual(withoutMirrors(data, []), data);
        assert.strictEqual(
            withoutMirrors(data, ["IRISMIRROR"])["data.cpf"],
            "[config]\nglobals=0,0,256,0,0,0\n[Actions]\nDeleteMirror:Name=IRISMIRROR\n",
        );
    });

    it("cuts the namespace off: same-namespace traffic and DNS to kube-system only", function () {
        const np = drillNetworkPolicy("iris-drill-x") as {
            metadata: { namespace: string };
            spec: {
                podSelector: object;
                policyTypes: string[];
                ingress: { from: object[] }[];
                egress: { to: Record<string, unknown>[]; ports?: { port: number }[] }[];
            };
        };
        assert.strictEqual(np.metadata.namespace, "iris-drill-x");
        assert.deepStrictEqual(np.spec.podSelector, {}, "every pod of the namespace");
        assert.deepStrictEqual(np.spec.policyTypes, ["Ingress", "Egress"]);
        assert.deepStrictEqual(np.spec.ingress, [{ from: [{ podSelector: {} }] }]);
        const [same, dns] = np.spec.egress;
        assert.deepStrictEqual(same, { to: [{ podSelector: {} }] });
        assert.deepStrictEqual(dns.to, [
            {
                namespaceSelector: {
                    matchLabels: { "kubernetes.io/metadata.name": "kube-system" },
                },
            },
        ]);
        assert.deepStrictEqual(
            dns.ports?.map((p) => p.port),
            [53, 53],
        );
    });

    it("integrity is ok only when the marker is printed on its own line, never from echoed input or after an error", function () {
        assert.ok(!integrityScript.includes(integrityOk), "the input never contains the marker");
        assert.strictEqual(integrityScript.split("\n")[0].includes("IsOK(sc)"), true);
        assert.strictEqual(integrityResult(`%SYS>\n${integrityOk}\n`), "ok");
        assert.strictEqual(integrityResult(`%SYS>\r\n${integrityOk}\r\n`), "ok");
        assert.strictEqual(integrityResult(integrityScript), "failed");
        assert.strictEqual(integrityResult("<NOROUTINE>CheckList^Integrity\n"), "failed");
        assert.strictEqual(
            integrityResult(`INTEGRITY-FAILED ERROR #1\n${integrityOk}\n`),
            "failed",
        );
        assert.strictEqual(integrityResult(`echo ${integrityOk} ...\n`), "failed");
    });

    it("reads whether the restored instance is still a mirror member, never from echoed input", function () {
        assert.ok(!mirrorMemberScript.includes("MIRROR-MEMBER="));
        assert.strictEqual(mirrorMember("%SYS>\nIRIS-PLATFORM-MIRROR-MEMBER=0\n"), 0);
        assert.strictEqual(mirrorMember("IRIS-PLATFORM-MIRROR-MEMBER=1\r\n"), 1);
        assert.strictEqual(mirrorMember(mirrorMemberScript), undefined);
        assert.strictEqual(mirrorMember("error: unable to upgrade connection"), undefined);
    });

    it("reports RTO for the set and each volume", function () {
        const out = [
            "volume claim=iris-data-drill-data-0 name=r-aa bytes=1 seconds=700",
            "volume claim=iris-wij-drill-data-0 name=r-bb bytes=1 seconds=65",
            "set=20261129T030000Z journal=20261129.004 set_age_seconds=18720 restore_seconds=702 mirrored=false",
        ].join("\n");
        const restore = parseRestoreSummary(out);
        assert.deepStrictEqual(
            restore.volumes.map((v) => [v.claim, v.seconds]),
            [
                ["iris-data-drill-data-0", 700],
                ["iris-wij-drill-data-0", 65],
            ],
        );
        const report = drillReport({
            source: "iris/iris",
            namespace: "iris-drill-x",
            restore,
            readySeconds: 60,
            integrity: "ok",
            isolation: "NetworkPolicy iris-drill-isolation",
        });
        assert.match(
            report,
            /RTO {10}12m 42s \(volumes restored in 11m 42s, IRIS Ready 1m 00s later\)/,
        );
        assert.match(
            report,
            /volume {7}iris-data-drill-data-0 restored in 11m 40s \(Longhorn volume r-aa\)/,
        );
        assert.match(report, /volume {7}iris-wij-drill-data-0 restored in 1m 05s/);
        assert.match(report, /isolation {4}NetworkPolicy iris-drill-isolation/);
    });
});
