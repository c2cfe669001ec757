#!/usr/bin/env bash
# HTTP API throughput with wrk: GET /get (hits), POST /put and a 50/50 mix against the
# KubeCache node, median of ROUNDS runs of DURATION each, beside the fastest reference
# implementation's figures from shared/docs/REFERENCE-API.md (~87k GET/s, ~70k PUT/s).
# Usage: bench/http-wrk.sh   (env: ROUNDS=3 DURATION=10s THREADS=2 CONNECTIONS=64)
source "$(dirname "$0")/lib.sh"
ROUNDS=${ROUNDS:-3} DURATION=${DURATION:-10s} THREADS=${THREADS:-2} CONNECTIONS=${CONNECTIONS:-64}
export WRK_DIR="$BENCH_DIR/wrk"

start_node 17171 16379 --max-memory 1gb
url=http://127.0.0.1:17171
wrk -t1 -c8 -d2s -s "$WRK_DIR/preload.lua" "$url" >/dev/null

raw="$RESULTS_DIR/http-wrk.txt"; : >"$raw"
for round in $(seq 1 "$ROUNDS"); do
  for workload in get put mix; do
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$WRK_DIR/$workload.lua" "$url")
    rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
    p50=$(awk '$1=="50%" {print $2}' <<<"$out")
    errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out" | tr '\n' ' ')
    echo "$workload $rps $p50 $errors" >>"$raw"
  done
done

printf '\nwrk -t%s -c%s -d%s, median of %s rounds\n' "$THREADS" "$CONNECTIONS" "$DURATION" "$ROUNDS"
printf '%-8s %14s %10s %22s\n' workload "kubecache r/s" "p50" "fastest reference r/s"
declare -A reference=([get]=87000 [put]=70000 [mix]=-)
for workload in get put mix; do
  rps=$(awk -v w="$workload" '$1==w {print $2}' "$raw" | median)
  p50=$(awk -v w="$workload" '$1==w {print $3}' "$raw" | head -n 1)
  printf '%-8s %14.0f %10s %22s\n' "$workload" "$rps" "$p50" "${reference[$workload]}"
done
grep -q 'Non-2xx\|Socket errors' "$raw" && { echo "errors seen:"; grep 'Non-2xx\|Socket errors' "$raw"; } || echo "no errors"
