/**
 * Node bootstrap as cloud-init (pure renderers). The user data carries only
 * public facts (endpoint, CA hash, SSM parameter NAMES, kubeadm templates with
 * placeholders); the node fetches the token and keys from SSM at boot with its
 * instance role, writes them root-only, and never echoes them (kubeadm runs with
 * --skip-token-print; the log goes to a 0600 file, not the serial console).
 */
import type * as pulumi from "@pulumi/pulumi";
import { controlPlaneFiles, certificateKeyParam, tokenParam } from "./pki";
import { placeholders } from "./kubeadm-config";

export interface BootstrapFacts {
    /** Which script the node runs: the control plane fetches the CA keys and inits or joins as a control-plane node; a worker only joins. */
    readonly role: "control-plane" | "worker";
    /** Control plane only: node 0 runs `kubeadm init` when no API server answers yet; the others join in turn. */
    readonly controlPlaneIndex?: number;
    /** Kubernetes minor, e.g. "1.35" (the pkgs.k8s.io repository). */
    readonly kubernetesMinor: string;
    /** containerd release installed from its GitHub tarball and systemd unit, e.g. "2.3.4" (no `v`; pinned in versions.ts). */
    readonly containerdVersion: string;
    /** AWS region the node's `aws ssm get-parameter` calls go to. */
    readonly region: string;
    /** SSM parameter path prefix the node reads its token and keys under: `/iris-platform/<cluster>`. */
    readonly ssmPrefix: string;
    /** API load balancer DNS name. */
    readonly endpoint: string;
}

/** What the node-group builders take: the facts without role/index/endpoint, the minor possibly from state. */
export type NodeBootstrap = Omit<
    BootstrapFacts,
    "role" | "controlPlaneIndex" | "endpoint" | "kubernetesMinor"
> & {
    readonly kubernetesMinor: pulumi.Input<string>;
};

export interface KubeadmFiles {
    /** Control plane: InitConfiguration stream (node 0 may need it, others fall back on it never). */
    readonly init?: string;
    /** JoinConfiguration for this role. */
    readonly join: string;
}

export const paths = {
    script: "/usr/local/sbin/iris-node-bootstrap",
    initTemplate: "/etc/iris-platform/kubeadm-init.tmpl",
    joinTemplate: "/etc/iris-platform/kubeadm-join.tmpl",
    log: "/var/log/iris-node-bootstrap.log",
} as const;

/** Kernel modules: container overlay, bridged traffic for kube-proxy, iSCSI and dm-crypt for Longhorn. */
export const kernelModules = ["overlay", "br_netfilter", "iscsi_tcp", "dm_crypt"] as const;
export const sysctls: Readonly<Record<string, string>> = {
    "net.bridge.bridge-nf-call-iptables": "1",
    "net.bridge.bridge-nf-call-ip6tables": "1",
    "net.ipv4.ip_forward": "1",
};
/** Longhorn's host requirements (its iscsi/nfs installer DaemonSets are gone upstream). */
export const longhornPackages = ["open-iscsi", "nfs-common", "cryptsetup", "dmsetup"] as const;

/**
 * containerd 2.x config (version 3): only what differs from the defaults.
 * Systemd cgroups, matching the kubelet's `cgroupDriver: systemd`.
 */
