#!/usr/bin/env bash
# The router beside twemproxy (nutcracker), and both beside one node directly, side by side in
# one run: redis-benchmark SET/GET with CLIENTS connections at -P 1 and -P 16, rounds
# interleaved (the order reverses every round, so drift cancels), then one client (-c 1 -P 1)
# for the latency the router adds over the node it forwards to.
#   router     a local-mode router with its own three ring nodes (--local-nodes 3);
#   twemproxy  nutcracker (redis: true, fnv1a_64/ketama, server_connections: 1, no auto eject)
#              in front of three standalone nodes of the same build. Nodes in a ring refuse the
#              keys they do not own (ownership fencing) and twemproxy hashes keys its own way, so
#              its nodes must be standalone: they accept every key;
#   node       the first of those standalone nodes, directly.
# Printed per P and op: requests/s and the proxy process's CPU µs per request (medians over the
# rounds), and router/twemproxy per round (min med max). Not run in CI.
# Usage: bench/router-vs-twemproxy.sh   (env: ROUNDS=3 REQUESTS=100000 (at -P 16: x10) CLIENTS=50;
#        ROUTER_DLL / NODE_DLL compare other builds)
source "$(dirname "$0")/lib.sh"
ROUNDS=${ROUNDS:-3} REQUESTS=${REQUESTS:-100000} CLIENTS=${CLIENTS:-50}
ROUTER_HTTP=28170 ROUTER_RESP=28370
source "$BENCH_DIR/router-lib.sh"

declare -A port=([router]=$ROUTER_RESP [twemproxy]=28371 [node]=28372) pid=()
start_local_router 3
pid[router]=$LAST_PID

for i in 0 1 2; do
  start_node $((28180 + i)) $((port[node] + i)) --max-memory 1gb
  ((i == 0)) && pid[node]=$LAST_PID
done
start_twemproxy "${port[twemproxy]}" 28190 "${port[node]}" $((port[node] + 1)) $((port[node] + 2)); pid[twemproxy]=$LAST_PID

targets=(router twemproxy node)
for target in "${targets[@]}"; do
  [[ $(redis-cli -p "${port[$target]}" SET bench:warm x) == OK ]] || { echo "$target does not answer SET; see $RESULTS_DIR" >&2; exit 1; }
done

CSV="$RESULTS_DIR/router-vs-twemproxy.csv"; : >"$CSV"
p50="$RESULTS_DIR/router-vs-twemproxy-c1.csv"; : >"$p50"
for round in $(seq 1 "$ROUNDS"); do
  order=("${targets[@]}"); ((round % 2)) || order=(node twemproxy router)
  measure_set_get "$round" "${order[@]}"
  for target in "${order[@]}"; do # round,target,op,p50_ms
    redis-benchmark -h 127.0.0.1 -p "${port[$target]}" -t set,get -n $((REQUESTS / 5)) -c 1 -P 1 -r 100000 -q --csv \
      | tr -d '"' | awk -F, -v r="$round" -v t="$target" '$1!="test" {print r","t","$1","$5}' >>"$p50"
  done
done

printf '\nredis-benchmark -n %s (x10 at -P 16) -c %s -r 100000, %s interleaved rounds; medians over rounds,\n' "$REQUESTS" "$CLIENTS" "$ROUNDS"
printf 'router/twemproxy per round min med max; CPU is the proxy (or node) process'"'"'s user + system time\n'
printf '%-3s %-4s %-10s %10s %10s %10s   %-17s   %s\n' P op figure router twemproxy node 'router/twemproxy' 'router/node'
for pipeline in 1 16; do
  for op in SET GET; do
    for column in 5 6; do
      label=$([[ $column == 5 ]] && echo 'requests/s' || echo 'CPU us/req')
      printf '%-3s %-4s %-10s %10.2f %10.2f %10.2f   %s   %s\n' "$pipeline" "$op" "$label" \
        "$(median_of router "$pipeline" "$op" "$column")" "$(median_of twemproxy "$pipeline" "$op" "$column")" \
        "$(median_of node "$pipeline" "$op" "$column")" \
        "$(ratios twemproxy router "$pipeline" "$op" "$column")" "$(ratios node router "$pipeline" "$op" "$column")"
    done
  done
done

printf '\none client (-c 1 -P 1, -n %s): p50 in µs, medians over rounds; added = target - node\n' $((REQUESTS / 5))
printf '%-4s %8s %10s %8s %13s %16s\n' op router twemproxy node 'router added' 'twemproxy added'
for op in SET GET; do
  med() { awk -F, -v t="$1" -v o="$op" '$2==t && $3==o {print $4 * 1000}' "$p50" | median; }
  r=$(med router) t=$(med twemproxy) n=$(med node)
  awk -v o="$op" -v r="$r" -v t="$t" -v n="$n" 'BEGIN {printf "%-4s %8.0f %10.0f %8.0f %13.0f %16.0f\n", o, r, t, n, r - n, t - n}'
done
