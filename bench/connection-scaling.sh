#!/usr/bin/env bash
# Whether a server's cost stays flat as clients add connections: the same load with FEW (10)
# and MANY (1,000) open connections against a standalone node and a local-mode router with 3
# nodes — RESP GET and SET (redis-benchmark -P 1) and HTTP GET /get hits (wrk, the reference
# load profile of bench/wrk/common.lua). Rounds interleave everything (the order reverses every
# round); per case it prints the median requests/s and CPU time per request (the node's process,
# or the router's alone) at both counts and, per round, MANY/FEW (min med max): 1.00 is flat.
# Usage: bench/connection-scaling.sh   (env: ROUNDS=3 FEW=10 MANY=1000 REQUESTS=200000
#        DURATION=5s THREADS=2)
source "$(dirname "$0")/lib.sh"
source "$BENCH_DIR/router-lib.sh"
ROUNDS=${ROUNDS:-3} FEW=${FEW:-10} MANY=${MANY:-1000} REQUESTS=${REQUESTS:-200000} DURATION=${DURATION:-5s} THREADS=${THREADS:-2}
ROUTER_HTTP=27181 ROUTER_RESP=26389
declare -A http=([node]=27182 [router]=$ROUTER_HTTP) resp=([node]=26390 [router]=$ROUTER_RESP) port=() pid=()

# Each connection is a descriptor on both ends, and all of them come from one address.
raise_open_files $((2 * MANY + 1024))
unlimited=(--max-connections-per-ip 0)
start_node "${http[node]}" "${resp[node]}" --max-memory 1gb "${unlimited[@]}"; pid[node]=$LAST_PID
start_local_router 3 "${unlimited[@]}"; pid[router]=$LAST_PID

# measure and wrk_measure name a target's port and processes in port[] and pid[]; here a target
# is a server at one connection count, so per round MANY/FEW is the ratio of two targets.
targets=()
for server in node router; do
  preload "http://127.0.0.1:${http[$server]}"
  for count in "$FEW" "$MANY"; do
    targets+=("$server@$count"); port[$server@$count]=${resp[$server]}; pid[$server@$count]=${pid[$server]}
  done
done

CSV="$RESULTS_DIR/connection-scaling.csv"; : >"$CSV"; : >"$CSV.errors"
for round in $(seq 1 "$ROUNDS"); do
  order=("${targets[@]}"); ((round % 2)) || order=($(printf '%s\n' "${targets[@]}" | tac))
  for target in "${order[@]}"; do
    server=${target%@*} count=${target#*@}
    CLIENTS=$count measure "$round" "$target" 1 SET -t set -r 100000
    CLIENTS=$count measure "$round" "$target" 1 GET -t get -r 100000
    wrk_measure "$round" "$target" http GET "http://127.0.0.1:${http[$server]}" get -t"$THREADS" -c"$count"
  done
done

printf '\n%s interleaved rounds; RESP: redis-benchmark -P 1 -n %s -r 100000; HTTP: wrk -t%s -d%s GET /get\n' \
  "$ROUNDS" "$REQUESTS" "$THREADS" "$DURATION"
printf 'medians over rounds; %s/%s connections per round, min med max\n' "$MANY" "$FEW"
printf '%-7s %-5s %-4s %-10s %10s %10s   %s\n' server proto op figure "c$FEW" "c$MANY" "c$MANY/c$FEW"
for server in node router; do
  for case in "1 SET" "1 GET" "http GET"; do
    read -r label op <<<"$case"
    for column in 5 6; do
      figure=$([[ $column == 5 ]] && echo 'requests/s' || echo 'CPU us/req')
      printf '%-7s %-5s %-4s %-10s %10.2f %10.2f   %s\n' "$server" "$([[ $label == http ]] && echo http || echo resp)" "$op" "$figure" \
        "$(median_of "$server@$FEW" "$label" "$op" "$column")" "$(median_of "$server@$MANY" "$label" "$op" "$column")" \
        "$(ratios "$server@$FEW" "$server@$MANY" "$label" "$op" "$column")"
    done
  done
done
if [[ -s "$CSV.errors" ]]; then echo "errors seen:"; cat "$CSV.errors"; else echo "no errors"; fi
