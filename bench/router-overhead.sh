#!/usr/bin/env bash
# What the router costs on HTTP, side by side in one run: wrk GET /get with WRK_CONNECTIONS
# connections through a local-mode router (3 nodes) and directly against a standalone node of
# the same build (no ring, so it serves every key; a member of the router's ring would redirect
# the keys its peers own). RESP through the router is measured by bench/router-vs-twemproxy.sh.
# Router, nodes and load generators share the machine's cores. Not run in CI.
# Usage: bench/router-overhead.sh   (env: DURATION=10s WRK_CONNECTIONS=64;
#        ROUTER_DLL=<path> compares another build)
source "$(dirname "$0")/lib.sh"
DURATION=${DURATION:-10s} WRK_CONNECTIONS=${WRK_CONNECTIONS:-64}
ROUTER_HTTP=27171 ROUTER_RESP=26379 NODE_HTTP=27172 NODE_RESP=26380

source "$BENCH_DIR/router-lib.sh"
start_local_router 3
start_node "$NODE_HTTP" "$NODE_RESP" --max-memory 1gb
node_resp=$NODE_RESP node_http=$NODE_HTTP

raw="$RESULTS_DIR/router-overhead.csv"; : >"$raw"
# target,label,op,rps,p50_ms
for target in router node; do
  url=http://127.0.0.1:$ROUTER_HTTP; [[ $target == node ]] && url=http://127.0.0.1:$node_http
  preload "$url"
  out=$(wrk -t2 -c"$WRK_CONNECTIONS" -d"$DURATION" --latency -s "$WRK_DIR/get.lua" "$url")
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; print v}' <<<"$out")
  echo "$target,wrk,GET,$rps,$p50" >>"$raw"
  grep -q 'Non-2xx\|Socket errors' <<<"$out" && echo "wrk errors against $target: $(grep 'Non-2xx\|Socket errors' <<<"$out")"
done

printf '\nrouter (3 nodes) vs a standalone node directly, wrk -t2 -c %s GET /get (requests/s; p50 in ms)\n' "$WRK_CONNECTIONS"
printf '%10s %10s %7s %9s %9s %11s\n' router node ratio "p50 rtr" "p50 node" "added p50"
read -r rr rp < <(awk -F, '$1=="router" {print $4" "$5}' "$raw")
read -r nr np < <(awk -F, '$1=="node" {print $4" "$5}' "$raw")
awk -v rr="$rr" -v nr="$nr" -v rp="$rp" -v np="$np" \
  'BEGIN {printf "%10.0f %10.0f %7.2f %9.3f %9.3f %8.0f µs\n", rr, nr, rr/nr, rp, np, (rp-np)*1000}'
