#!/usr/bin/env bash
# RESP throughput, side by side: redis-benchmark GET/SET against the KubeCache node,
# redis-server and (when installed) garnet-server, interleaved (the order reverses every round,
# so drift cancels). Prints each server's median requests/s and CPU µs per request, and
# per-round ratios kubecache/peer (the servers of a round ran back to back), min med max.
# Usage: bench/resp-compare.sh   (env: ROUNDS=3 REQUESTS=200000 (at -P 16: x10) CLIENTS=50 KEYSPACE=100000 VALUE=3)
source "$(dirname "$0")/lib.sh"
ROUNDS=${ROUNDS:-3} REQUESTS=${REQUESTS:-200000} CLIENTS=${CLIENTS:-50}

declare -A port=([kubecache]=16379 [redis]=16380) pid=()
start_node 17171 16379 --max-memory 1gb; pid[kubecache]=$LAST_PID
start_redis 16380; pid[redis]=$LAST_PID
servers=(kubecache redis)
if [[ -n "$(garnet_bin)" ]]; then start_garnet 16381; port[garnet]=16381; pid[garnet]=$LAST_PID; servers+=(garnet); fi

CSV="$RESULTS_DIR/resp-compare.csv"; : >"$CSV"
for round in $(seq 1 "$ROUNDS"); do
  order=("${servers[@]}"); ((round % 2)) || mapfile -t order < <(printf '%s\n' "${servers[@]}" | tac)
  measure_set_get "$round" "${order[@]}"
done

printf '\nredis-benchmark -n %s (x10 at -P 16) -c %s -r %s -d %s, %s interleaved rounds; medians over rounds, kubecache/peer per round min med max\n' \
  "$REQUESTS" "$CLIENTS" "${KEYSPACE:-100000}" "${VALUE:-3}" "$ROUNDS"
printf '%-3s %-4s %-10s' P op figure; for s in "${servers[@]}"; do printf ' %10s' "$s"; done
for s in "${servers[@]:1}"; do printf '   %-19s' "kubecache/$s"; done; echo
for pipeline in 1 16; do
  for op in SET GET; do
    for column in 5 6; do
      printf '%-3s %-4s %-10s' "$pipeline" "$op" "$([[ $column == 5 ]] && echo 'requests/s' || echo 'CPU us/req')"
      for s in "${servers[@]}"; do printf ' %10.2f' "$(median_of "$s" "$pipeline" "$op" "$column")"; done
      for s in "${servers[@]:1}"; do printf '   %-19s' "$(ratios "$s" kubecache "$pipeline" "$op" "$column")"; done
      echo
    done
  done
done
