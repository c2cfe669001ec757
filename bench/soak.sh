#!/usr/bin/env bash
# Long soak runs: the suite's SoakTests (reference HTTP profile with 50 users, and a pipelined
# RESP mix, each against a node and against a local-mode router with 3 nodes) for SOAK_MINUTES
# each, the router runs with ring changes and node restarts through the admin API every sixth
# of the run (add a node, remove the oldest, kill -9 one and restart it). A run fails on any
# process exit, any failed request outside a killed node's outage, and resident memory at the
# end above the level after warm-up x 1.25 + 32 MiB. Figures go to bench/results/soak.txt.
# Usage: bench/soak.sh   (env: SOAK_MINUTES=10, SOAK_FILTER to run some of them, e.g. LocalRouter)
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(dirname "$BENCH_DIR")"
RESULTS="$BENCH_DIR/results/soak.txt"
mkdir -p "$(dirname "$RESULTS")"
: >"$RESULTS"

minutes=${SOAK_MINUTES:-10}
filter="FullyQualifiedName~KubeCache.EndToEnd.Tests.Reliability.SoakTests${SOAK_FILTER:+&FullyQualifiedName~$SOAK_FILTER}"
echo "soak: ${minutes} min per run, results in $RESULTS"
status=0
KVCACHE_SOAK_SECONDS=$((minutes * 60)) KVCACHE_SOAK_CHURN=1 KVCACHE_SOAK_RESULTS="$RESULTS" \
  dotnet test "$REPO_DIR/tests/KubeCache.EndToEnd.Tests" -c Release --filter "$filter" \
  --logger "console;verbosity=normal" -- RunConfiguration.TestSessionTimeout=$(((minutes * 4 * 60 + 600) * 1000)) || status=$?
cat "$RESULTS"
exit $status
