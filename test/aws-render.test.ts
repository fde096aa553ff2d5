/**
 * AWS kubeadm: the rendered node files (kubeadm v1beta4 configs, cloud-init,
 * bootstrap script) and the subnet plan, as pure functions.
 */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { planSubnets, cidrsOverlap, subnetOf } from "../domain/cidr";
import {
    placeholders,
    renderInitConfig,
    renderJoinConfig,
} from "../components/cluster/aws/kubeadm-config";
import {
    paths,
    renderBootstrapScript,
    renderUserData,
    type BootstrapFacts,
} from "../components/cluster/aws/cloudinit";

type Obj = Record<string, unknown>;
const docs = (text: string): Obj[] => text.split("\n---\n").map((d) => JSON.parse(d) as Obj);
const byKind = (text: string, kind: string): Obj => {
    const found = docs(text).find((d) => d.kind === kind);
    assert.ok(found, `no ${kind} document`);
    return found;
};

const endpoint = "iris-api-0123.elb.eu-west-1.amazonaws.com";
const hash = `sha256:${"ab".repeat(32)}`;
const facts = {
    clusterName: "iris-prod",
    endpoint,
    podCidr: "192.168.0.0/16",
    serviceCidr: "10.96.0.0/12",
};
const boot = (role: BootstrapFacts["role"], controlPlaneIndex?: number): BootstrapFacts => ({
    role,
    controlPlaneIndex,
    kubernetesMinor: "1.35",
    containerdVersion: "2.3.4",
    region: "eu-west-1",
    ssmPrefix: "/iris-platform/iris-prod",
    endpoint,
});

describe("AWS subnet plan", function () {
    it("cuts 3 private quarters and 3 small public blocks out of the VPC, all disjoint and inside it", function () {
        const plan = planSubnets("10.40.0.0/16", 3);
        assert.deepStrictEqual(plan.private, ["10.40.0.0/18", "10.40.64.0/18", "10.40.128.0/18"]);
        assert.deepStrictEqual(plan.public, ["10.40.192.0/20", "10.40.208.0/20", "10.40.224.0/20"]);
        const all = [...plan.private, ...plan.public];
        for (const [i, a] of all.entries()) {
            assert.ok(cidrsOverlap(a, "10.40.0.0/16"), `${a} is outside the VPC`);
            for (const b of all.slice(i + 1)) assert.ok(!cidrsOverlap(a, b), `${a} overlaps ${b}`);
        }
    });
    it("plans 2 zones and small VPCs, and refuses VPCs it cannot split", function () {
        assert.deepStrictEqual(planSubnets("172.20.8.0/24", 2), {
            private: ["172.20.8.0/26", "172.20.8.64/26"],
            public: ["172.20.8.192/28", "172.20.8.208/28"],
        });
        assert.throws(() => planSubnets("10.0.0.0/12", 2), /between \/16 and \/24/);
        assert.throws(() => subnetOf("10.0.0.0/16", 18, 4), /only 4/);
    });
});

