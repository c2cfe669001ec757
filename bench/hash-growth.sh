#!/usr/bin/env bash
# One hash growing under HSET, side by side: redis-benchmark's HSET test with -r (each request
# sets a random field of one hash, `myhash`, which grows from empty to about REQUESTS fields of
# 20 + 3 bytes) against the KubeCache node, redis-server and (when installed) garnet-server,
# in interleaved rounds (the order reverses every round); the hash is deleted before each run.
# A node keeps a hash as one value, so each write copies it: this shows what that costs beside
# Redis's hash table. With A=<commit>, a node built from A runs too ("base").
# Prints medians of requests/s and CPU µs per request, and per-round ratios kubecache/peer.
# Usage: bench/hash-growth.sh   (env: ROUNDS=3 REQUESTS=20000 CLIENTS=50 A=<commit>)
source "$(dirname "$0")/lib.sh"
ROUNDS=${ROUNDS:-3} REQUESTS=${REQUESTS:-20000} CLIENTS=${CLIENTS:-50}

declare -A port=([kubecache]=16379 [redis]=16380) pid=()
start_node 17171 16379 --max-memory 1gb; pid[kubecache]=$LAST_PID
start_redis 16380; pid[redis]=$LAST_PID
servers=(kubecache redis)
if [[ -n "${A:-}" ]]; then
  A=$(git -C "$REPO_DIR" rev-parse "$A")
  NODE_DLL=$(commit_dll "$A" CacheNode) start_node 17173 16382 --max-memory 1gb; port[base]=16382; pid[base]=$LAST_PID
  servers+=(base)
fi
if [[ -n "$(garnet_bin)" ]]; then start_garnet 16381; port[garnet]=16381; pid[garnet]=$LAST_PID; servers+=(garnet); fi

CSV="$RESULTS_DIR/hash-growth.csv"; : >"$CSV"
for round in $(seq 1 "$ROUNDS"); do
  order=("${servers[@]}"); ((round % 2)) || mapfile -t order < <(printf '%s\n' "${servers[@]}" | tac)
  for s in "${order[@]}"; do
    redis-cli -p "${port[$s]}" DEL myhash >/dev/null
    measure "$round" "$s" 1 HSET -t hset -r 100000
    fields=$(redis-cli -p "${port[$s]}" HLEN myhash)
    sed -i "\$s/\$/,$fields/" "$CSV"
  done
done

printf '\nredis-benchmark -t hset -r 100000 -n %s -c %s (one hash, growing), %s interleaved rounds; medians over rounds, kubecache/peer per round min med max\n' \
  "$REQUESTS" "$CLIENTS" "$ROUNDS"
printf '%-12s' figure; for s in "${servers[@]}"; do printf ' %10s' "$s"; done
for s in "${servers[@]:1}"; do printf '   %-19s' "kubecache/$s"; done; echo
for column in 5 6 7; do
  case $column in 5) label='requests/s' ;; 6) label='CPU us/req' ;; 7) label='fields' ;; esac
  printf '%-12s' "$label"
  for s in "${servers[@]}"; do printf ' %10.2f' "$(median_of "$s" 1 HSET "$column")"; done
  if [[ $column != 7 ]]; then for s in "${servers[@]:1}"; do printf '   %-19s' "$(ratios "$s" kubecache 1 HSET "$column")"; done; fi
  echo
done
