#!/usr/bin/env bash
# Bytes the router (or a node) allocates per request, side by side for two builds: the managed
# heap's allocation rate (dotnet-counters, System.Runtime's dotnet.gc.heap.total_allocated, once
# a second) summed over a redis-benchmark run of REQUESTS commands, divided by REQUESTS. Rounds
# alternate the builds (a fresh process each), since how often a pooled state machine is reused
# varies from run to run. Without A only this tree's build is measured.
# Usage: bench/allocations.sh   (env: TARGET=router|node OP=get PIPELINE=16 REQUESTS=3000000
#        ROUNDS=2 A=<commit>)
source "$(dirname "$0")/lib.sh"
TARGET=${TARGET:-router} OP=${OP:-get} PIPELINE=${PIPELINE:-16} REQUESTS=${REQUESTS:-3000000} ROUNDS=${ROUNDS:-2}
counters="$HOME/.dotnet/tools/dotnet-counters"
[[ -x "$counters" ]] || dotnet tool install -g dotnet-counters >/dev/null
ROUTER_HTTP=17270 ROUTER_RESP=16470
source "$BENCH_DIR/router-lib.sh"

# measure BUILD: one fresh process of that build ("this" or a commit), loaded, then counted.
measure() {
  local port csv="$RESULTS_DIR/allocations.csv" pid
  if [[ "$TARGET" == router ]]; then
    port=$ROUTER_RESP
    ROUTER_DLL=$([[ "$1" == this ]] && echo "" || commit_dll "$1" Local) start_local_router 3
  else
    port=16379
    NODE_DLL=$([[ "$1" == this ]] && echo "" || commit_dll "$1" CacheNode) start_node 17171 "$port" --max-memory 1gb
  fi
  pid=$LAST_PID
  redis-benchmark -p "$port" -t set -n 200000 -r 100000 -q >/dev/null 2>&1
  redis-benchmark -p "$port" -t "$OP" -n $((REQUESTS / 3)) -P "$PIPELINE" -c 50 -r 100000 -q >/dev/null 2>&1
  rm -f "$csv"
  "$counters" collect -p "$pid" --counters System.Runtime --refresh-interval 1 --format csv -o "$csv" >/dev/null 2>&1 &
  local collector=$!
  sleep 2
  redis-benchmark -p "$port" -t "$OP" -n "$REQUESTS" -P "$PIPELINE" -c 50 -r 100000 -q >/dev/null 2>&1
  sleep 1.5
  kill "$collector" 2>/dev/null; wait "$collector" 2>/dev/null || true
  kill "$pid"; wait "$pid" 2>/dev/null || true
  awk -F, -v n="$REQUESTS" '/total_allocated/ {s += $5} END {printf "%.0f", s / n}' "$csv"
}

builds=(this ${A:+$(git -C "$REPO_DIR" rev-parse "$A")})
printf '%s %s at -P %s, %s requests per round: bytes allocated per request\n' "$TARGET" "$OP" "$PIPELINE" "$REQUESTS"
for round in $(seq 1 "$ROUNDS"); do
  for build in "${builds[@]}"; do
    printf 'round %s  %-8s %s\n' "$round" "${build:0:7}" "$(measure "$build")"
  done
done