export const containerdConfig = `version = 3

[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
  runtime_type = 'io.containerd.runc.v2'

[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
  SystemdCgroup = true
`;

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The bootstrap script the node runs once (cloud-init runcmd). */
export function renderBootstrapScript(b: BootstrapFacts): string {
    if (!/^\d+\.\d+$/.test(b.kubernetesMinor))
        throw new Error(`kubernetesMinor must look like 1.35, got ${b.kubernetesMinor}`);
    // Workers never see (nor may read) the CA keys: their fetch_pki is empty.
    const cpFiles =
        b.role === "control-plane"
            ? controlPlaneFiles.map(
                  (f) =>
                      `  fetch ${shellQuote(f.param)} ${shellQuote(f.path)} ${f.secret ? "0600" : "0644"}`,
              )
            : ["  :"];
    const containerdUrl = `https://github.com/containerd/containerd/releases/download/v${b.containerdVersion}`;
    const tarball = `containerd-${b.containerdVersion}-linux-amd64.tar.gz`;
    return `#!/bin/bash
# iris-platform node bootstrap (${b.role}). Rendered by components/cluster/aws/cloudinit.ts.
set -euo pipefail
umask 077
exec >>${paths.log} 2>&1

ROLE=${b.role}
CP_INDEX=${b.controlPlaneIndex ?? 0}
REGION=${shellQuote(b.region)}
PREFIX=${shellQuote(b.ssmPrefix)}
ENDPOINT=${shellQuote(b.endpoint)}
K8S_MINOR=${shellQuote(b.kubernetesMinor)}
export DEBIAN_FRONTEND=noninteractive
# cloud-init's PATH lacks /snap/bin, where the aws cli snap lands.
export PATH="$PATH:/snap/bin"

retry() { local n=0; until "$@"; do n=$((n + 1)); [ "$n" -ge 30 ] && return 1; sleep 10; done; }
log() { echo "$(date -Is) $*"; }

log "packages: Longhorn host tools, runc, aws cli"
retry apt-get update -q
retry apt-get install -y -q ca-certificates curl gpg runc conntrack socat ${longhornPackages.join(" ")}
# Some Ubuntu kernel flavours ship iscsi_tcp only in linux-modules-extra; a module that
# cannot load fails systemd-modules-load and, with set -e, the whole bootstrap.
if ! modinfo iscsi_tcp >/dev/null 2>&1; then retry apt-get install -y -q "linux-modules-extra-$(uname -r)"; fi

log "kernel: modules, sysctls, no swap"
systemctl restart systemd-modules-load.service
sysctl --system >/dev/null
swapoff -a
sed -i '/\\sswap\\s/d' /etc/fstab
systemctl enable --now iscsid
retry snap install aws-cli --classic

log "containerd ${b.containerdVersion}"
cd /tmp
retry curl -fsSLO ${containerdUrl}/${tarball}
retry curl -fsSLO ${containerdUrl}/${tarball}.sha256sum
sha256sum -c ${tarball}.sha256sum
tar -C /usr/local -xzf ${tarball}
retry curl -fsSLo /etc/systemd/system/containerd.service https://raw.githubusercontent.com/containerd/containerd/v${b.containerdVersion}/containerd.service
chmod 0644 /etc/systemd/system/containerd.service
systemctl daemon-reload
systemctl enable --now containerd

log "kubelet, kubeadm, kubectl from pkgs.k8s.io v$K8S_MINOR"
install -m 0755 -d /etc/apt/keyrings
retry curl -fsSLo /tmp/k8s-release.key "https://pkgs.k8s.io/core:/stable:/v$K8S_MINOR/deb/Release.key"
gpg --batch --yes --dearmor -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg /tmp/k8s-release.key
chmod 0644 /etc/apt/keyrings/kubernetes-apt-keyring.gpg
echo "deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v$K8S_MINOR/deb/ /" >/etc/apt/sources.list.d/kubernetes.list
chmod 0644 /etc/apt/sources.list.d/kubernetes.list
retry apt-get update -q
retry apt-get install -y -q kubelet kubeadm kubectl
apt-mark hold kubelet kubeadm kubectl
systemctl enable kubelet

log "node identity from IMDSv2"
IMDS=$(curl -fsS -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 600')
imds() { curl -fsS -H "X-aws-ec2-metadata-token: $IMDS" "http://169.254.169.254/latest/meta-data/$1"; }
NODE_NAME=$(imds local-hostname | awk '{print $1}')
NODE_IP=$(imds local-ipv4)
KUBERNETES_VERSION=$(kubeadm version -o short)

# SSM values never reach stdout: straight into root-only files or variables.
param() { aws ssm get-parameter --region "$REGION" --with-decryption --name "$PREFIX/$1" --query Parameter.Value --output text; }
fetch() { mkdir -p "$(dirname "$2")"; retry param "$1" >"$2"; chmod "$3" "$2"; }
fetch_pki() {
${cpFiles.join("\n")}
}
TOKEN=$(retry param ${shellQuote(tokenParam)})
${b.role === "control-plane" ? `CERT_KEY=$(retry param ${shellQuote(certificateKeyParam)})` : `CERT_KEY=""`}

# Rendered configs hold the token: tmpfs only, removed after use.
mkdir -p /run/iris-platform
render() {
  sed -e "s|${placeholders.token}|$TOKEN|g" -e "s|${placeholders.certificateKey}|$CERT_KEY|g" \\
      -e "s|${placeholders.nodeName}|$NODE_NAME|g" -e "s|${placeholders.nodeIp}|$NODE_IP|g" \\
      -e "s|${placeholders.kubernetesVersion}|$KUBERNETES_VERSION|g" "$1" >/run/iris-platform/kubeadm.yaml
}
api_up() { curl -fsk --max-time 5 "https://$ENDPOINT:6443/readyz" >/dev/null 2>&1; }
wait_api() { local n=0; until api_up; do n=$((n + 1)); [ "$n" -ge 180 ] && { log "API at $ENDPOINT never answered"; return 1; }; sleep 10; done; }
api_up_steadily() { local n; for n in 1 2 3 4 5 6; do api_up && return 0; sleep 10; done; return 1; }

join() {
  local attempt
  for attempt in 1 2 3 4 5; do
    if [ "$ROLE" = control-plane ]; then fetch_pki; fi
    render ${paths.joinTemplate}
    if kubeadm join --config /run/iris-platform/kubeadm.yaml; then return 0; fi
    log "join attempt $attempt failed; resetting"
    kubeadm reset -f || true
    sleep 30
  done
  return 1
}

${b.role === "control-plane" ? controlPlaneMain : workerMain}
rm -f /run/iris-platform/kubeadm.yaml
log "done"
`;
}