describe("kubeadm v1beta4 configuration", function () {
    const init = renderInitConfig(facts);

    it("init: ClusterConfiguration with the NLB endpoint, subnets, SANs and the external cloud provider", function () {
        const cc = byKind(init, "ClusterConfiguration") as Obj & {
            networking: Obj;
            apiServer: Obj;
            controllerManager: Obj;
        };
        assert.strictEqual(cc.apiVersion, "kubeadm.k8s.io/v1beta4");
        assert.strictEqual(cc.controlPlaneEndpoint, `${endpoint}:6443`);
        assert.strictEqual(cc.clusterName, "iris-prod");
        assert.deepStrictEqual(cc.networking, {
            podSubnet: "192.168.0.0/16",
            serviceSubnet: "10.96.0.0/12",
            dnsDomain: "cluster.local",
        });
        assert.deepStrictEqual(cc.apiServer.certSANs, [endpoint]);
        assert.deepStrictEqual(cc.controllerManager.extraArgs, [
            { name: "cloud-provider", value: "external" },
        ]);
        assert.strictEqual(cc.kubernetesVersion, placeholders.kubernetesVersion);
    });

    it("init: InitConfiguration with a non-expiring token placeholder, the certificate key and the private DNS node name", function () {
        const ic = byKind(init, "InitConfiguration") as Obj & {
            bootstrapTokens: Obj[];
            nodeRegistration: Obj;
            localAPIEndpoint: Obj;
        };
        assert.strictEqual(ic.apiVersion, "kubeadm.k8s.io/v1beta4");
        assert.strictEqual(ic.bootstrapTokens.length, 1);
        assert.strictEqual(ic.bootstrapTokens[0].token, placeholders.token);
        assert.strictEqual(ic.bootstrapTokens[0].ttl, "0s");
        assert.deepStrictEqual(ic.bootstrapTokens[0].usages, ["signing", "authentication"]);
        assert.strictEqual(ic.certificateKey, placeholders.certificateKey);
        assert.strictEqual(ic.nodeRegistration.name, placeholders.nodeName);
        assert.deepStrictEqual(ic.nodeRegistration.kubeletExtraArgs, [
            { name: "cloud-provider", value: "external" },
        ]);
        assert.deepStrictEqual(ic.localAPIEndpoint, {
            advertiseAddress: placeholders.nodeIp,
            bindPort: 6443,
        });
    });

    it("init: KubeletConfiguration with systemd cgroups and serving certificates from the cluster CA", function () {
        const kc = byKind(init, "KubeletConfiguration");
        assert.strictEqual(kc.apiVersion, "kubelet.config.k8s.io/v1beta1");
        assert.strictEqual(kc.cgroupDriver, "systemd");
        assert.strictEqual(kc.serverTLSBootstrap, true);
    });

    it("join: pinned to the CA hash, never unsafe; control-plane joins advertise the node address", function () {
        const worker = byKind(
            renderJoinConfig({ endpoint, caCertHash: hash }, "worker"),
            "JoinConfiguration",
        ) as Obj & { discovery: { bootstrapToken: Obj } };
        assert.deepStrictEqual(worker.discovery.bootstrapToken, {
            apiServerEndpoint: `${endpoint}:6443`,
            token: placeholders.token,
            caCertHashes: [hash],
        });
        assert.strictEqual(worker.controlPlane, undefined);
        const cp = byKind(
            renderJoinConfig({ endpoint, caCertHash: hash }, "control-plane"),
            "JoinConfiguration",
        ) as Obj & { controlPlane: Obj };
        assert.deepStrictEqual(cp.controlPlane, {
            localAPIEndpoint: { advertiseAddress: placeholders.nodeIp, bindPort: 6443 },
        });
        for (const text of [renderJoinConfig({ endpoint, caCertHash: hash }, "worker"), init])
            assert.doesNotMatch(text, /unsafeSkipCAVerification/);
        assert.throws(
            () => renderJoinConfig({ endpoint, caCertHash: "sha256:xyz" }, "worker"),
            /caCertHash/,
        );
    });
});

