#!/usr/bin/env bash
# Builds the integration tier's toolchain from the pinned Go modules in this
# folder (module proxy only; no prebuilt binary is downloaded), caches each tool
# by a hash of everything that goes into it, and links the binaries into
# <repo>/.toolchain/bin (the Pulumi CLI in .toolchain/pulumi/bin). Usage: toolchain/build.sh [tool…]  (default: all)
#
#   pulumi                      Pulumi CLI            (toolchain/pulumi)
#   pulumi-resource-kubernetes  Kubernetes provider   (toolchain/kubernetes-provider)
#   kube-apiserver kube-controller-manager kube-scheduler kubeadm kubectl   (toolchain/kube)
#   etcd                        (toolchain/etcd)
#   kwok                        (toolchain/kwok; its stages are copied from the module)
#   promtool                    Prometheus's rule/config checker and rule-test runner (toolchain/prometheus)
#   amtool                      Alertmanager's config checker and route tester (toolchain/alertmanager)
#   alertmanager                Alertmanager itself, web UI stubbed (toolchain/alertmanager; see below)
#   prometheus-operator         the Prometheus Operator kube-prometheus-stack deploys (toolchain/prometheus-operator)
#   actionlint                  GitHub Actions workflow linter (toolchain/actionlint)
#   registry                    the CNCF distribution OCI registry, private chart source tests (toolchain/registry)
#   helm                        Helm CLI at the version the kubernetes provider embeds (toolchain/helm)
#
# Versions live in each module's go.mod (the one place Go pins can live); the
# version strings stamped into the binaries are read from there too.
# Cache: $IRIS_TOOLCHAIN_CACHE, default ~/.cache/iris-platform/toolchain.
# Timings of the last run: .toolchain/timings.tsv (tool, seconds, built|cached).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
cache="${IRIS_TOOLCHAIN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/iris-platform/toolchain}"
out="$repo/.toolchain"
mkdir -p "$cache" "$out/bin"
: > "$out/timings.tsv"
export GOFLAGS="${GOFLAGS:-} -mod=readonly -trimpath"
export CGO_ENABLED=0

modver() { (cd "$here/$1" && go list -m -f '{{.Version}}' "$2"); }
# A module's source folder; `go list -m` reports none until the module is downloaded (fresh cache).
moddir() { (cd "$here/$1" && go mod download "$2" && go list -m -f '{{.Dir}}' "$2"); }

