#!/usr/bin/env bash
# RESP throughput, side by side: redis-benchmark GET/SET against the KubeCache node,
# redis-server and (when installed) garnet-server, runs interleaved, medians of ROUNDS.
# Usage: bench/resp-compare.sh   (env: ROUNDS=3 REQUESTS=200000 CLIENTS=50)
source "$(dirname "$0")/lib.sh"
ROUNDS=${ROUNDS:-3} REQUESTS=${REQUESTS:-200000} CLIENTS=${CLIENTS:-50}

declare -A port=([kubecache]=16379 [redis]=16380)
start_node 17171 16379 --max-memory 1gb
start_redis 16380
servers=(kubecache redis)
if [[ -n "$(garnet_bin)" ]]; then start_garnet 16381; port[garnet]=16381; servers+=(garnet); fi

raw="$RESULTS_DIR/resp-compare.csv"; : >"$raw"
for round in $(seq 1 "$ROUNDS"); do
  for pipeline in 1 16; do
    for server in "${servers[@]}"; do
      redis-benchmark -h 127.0.0.1 -p "${port[$server]}" -t get,set -n "$REQUESTS" -c "$CLIENTS" -P "$pipeline" -r 100000 -q --csv \
        | tr -d '"' | awk -F, -v s="$server" -v p="$pipeline" 'NR>1 || $1!="test" {print s","p","$1","$2}' >>"$raw"
    done
  done
done

printf '\nredis-benchmark -n %s -c %s, median of %s interleaved rounds (requests/s)\n' "$REQUESTS" "$CLIENTS" "$ROUNDS"
printf '%-4s %-4s' P op; for s in "${servers[@]}"; do printf ' %12s' "$s"; done
for s in "${servers[@]:1}"; do printf ' %14s' "kubecache/$s"; done; echo
for pipeline in 1 16; do
  for op in SET GET; do
    printf '%-4s %-4s' "$pipeline" "$op"
    declare -A med=()
    for s in "${servers[@]}"; do
      med[$s]=$(awk -F, -v s="$s" -v p="$pipeline" -v o="$op" '$1==s && $2==p && $3==o {print $4}' "$raw" | median)
      printf ' %12.0f' "${med[$s]}"
    done
    for s in "${servers[@]:1}"; do printf ' %14.2f' "$(awk -v a="${med[kubecache]}" -v b="${med[$s]}" 'BEGIN{print a/b}')"; done
    echo
  done
done
