#!/usr/bin/env bash
# The HTTP API beside nginx, side by side in one run: wrk GET /get (hits) and POST /put with the
# reference load profile (bench/wrk/common.lua: UUID keys, 256-character values) against the
# node, and against nginx answering the same requests with a constant body of the same size
# (the node's mean GET reply for keys of the profile; its PUT reply). nginx runs as a production
# one would: one worker per core, access log off. Rounds interleave the targets (the order
# reverses every round, so drift cancels); per target and workload it prints the median
# requests/s, the median CPU time per request of the target's processes (user + system from
# /proc, which other processes on a shared machine disturb far less) and p50, and per round the
# ratio node/nginx (min med max). With A=<commit>, a node built from A runs too ("base"), and
# node/base judges a change to the HTTP path.
# Usage: bench/http-wrk.sh   (env: ROUNDS=5 DURATION=5s THREADS=2 CONNECTIONS=64 A=<commit>)
source "$(dirname "$0")/lib.sh"
ROUNDS=${ROUNDS:-5} DURATION=${DURATION:-5s} THREADS=${THREADS:-2} CONNECTIONS=${CONNECTIONS:-64}
declare -A http=([node]=17171 [base]=17173 [nginx]=17175) resp=([node]=16379 [base]=16381) pid=()

# Each connection is a descriptor on both ends, and all of them come from one address.
raise_open_files $((2 * CONNECTIONS + 1024))
flags=(--max-memory 1gb --max-connections-per-ip 0)
start_node "${http[node]}" "${resp[node]}" "${flags[@]}"; pid[node]=$LAST_PID
targets=(node nginx)
if [[ -n "${A:-}" ]]; then
  A=$(git -C "$REPO_DIR" rev-parse "$A")
  NODE_DLL=$(commit_dll "$A" CacheNode) start_node "${http[base]}" "${resp[base]}" "${flags[@]}"; pid[base]=$LAST_PID
  targets+=(base)
fi
for target in node ${A:+base}; do
  preload "http://127.0.0.1:${http[$target]}"
done

nginx_bodies "${http[node]}" "${resp[node]}"
start_nginx "${http[nginx]}"; pid[nginx]=$LAST_PID

CSV="$RESULTS_DIR/http-wrk.csv"; : >"$CSV"; : >"$CSV.errors"
for round in $(seq 1 "$ROUNDS"); do
  order=("${targets[@]}"); ((round % 2)) || order=($(printf '%s\n' "${targets[@]}" | tac))
  for workload in get put; do
    for target in "${order[@]}"; do
      wrk_measure "$round" "$target" "c$CONNECTIONS" "${workload^^}" "http://127.0.0.1:${http[$target]}" "$workload" \
        -t"$THREADS" -c"$CONNECTIONS"
    done
  done
done

printf '\nwrk -t%s -c%s -d%s, %s interleaved rounds; medians over rounds, ratios per round min med max\n' \
  "$THREADS" "$CONNECTIONS" "$DURATION" "$ROUNDS"
printf 'nginx bodies: GET %s bytes, PUT %s bytes\n' "${#NGINX_GET_BODY}" "${#NGINX_PUT_BODY}"
printf '%-4s %-10s' op figure; for t in "${targets[@]}"; do printf ' %10s' "$t"; done
printf '   %-17s' node/nginx; [[ -n "${A:-}" ]] && printf '   node/base (base %s)' "${A:0:7}"; echo
for op in GET PUT; do
  for column in 5 6 7; do
    case $column in 5) label='requests/s' ;; 6) label='CPU us/req' ;; 7) label='p50 us' ;; esac
    printf '%-4s %-10s' "$op" "$label"
    for t in "${targets[@]}"; do printf ' %10.2f' "$(median_of "$t" "c$CONNECTIONS" "$op" "$column")"; done
    printf '   %s' "$(ratios nginx node "c$CONNECTIONS" "$op" "$column")"
    [[ -n "${A:-}" ]] && printf '   %s' "$(ratios base node "c$CONNECTIONS" "$op" "$column")"
    echo
  done
done
if [[ -s "$CSV.errors" ]]; then echo "errors seen:"; cat "$CSV.errors"; else echo "no errors"; fi
