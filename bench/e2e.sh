#!/usr/bin/env bash
# Integration-tier figures for README: toolchain build (cold needs an empty
# cache: IRIS_TOOLCHAIN_CACHE=$(mktemp -d) plus `go clean -cache -modcache`),
# control-plane start, each lifecycle step, and peak memory of the whole tier.
#   bash bench/e2e.sh            warm toolchain + one run of the tier
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== toolchain (toolchain/build.sh)"
bash toolchain/build.sh 2>/dev/null
column -t .toolchain/timings.tsv
timings="$(mktemp)"
echo "== integration tier (npm run test:e2e without the build), peak RSS of the process tree"
/usr/bin/time -f "wall %e s, peak RSS of the largest process %M KiB" \
  env IRIS_E2E_TIMINGS="$timings" npx mocha --config .mocharc.e2e.json --reporter dot 2>&1 | tail -4
echo "== steps (seconds)"
column -t -s $'\t' "$timings"
rm -f "$timings"