const controlPlaneMain = `if [ "$CP_INDEX" = 0 ] && ! api_up_steadily; then
  log "kubeadm init (node 0, no API server answers at $ENDPOINT)"
  fetch_pki
  render ${paths.initTemplate}
  # A fresh NLB may mark the node healthy only minutes later (kubeadm times out on
  # its own endpoint): retry from a clean state rather than leave node 0 dead.
  for attempt in 1 2 3; do
    if kubeadm init --config /run/iris-platform/kubeadm.yaml --upload-certs --skip-token-print --skip-certificate-key-print; then break; fi
    [ "$attempt" = 3 ] && exit 1
    log "init attempt $attempt failed; resetting"
    kubeadm reset -f || true
    fetch_pki
    sleep 60
  done
else
  log "waiting for the API server at $ENDPOINT"
  wait_api
  # Control-plane nodes add etcd members one at a time.
  sleep $((CP_INDEX * 90))
  log "kubeadm join (control plane)"
  join
fi`;

const workerMain = `log "waiting for the API server at $ENDPOINT"
wait_api
log "kubeadm join (worker)"
join`;

/** The whole user data: `#cloud-config` (as JSON, which is YAML) with files and the one command. */
export function renderUserData(b: BootstrapFacts, files: KubeadmFiles): string {
    if (b.role === "control-plane" && !files.init)
        throw new Error("control-plane user data needs the init configuration");
    const file = (path: string, content: string, permissions: string) => ({
        path,
        content,
        permissions,
        owner: "root:root",
    });
    const writeFiles = [
        file("/etc/modules-load.d/iris-platform.conf", kernelModules.join("\n") + "\n", "0644"),
        file(
            "/etc/sysctl.d/99-iris-platform.conf",
            Object.entries(sysctls)
                .map(([k, v]) => `${k} = ${v}`)
                .join("\n") + "\n",
            "0644",
        ),
        file("/etc/containerd/config.toml", containerdConfig, "0644"),
        ...(files.init ? [file(paths.initTemplate, files.init, "0600")] : []),
        file(paths.joinTemplate, files.join, "0600"),
        file(paths.script, renderBootstrapScript(b), "0700"),
    ];
    const doc = { write_files: writeFiles, runcmd: [[paths.script]] };
    return `#cloud-config\n${JSON.stringify(doc, null, 1)}\n`;
}
