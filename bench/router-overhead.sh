#!/usr/bin/env bash
# What the router costs: redis-benchmark GET/SET through a local-mode router (3 nodes) and
# directly against one of its nodes, at -P 1 and -P 16, side by side. Not run in CI.
# Usage: bench/router-overhead.sh   (env: REQUESTS=200000 CLIENTS=50)
source "$(dirname "$0")/lib.sh"
REQUESTS=${REQUESTS:-200000} CLIENTS=${CLIENTS:-50}
ROUTER_HTTP=27171 ROUTER_RESP=26379

source "$BENCH_DIR/router-lib.sh"
start_local_router 3
node_resp=$(first_node_resp)

raw="$RESULTS_DIR/router-overhead.csv"; : >"$raw"
for pipeline in 1 16; do
  for target in router node; do
    port=$ROUTER_RESP; [[ $target == node ]] && port=$node_resp
    redis-benchmark -h 127.0.0.1 -p "$port" -t get,set -n "$REQUESTS" -c "$CLIENTS" -P "$pipeline" -r 100000 -q --csv \
      | tr -d '"' | awk -F, -v t="$target" -v p="$pipeline" '$1!="test" {print t","p","$1","$2}' >>"$raw"
  done
done

printf '\nredis-benchmark -n %s -c %s (requests/s); node = one of the 3 nodes, directly\n' "$REQUESTS" "$CLIENTS"
printf '%-4s %-4s %12s %12s %12s\n' P op router node router/node
for pipeline in 1 16; do
  for op in SET GET; do
    r=$(awk -F, -v p="$pipeline" -v o="$op" '$1=="router" && $2==p && $3==o {print $4}' "$raw")
    n=$(awk -F, -v p="$pipeline" -v o="$op" '$1=="node" && $2==p && $3==o {print $4}' "$raw")
    printf '%-4s %-4s %12.0f %12.0f %12.2f\n' "$pipeline" "$op" "$r" "$n" "$(awk -v a="$r" -v b="$n" 'BEGIN{print a/b}')"
  done
done
