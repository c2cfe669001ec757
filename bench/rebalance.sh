#!/usr/bin/env bash
# Rebalance time: loads KEYS keys (100-byte values) through a local-mode router with 3 nodes,
# then times 3 -> 5 -> 2 through the admin API and counts the keys afterwards. Not run in CI.
# Usage: bench/rebalance.sh   (env: KEYS=1000000)
source "$(dirname "$0")/lib.sh"
KEYS=${KEYS:-1000000}
ROUTER_HTTP=27181 ROUTER_RESP=26389

source "$BENCH_DIR/router-lib.sh"
start_local_router 3 --local-node-memory 1gb

load_start=$(date +%s.%N)
redis-benchmark -h 127.0.0.1 -p "$ROUTER_RESP" -t set -n "$KEYS" -r "$KEYS" -d 100 -c 50 -P 16 -q >/dev/null
# -r draws keys at random, so count what landed rather than assume KEYS.
count() { curl -sf "http://127.0.0.1:$ROUTER_HTTP/admin/nodes" | python3 -c 'import json,sys; n=json.load(sys.stdin); print(sum(x["items"] or 0 for x in n), [x["items"] for x in n])'; }
printf 'loaded in %.1f s: %s\n' "$(echo "$(date +%s.%N) - $load_start" | bc)" "$(count)"

timed() { local t0; t0=$(date +%s.%N); admin "$1" "$2"; printf '  %.2f s\n' "$(echo "$(date +%s.%N) - $t0" | bc)"; }
total=$(date +%s.%N)
timed POST /admin/nodes
timed POST /admin/nodes
timed DELETE /admin/nodes/node-1
timed DELETE /admin/nodes/node-3
timed DELETE /admin/nodes/node-5
printf '3 -> 5 -> 2 in %.1f s; keys now: %s\n' "$(echo "$(date +%s.%N) - $total" | bc)" "$(count)"
