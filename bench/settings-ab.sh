#!/usr/bin/env bash
# Two settings of one node build side by side, with fresh processes every round: each round
# starts a node with FLAGS_A and one with FLAGS_B, warms both (so the JIT has tiered their hot
# paths), runs redis-benchmark SET/GET at -P 1 and -P 16 against each, interleaved (the order
# reverses every round), and stops them. A process's JIT and profile-guided code differ from one
# process to the next by several per cent, which bench/ab.sh, whose processes live for the whole
# run, cannot average out; for a setting (a runtime or transport flag) this script can.
# Prints medians over rounds of requests/s and CPU per request, and B/A per round (min med max).
# Usage: FLAGS_A="--io-threads 0" FLAGS_B="--io-threads 1" bench/settings-ab.sh
#        (env: ROUNDS=4 REQUESTS=100000 (at -P 16: x10) CLIENTS=50)
source "$(dirname "$0")/lib.sh"
ROUNDS=${ROUNDS:-4} REQUESTS=${REQUESTS:-100000} CLIENTS=${CLIENTS:-50}
read -ra flags_a <<<"${FLAGS_A:-}"; read -ra flags_b <<<"${FLAGS_B:-}"
raise_open_files $((2 * CLIENTS + 1024))
CSV="$RESULTS_DIR/settings-ab.csv"; : >"$CSV"
declare -A port=([a]=19390 [b]=19391) http=([a]=19190 [b]=19191) pid=()
for round in $(seq 1 "$ROUNDS"); do
  start_node "${http[a]}" "${port[a]}" --max-memory 1gb --max-connections-per-ip 0 "${flags_a[@]}"; pid[a]=$LAST_PID
  start_node "${http[b]}" "${port[b]}" --max-memory 1gb --max-connections-per-ip 0 "${flags_b[@]}"; pid[b]=$LAST_PID
  for t in a b; do
    redis-benchmark -p "${port[$t]}" -c "$CLIENTS" -P 16 -n 500000 -r 100000 -t set,get -q >/dev/null
  done
  order=(a b); ((round % 2)) || order=(b a)
  measure_set_get "$round" "${order[@]}"
  kill "${pid[a]}" "${pid[b]}"; wait "${pid[a]}" "${pid[b]}" 2>/dev/null || true
done

printf '\nA (%s), B (%s): fresh node processes in each of %s rounds\n' "${FLAGS_A:-}" "${FLAGS_B:-}" "$ROUNDS"
printf '%-3s %-4s %-10s %10s %10s   %s\n' P op figure A B 'B/A'
for pipeline in 1 16; do
  for op in SET GET; do
    for column in 5 6; do
      label=$([[ $column == 5 ]] && echo 'requests/s' || echo 'CPU us/req')
      printf '%-3s %-4s %-10s %10.2f %10.2f   %s\n' "$pipeline" "$op" "$label" \
        "$(median_of a "$pipeline" "$op" "$column")" "$(median_of b "$pipeline" "$op" "$column")" "$(ratios a b "$pipeline" "$op" "$column")"
    done
  done
done