# key <module dir> <extra…>: hash of the Go version, the module's files and the build flags.
key() {
  local dir="$here/$1"; shift
  { go version; cat "$dir"/go.mod "$dir"/go.sum; cat "$dir"/*.go 2>/dev/null || true; printf '%s\n' "$@"; } |
    sha256sum | cut -c1-16
}

# build <tool> <module> <package> <ldflags> [go build flags…]: go build once per key, then link.
build() {
  local tool="$1" mod="$2" pkg="$3" ldflags="$4"; shift 4
  local k; k="$(key "$mod" "$pkg" "$ldflags" "$@")"
  local dest="$cache/$tool-$k"
  local start=$SECONDS state=cached
  if [[ ! -x "$dest/$tool" ]]; then
    state=built
    echo "toolchain: building $tool ($pkg)…" >&2
    mkdir -p "$dest.tmp"
    (cd "$here/$mod" && go build "$@" -ldflags "$ldflags" -o "$dest.tmp/$tool" "$pkg")
    rm -rf "$dest" && mv "$dest.tmp" "$dest"
  fi
  # The CLI looks for plugins beside itself before PATH: it gets a folder of its own,
  # so the tests alone choose which provider plugins it sees.
  local link="$out/bin/$tool"
  [[ "$tool" != pulumi ]] || { mkdir -p "$out/pulumi/bin"; link="$out/pulumi/bin/pulumi"; }
  ln -sfn "$dest/$tool" "$link"
  printf '%s\t%s\t%s\n' "$tool" "$((SECONDS - start))" "$state" >> "$out/timings.tsv"
  echo "toolchain: $tool $state in $((SECONDS - start)) s" >&2
}

pulumi() {
  local v; v="$(modver pulumi github.com/pulumi/pulumi/pkg/v3)"
  build pulumi pulumi github.com/pulumi/pulumi/pkg/v3/cmd/pulumi \
    "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$v"
}

kubernetes_provider() {
  local mod=github.com/pulumi/pulumi-kubernetes/provider/v4 v src
  v="$(modver kubernetes-provider $mod)"
  src="$(moddir kubernetes-provider $mod)/cmd/pulumi-resource-kubernetes"
  # The embedded schema comes from the pinned module, never from the repository.
  install -m 0644 "$src/schema.json" "$src/terraform-mapping.json" "$here/kubernetes-provider/"
  build pulumi-resource-kubernetes kubernetes-provider . \
    "-s -w -X $mod/pkg/version.Version=${v#v}"
}

kube() {
  local v major minor pkg="k8s.io/component-base/version"
  v="$(modver kube k8s.io/kubernetes)"
  major="${v#v}"; major="${major%%.*}"; minor="${v#v*.}"; minor="${minor%%.*}"
  local ld="-s -w -X $pkg.gitVersion=$v -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
  build "$1" kube "k8s.io/kubernetes/cmd/$1" "$ld"
}

etcd() { build etcd etcd . "-s -w"; }

# Upstream's own engines for what the program renders: alert rules (promtool test rules) and
# Alertmanager configuration (amtool check-config, config routes test).
promtool() {
  local v; v="$(modver prometheus github.com/prometheus/prometheus)"
  build promtool prometheus github.com/prometheus/prometheus/cmd/promtool \
    "-s -w -X github.com/prometheus/common/version.Version=$v"
}
amtool() {
  local v; v="$(modver alertmanager github.com/prometheus/alertmanager)"
  build amtool alertmanager github.com/prometheus/alertmanager/cmd/amtool \
    "-s -w -X github.com/prometheus/common/version.Version=$v"
}
# Alertmanager itself (the inhibition tests post alerts to its API). Its module ships the web UI's
# sources but not the built assets its ui package embeds (`//go:embed app/dist`), so it is built
# from a copy of the pinned module with a placeholder page in their place: a stand-in for the web
# UI only; the API, routing and inhibition are upstream's code.
alertmanager() {
  local m=github.com/prometheus/alertmanager v src work
  v="$(modver alertmanager $m)"; src="$(moddir alertmanager $m)"
  work="$cache/src/alertmanager-$v"
  if [[ ! -f "$work/go.mod" ]]; then
    rm -rf "$work" "$work.tmp" && mkdir -p "$cache/src"
    cp -R "$src" "$work.tmp" && chmod -R u+w "$work.tmp"
    local ui
    for ui in elm mantine; do
      mkdir -p "$work.tmp/ui/app/dist/$ui"
      echo '<!doctype html><title>Alertmanager</title><p>Web UI not built (iris-platform toolchain).' \
        > "$work.tmp/ui/app/dist/$ui/index.html"
    done
    mv "$work.tmp" "$work"
  fi
  { cat "$here/alertmanager/go.mod"; echo "replace $m => $work"; } > "$work.mod"
  cp "$here/alertmanager/go.sum" "$work.sum"
  build alertmanager alertmanager $m/cmd/alertmanager \
    "-s -w -X github.com/prometheus/common/version.Version=${v#v}" "-modfile=$work.mod"
}
# The operator turns ServiceMonitors and PrometheusRules into Prometheus's configuration: the
# integration tier runs it against its API server to see what a real Prometheus would load.
prometheus_operator() {
  local v; v="$(modver prometheus-operator github.com/prometheus-operator/prometheus-operator)"
  build prometheus-operator prometheus-operator github.com/prometheus-operator/prometheus-operator/cmd/operator \
    "-s -w -X github.com/prometheus/common/version.Version=${v#v}"
}

# The workflow linter the integration tier runs on .github/workflows. It runs shellcheck on `run:`
# scripts only when a `shellcheck` is on PATH (actionlint's linter.go disables that rule otherwise).
actionlint() {
  local v; v="$(modver actionlint github.com/rhysd/actionlint)"
  # The variable its release builds stamp (.goreleaser.yaml of rhysd/actionlint v1.7.12).
  build actionlint actionlint github.com/rhysd/actionlint/cmd/actionlint \
    "-s -w -X github.com/rhysd/actionlint.version=$v"
}

# A private OCI chart registry for the chart-source test: the CNCF distribution registry (its
# cmd/registry minus the cloud storage drivers; see toolchain/registry/main.go).
registry() {
  local m=github.com/distribution/distribution/v3 v
  v="$(modver registry $m)"
  build registry registry . "-s -w -X $m/version.version=$v -X $m/version.mainpkg=$m"
}
# Helm's CLI pushes the chart and logs in the way a CI step would. toolchain/helm pins the helm
# module and every module it shares with toolchain/kubernetes-provider at the provider's versions,
# so the client is the one the provider embeds and the build reuses the provider's compiled packages.
helm() {
  local v; v="$(modver helm helm.sh/helm/v3)"
  build helm helm helm.sh/helm/v3/cmd/helm "-s -w -X helm.sh/helm/v3/internal/version.version=$v"
}

kwok() {
  build kwok kwok sigs.k8s.io/kwok/cmd/kwok "-s -w"
  # kwok v0.8 starts only with stages: the fake-node and fake-pod lifecycles,
  # exactly as the pinned module ships them.
  local s; s="$(moddir kwok sigs.k8s.io/kwok)/kustomize/stage"
  mkdir -p "$out/kwok-stages"
  install -m 0644 "$s/node/fast/node-initialize.yaml" "$s/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml" \
    "$s/pod/fast/pod-ready.yaml" "$s/pod/fast/pod-complete.yaml" "$s/pod/fast/pod-delete.yaml" "$out/kwok-stages/"
}

tools=("$@")
[[ ${#tools[@]} -gt 0 ]] || tools=(pulumi pulumi-resource-kubernetes etcd kwok kube-apiserver kube-controller-manager kube-scheduler kubeadm kubectl promtool amtool alertmanager prometheus-operator actionlint registry helm)
total=$SECONDS
for t in "${tools[@]}"; do
  case "$t" in
    pulumi) pulumi ;;
    pulumi-resource-kubernetes) kubernetes_provider ;;
    etcd) etcd ;;
    promtool) promtool ;;
    amtool) amtool ;;
    alertmanager) alertmanager ;;
    prometheus-operator) prometheus_operator ;;
    actionlint) actionlint ;;
    registry) registry ;;
    helm) helm ;;
    kwok) kwok ;;
    kube-apiserver | kube-controller-manager | kube-scheduler | kubeadm | kubectl) kube "$t" ;;
    *) echo "toolchain: unknown tool '$t'" >&2; exit 2 ;;
  esac
done
printf 'total\t%s\t-\n' "$((SECONDS - total))" >> "$out/timings.tsv"
echo "toolchain: ready in $out/bin ($((SECONDS - total)) s)" >&2