describe("node cloud-init", function () {
    const files = {
        init: renderInitConfig(facts),
        join: renderJoinConfig({ endpoint, caCertHash: hash }, "control-plane"),
    };
    const cpData = renderUserData(boot("control-plane", 0), files);
    const workerData = renderUserData(boot("worker"), {
        join: renderJoinConfig({ endpoint, caCertHash: hash }, "worker"),
    });
    const parse = (ud: string) => {
        assert.ok(ud.startsWith("#cloud-config\n"));
        return JSON.parse(ud.slice("#cloud-config\n".length)) as {
            write_files: { path: string; content: string; permissions: string }[];
            runcmd: string[][];
        };
    };
    const file = (ud: string, p: string) => {
        const f = parse(ud).write_files.find((x) => x.path === p);
        assert.ok(f, `no ${p}`);
        return f;
    };

    it("loads the kernel modules and sysctls Kubernetes and Longhorn need, and runs the bootstrap once", function () {
        assert.deepStrictEqual(
            file(workerData, "/etc/modules-load.d/iris-platform.conf").content.trim().split("\n"),
            ["overlay", "br_netfilter", "iscsi_tcp", "dm_crypt"],
        );
        const sysctl = file(workerData, "/etc/sysctl.d/99-iris-platform.conf").content;
        for (const line of ["net.ipv4.ip_forward = 1", "net.bridge.bridge-nf-call-iptables = 1"])
            assert.ok(sysctl.includes(line), line);
        assert.deepStrictEqual(parse(workerData).runcmd, [[paths.script]]);
        assert.strictEqual(file(workerData, paths.script).permissions, "0700");
    });

    it("configures containerd 2 with systemd cgroups", function () {
        const toml = file(workerData, "/etc/containerd/config.toml").content;
        assert.match(toml, /^version = 3$/m);
        assert.match(
            toml,
            /\[plugins\.'io\.containerd\.cri\.v1\.runtime'\.containerd\.runtimes\.runc\.options\]\n\s+SystemdCgroup = true/,
        );
    });

    it("installs pinned packages: kubelet/kubeadm/kubectl from pkgs.k8s.io for the minor, containerd verified, Longhorn's host tools", function () {
        const script = renderBootstrapScript(boot("worker"));
        assert.ok(script.includes("https://pkgs.k8s.io/core:/stable:/v$K8S_MINOR/deb/"));
        assert.ok(script.includes("K8S_MINOR='1.35'"));
        assert.doesNotMatch(script, /apt\.kubernetes\.io|packages\.cloud\.google\.com/);
        assert.ok(script.includes("apt-mark hold kubelet kubeadm kubectl"));
        assert.ok(script.includes("sha256sum -c containerd-2.3.4-linux-amd64.tar.gz.sha256sum"));
        assert.match(script, /apt-get install .*open-iscsi nfs-common cryptsetup dmsetup/);
        assert.ok(script.includes("systemctl enable --now iscsid"));
        assert.ok(script.includes("swapoff -a"));
    });

    it("reads secrets from SSM at boot and keeps them off the console", function () {
        const script = renderBootstrapScript(boot("control-plane", 0));
        assert.ok(script.includes("PREFIX='/iris-platform/iris-prod'"));
        assert.ok(script.includes('aws ssm get-parameter --region "$REGION" --with-decryption'));
        assert.ok(script.includes("fetch 'pki/ca.key' '/etc/kubernetes/pki/ca.key' 0600"));
        assert.ok(script.includes("--skip-token-print --skip-certificate-key-print"));
        assert.match(script, /^exec >>\/var\/log\/iris-node-bootstrap\.log 2>&1$/m);
        assert.doesNotMatch(script, /set -x|--discovery-token-unsafe-skip-ca-verification/);
        assert.ok(script.includes("X-aws-ec2-metadata-token"), "IMDSv2 only");
    });

    it("gives workers no access path to the CA keys", function () {
        const script = renderBootstrapScript(boot("worker"));
        assert.doesNotMatch(script, /pki\/ca\.key|certificate-key/);
        assert.ok(script.includes("'join/token'"));
    });

    it("inits only on control-plane node 0 and only when no API server answers; the others join in turn", function () {
        const script = renderBootstrapScript(boot("control-plane", 2));
        assert.ok(script.includes("CP_INDEX=2"));
        assert.ok(script.includes('if [ "$CP_INDEX" = 0 ] && ! api_up_steadily; then'));
        assert.ok(script.includes("sleep $((CP_INDEX * 90))"));
        assert.doesNotMatch(renderBootstrapScript(boot("worker")), /kubeadm init/);
    });

    it("renders scripts bash accepts, and user data within EC2's 16 KB", function () {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "iris-aws-"));
        for (const [i, ud] of [cpData, workerData].entries()) {
            assert.ok(Buffer.byteLength(ud) < 16384, `user data is ${Buffer.byteLength(ud)} bytes`);
            const f = path.join(dir, `s${i}.sh`);
            fs.writeFileSync(f, file(ud, paths.script).content);
            execFileSync("bash", ["-n", f]);
        }
        fs.rmSync(dir, { recursive: true });
    });

    it("ships the init template only to control-plane nodes", function () {
        assert.strictEqual(file(cpData, paths.initTemplate).permissions, "0600");
        assert.ok(!parse(workerData).write_files.some((f) => f.path === paths.initTemplate));
        assert.throws(
            () => renderUserData(boot("control-plane", 0), { join: files.join }),
            /init configuration/,
        );
    });
});
