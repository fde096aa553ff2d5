/**
 * The AWS path's rendered kubeadm configuration, as its nodes will hold it after
 * the bootstrap script fills in the placeholders, checked by the real kubeadm
 * built from the pinned k8s.io/kubernetes (`kubeadm config validate`): API
 * version, kinds, field names and values kubeadm itself accepts. Running
 * kubeadm init/join on EC2 is proven only on a real cloud.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    placeholders,
    renderInitConfig,
    renderJoinConfig,
} from "../../components/cluster/aws/kubeadm-config";
import { toolchain } from "./toolchain";

/** What cloudinit.ts's bootstrap script substitutes on the node. */
function filled(text: string): string {
    const values: Record<keyof typeof placeholders, string> = {
        token: "abcdef.0123456789abcdef",
        certificateKey: "5e7e1e15".repeat(8),
        nodeName: "ip-10-40-1-5.eu-west-1.compute.internal",
        nodeIp: "10.40.1.5",
        kubernetesVersion: toolchain.kubernetesVersion(),
    };
    return Object.entries(values).reduce(
        (t, [k, v]) => t.split(placeholders[k as keyof typeof placeholders]).join(v),
        text,
    );
}

describe("AWS kubeadm configuration accepted by kubeadm itself", function () {
    const { kubeadm } = toolchain.requireBinaries(["kubeadm"]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "iris-e2e-kubeadm-"));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const endpoint = "iris-prod-api-0123456789abcdef.elb.eu-west-1.amazonaws.com";
    const caCertHash = `sha256:${"ab".repeat(32)}`;
    const cases: [string, string][] = [
        [
            "init",
            renderInitConfig({
                clusterName: "iris-prod",
                endpoint,
                podCidr: "192.168.0.0/16",
                serviceCidr: "10.96.0.0/12",
            }),
        ],
        ["join (control plane)", renderJoinConfig({ endpoint, caCertHash }, "control-plane")],
        ["join (worker)", renderJoinConfig({ endpoint, caCertHash }, "worker")],
    ];
    for (const [name, text] of cases) {
        it(`validates the ${name} configuration`, function () {
            const file = path.join(dir, `${name.replace(/\W+/g, "-")}.yaml`);
            fs.writeFileSync(file, filled(text));
            assert.ok(!fs.readFileSync(file, "utf8").includes("@@"), "every placeholder is filled");
            const r = spawnSync(kubeadm, ["config", "validate", "--config", file], {
                encoding: "utf8",
            });
            assert.strictEqual(r.status, 0, `kubeadm config validate: ${r.stderr || r.stdout}`);
        });
    }
});
