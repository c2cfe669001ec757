#!/usr/bin/env bash
# What the router costs, side by side in one run: through a local-mode router (3 nodes) and
# directly against a standalone node of the same build (no ring, so it serves every key; a
# member of the router's ring would redirect the keys its peers own).
#  - redis-benchmark GET/SET at -P 1 and -P 16 with CLIENTS connections (throughput and p50);
#  - redis-benchmark GET/SET with one client (-c 1 -P 1): the latency the router adds when the
#    machine is not saturated;
#  - wrk GET /get (HTTP) with WRK_CONNECTIONS connections.
# Router, nodes and load generators share the machine's cores. Not run in CI.
# Usage: bench/router-overhead.sh   (env: REQUESTS=200000 CLIENTS=50 DURATION=10s WRK_CONNECTIONS=64;
#        ROUTER_DLL=<path> compares another build)
source "$(dirname "$0")/lib.sh"
REQUESTS=${REQUESTS:-200000} CLIENTS=${CLIENTS:-50} DURATION=${DURATION:-10s} WRK_CONNECTIONS=${WRK_CONNECTIONS:-64}
ROUTER_HTTP=27171 ROUTER_RESP=26379 NODE_HTTP=27172 NODE_RESP=26380

source "$BENCH_DIR/router-lib.sh"
start_local_router 3
start_node "$NODE_HTTP" "$NODE_RESP" --max-memory 1gb
node_resp=$NODE_RESP node_http=$NODE_HTTP

raw="$RESULTS_DIR/router-overhead.csv"; : >"$raw"
# target,label,op,rps,p50_ms
bench_resp() { # target port label clients pipeline requests
  redis-benchmark -h 127.0.0.1 -p "$2" -t get,set -n "$6" -c "$4" -P "$5" -r 100000 -q --csv \
    | tr -d '"' | awk -F, -v t="$1" -v l="$3" '$1!="test" {print t","l","$1","$2","$5}' >>"$raw"
}
for target in router node; do
  port=$ROUTER_RESP; [[ $target == node ]] && port=$node_resp
  bench_resp "$target" "$port" "P1" "$CLIENTS" 1 "$REQUESTS"
  bench_resp "$target" "$port" "P16" "$CLIENTS" 16 "$REQUESTS"
  bench_resp "$target" "$port" "c1" 1 1 $((REQUESTS / 10))
done

for target in router node; do
  url=http://127.0.0.1:$ROUTER_HTTP; [[ $target == node ]] && url=http://127.0.0.1:$node_http
  preload "$url"
  out=$(wrk -t2 -c"$WRK_CONNECTIONS" -d"$DURATION" --latency -s "$WRK_DIR/get.lua" "$url")
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; print v}' <<<"$out")
  echo "$target,wrk,GET,$rps,$p50" >>"$raw"
  grep -q 'Non-2xx\|Socket errors' <<<"$out" && echo "wrk errors against $target: $(grep 'Non-2xx\|Socket errors' <<<"$out")"
done

printf '\nrouter (3 nodes) vs a standalone node directly (requests/s; p50 in ms)\n'
printf '%-28s %-4s %10s %10s %7s %9s %9s %11s\n' run op router node ratio "p50 rtr" "p50 node" "added p50"
for label in P1 P16 c1 wrk; do
  for op in SET GET; do
    r=$(awk -F, -v l="$label" -v o="$op" '$1=="router" && $2==l && $3==o {print $4" "$5}' "$raw")
    n=$(awk -F, -v l="$label" -v o="$op" '$1=="node" && $2==l && $3==o {print $4" "$5}' "$raw")
    [[ -z "$r" || -z "$n" ]] && continue
    read -r rr rp <<<"$r"; read -r nr np <<<"$n"
    case $label in
      P1) name="redis-benchmark -c $CLIENTS -P 1" ;; P16) name="redis-benchmark -c $CLIENTS -P 16" ;;
      c1) name="redis-benchmark -c 1 -P 1" ;; wrk) name="wrk -t2 -c $WRK_CONNECTIONS GET" ;;
    esac
    awk -v n="$name" -v o="$op" -v rr="$rr" -v nr="$nr" -v rp="$rp" -v np="$np" \
      'BEGIN {printf "%-28s %-4s %10.0f %10.0f %7.2f %9.3f %9.3f %8.0f µs\n", n, o, rr, nr, rr/nr, rp, np, (rp-np)*1000}'
  done
done
