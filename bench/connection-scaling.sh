#!/usr/bin/env bash
# Whether a server's cost stays flat as clients add connections: the same load with FEW (10)
# and MANY (1,000) open connections against a standalone node and a local-mode router with 3
# nodes — RESP GET and SET (redis-benchmark -P 1) and HTTP GET /get hits (wrk, the reference
# load profile of bench/wrk/common.lua) — and against a peer beside each: redis-server beside
# the node's RESP, twemproxy (in front of the node and two more standalone nodes) beside the
# router's RESP, and nginx answering a constant body of the node's GET reply size beside both
# over HTTP. The peers say how much of a fall is the load generators' own (redis-benchmark and
# wrk walk 100 times the sockets on the same cores) or the kernel's. Rounds interleave
# everything (the order reverses every round); per case it prints the median requests/s and CPU
# time per request (the server's processes; the router's alone, not its nodes) at both counts,
# MANY/FEW per round (min med max; 1.00 is flat), the peer's MANY/FEW, and per round the
# server's MANY/FEW over the peer's (min med max; 1.00 scales as the peer does).
# Usage: bench/connection-scaling.sh   (env: ROUNDS=3 FEW=10 MANY=1000 REQUESTS=200000
#        DURATION=5s THREADS=2)
source "$(dirname "$0")/lib.sh"
source "$BENCH_DIR/router-lib.sh"
ROUNDS=${ROUNDS:-3} FEW=${FEW:-10} MANY=${MANY:-1000} REQUESTS=${REQUESTS:-200000} DURATION=${DURATION:-5s} THREADS=${THREADS:-2}
ROUTER_HTTP=27181 ROUTER_RESP=26389
declare -A http=([node]=27182 [router]=$ROUTER_HTTP [nginx]=27183) resp=([node]=26390 [router]=$ROUTER_RESP [redis]=26391 [twemproxy]=26392)
declare -A port=() pid=() peer=([node 1]=redis [node http]=nginx [router 1]=twemproxy [router http]=nginx)
declare -A cases=([node]="1 SET,1 GET,http GET" [router]="1 SET,1 GET,http GET" [redis]="1 SET,1 GET" [twemproxy]="1 SET,1 GET" [nginx]="http GET")
servers=(node router redis twemproxy nginx)

# Each connection is a descriptor on both ends, and all of them come from one address.
raise_open_files $((2 * MANY + 1024))
unlimited=(--max-connections-per-ip 0)
start_node "${http[node]}" "${resp[node]}" --max-memory 1gb "${unlimited[@]}"; pid[node]=$LAST_PID
start_local_router 3 "${unlimited[@]}"; pid[router]=$LAST_PID
start_redis "${resp[redis]}" --maxclients $((2 * MANY)); pid[redis]=$LAST_PID
twemproxy_nodes=("${resp[node]}")
for i in 1 2; do
  start_node $((27183 + i)) $((26392 + i)) --max-memory 1gb "${unlimited[@]}"; twemproxy_nodes+=($((26392 + i)))
done
start_twemproxy "${resp[twemproxy]}" 27190 "${twemproxy_nodes[@]}"; pid[twemproxy]=$LAST_PID
for server in node router; do
  preload "http://127.0.0.1:${http[$server]}"
done
nginx_bodies "${http[node]}" "${resp[node]}"
start_nginx "${http[nginx]}"; pid[nginx]=$LAST_PID

# measure and wrk_measure name a target's port and processes in port[] and pid[]; here a target
# is a server at one connection count, so per round MANY/FEW is the ratio of two targets.
targets=()
for server in "${servers[@]}"; do
  for count in "$FEW" "$MANY"; do
    targets+=("$server@$count"); port[$server@$count]=${resp[$server]:-}; pid[$server@$count]=${pid[$server]}
  done
done

CSV="$RESULTS_DIR/connection-scaling.csv"; : >"$CSV"; : >"$CSV.errors"
for round in $(seq 1 "$ROUNDS"); do
  order=("${targets[@]}"); ((round % 2)) || order=($(printf '%s\n' "${targets[@]}" | tac))
  for target in "${order[@]}"; do
    server=${target%@*} count=${target#*@}
    IFS=, read -ra list <<<"${cases[$server]}"
    for case in "${list[@]}"; do
      read -r label op <<<"$case"
      if [[ $label == http ]]; then
        wrk_measure "$round" "$target" http "$op" "http://127.0.0.1:${http[$server]}" get -t"$THREADS" -c"$count"
      else
        CLIENTS=$count measure "$round" "$target" "$label" "$op" -t "${op,,}" -r 100000
      fi
    done
  done
done

# over_peer SERVER PEER LABEL OP COLUMN: per round, the server's MANY/FEW over the peer's, as "min med max"
over_peer() {
  awk -F, -v s="$1" -v p="$2" -v l="$3" -v o="$4" -v c="$5" -v few="$FEW" -v many="$MANY" '$3==l && $4==o {v[$1","$2]=$c; r[$1]=1}
    END {for (k in r) print (v[k","s"@"many] / v[k","s"@"few]) / (v[k","p"@"many] / v[k","p"@"few])}' "$CSV" | sort -g >"$CSV.ratios"
  printf '%5.3f %5.3f %5.3f' "$(head -1 "$CSV.ratios")" "$(median <"$CSV.ratios")" "$(tail -1 "$CSV.ratios")"
  rm -f "$CSV.ratios"
}

printf '\n%s interleaved rounds; RESP: redis-benchmark -P 1 -n %s -r 100000; HTTP: wrk -t%s -d%s GET /get\n' \
  "$ROUNDS" "$REQUESTS" "$THREADS" "$DURATION"
printf 'medians over rounds; ratios per round min med max: %s/%s connections, and that over the peer'"'"'s\n' "$MANY" "$FEW"
printf '%-9s %-5s %-4s %-10s %10s %10s   %-17s   %-9s %-17s   %s\n' server proto op figure "c$FEW" "c$MANY" "c$MANY/c$FEW" peer "peer c$MANY/c$FEW" 'over peer'
for server in "${servers[@]}"; do
  IFS=, read -ra list <<<"${cases[$server]}"
  for case in "${list[@]}"; do
    read -r label op <<<"$case"
    for column in 5 6; do
      figure=$([[ $column == 5 ]] && echo 'requests/s' || echo 'CPU us/req')
      printf '%-9s %-5s %-4s %-10s %10.2f %10.2f   %s' "$server" "$([[ $label == http ]] && echo http || echo resp)" "$op" "$figure" \
        "$(median_of "$server@$FEW" "$label" "$op" "$column")" "$(median_of "$server@$MANY" "$label" "$op" "$column")" \
        "$(ratios "$server@$FEW" "$server@$MANY" "$label" "$op" "$column")"
      if [[ -n "${peer[$server $label]:-}" ]]; then
        p=${peer[$server $label]}
        printf '   %-9s %s   %s' "$p" "$(ratios "$p@$FEW" "$p@$MANY" "$label" "$op" "$column")" "$(over_peer "$server" "$p" "$label" "$op" "$column")"
      fi
      echo
    done
  done
done
if [[ -s "$CSV.errors" ]]; then echo "errors seen:"; cat "$CSV.errors"; else echo "no errors"; fi
