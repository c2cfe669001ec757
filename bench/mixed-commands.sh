#!/usr/bin/env bash
# Connections that mix commands, two node builds side by side: each connection sends SET and GET
# one at a time and, every Nth command, an MGET of five keys (bench/Mix), which a node runs from
# the connection's pipes rather than on its event loop. Rounds interleave A and B (the order
# reverses every round, so drift cancels); printed per MGET share: commands/s and the node's CPU
# µs per command (user + system, /proc/<pid>/stat), medians over rounds, and B/A per round (min
# med max). Not run in CI.
# Usage: A=<commit> bench/mixed-commands.sh   (env: B=<commit>, default this tree; ROUNDS=3
#        SECONDS_PER_RUN=8 CONNECTIONS=50 DEPTH=1 (commands sent before the replies are read)
#        EVERY="0 100 10" (0: no MGET))
source "$(dirname "$0")/lib.sh"
ROUNDS=${ROUNDS:-3} SECONDS_PER_RUN=${SECONDS_PER_RUN:-8} CONNECTIONS=${CONNECTIONS:-50} DEPTH=${DEPTH:-1} EVERY=${EVERY:-"0 100 10"}
[[ -n "${A:-}" ]] || { echo "A=<commit> is required: the build to compare this tree (or B) against" >&2; exit 2; }
A=$(git -C "$REPO_DIR" rev-parse "$A")
node_a=$(commit_dll "$A" CacheNode)
if [[ -n "${B:-}" ]]; then node_b=$(commit_dll "$(git -C "$REPO_DIR" rev-parse "$B")" CacheNode); else node_b=$(REBUILD=1 node_dll); fi
dotnet build -c Release "$BENCH_DIR/Mix" -v q -nologo >/dev/null
mix="$BENCH_DIR/Mix/bin/Release/net10.0/KubeCache.Mix.Bench.dll"

declare -A port=([a]=19480 [b]=19481) pid=()
NODE_DLL=$node_a start_node 19280 "${port[a]}" --max-memory 1gb --max-connections-per-ip 0; pid[a]=$LAST_PID
NODE_DLL=$node_b start_node 19281 "${port[b]}" --max-memory 1gb --max-connections-per-ip 0; pid[b]=$LAST_PID
for t in a b; do dotnet "$mix" "${port[$t]}" "$CONNECTIONS" 3 10 >/dev/null; done   # warm-up: JIT tiers, keys

CSV="$RESULTS_DIR/mixed-commands.csv"; : >"$CSV"
tick_us=$((1000000 / $(getconf CLK_TCK)))
for round in $(seq 1 "$ROUNDS"); do
  order=(a b); ((round % 2)) || order=(b a)
  for every in $EVERY; do
    for t in "${order[@]}"; do # round,target,every,_,commands/s,cpu_us_per_command
      ticks=$(cpu_ticks "${pid[$t]}")
      line=$(dotnet "$mix" "${port[$t]}" "$CONNECTIONS" "$SECONDS_PER_RUN" "$every" "$DEPTH")
      ticks=$(($(cpu_ticks "${pid[$t]}") - ticks))
      echo "$line" | awk -v r="$round" -v t="$t" -v e="$every" -v k="$ticks" -v u="$tick_us" '{print r","t","e",mix,"$6+0","k*u/$1}' >>"$CSV"
    done
  done
done

printf '\nbench/Mix: %s connections, SET/GET %s at a time, an MGET of 5 every N commands; %s s per run, %s interleaved rounds\n' \
  "$CONNECTIONS" "$DEPTH" "$SECONDS_PER_RUN" "$ROUNDS"
printf 'A = %s, B = %s; medians over rounds, B/A per round min med max\n' "${A:0:7}" "${B:-this tree}"
printf '%-10s %-12s %12s %12s   %s\n' 'MGET every' figure A B 'B/A'
for every in $EVERY; do
  for column in 5 6; do
    label=$([[ $column == 5 ]] && echo 'commands/s' || echo 'CPU us/cmd')
    printf '%-10s %-12s %12.2f %12.2f   %s\n' "$([[ $every == 0 ]] && echo never || echo "$every")" "$label" \
      "$(median_of a "$every" mix "$column")" "$(median_of b "$every" mix "$column")" "$(ratios a b "$every" mix "$column")"
  done
done
