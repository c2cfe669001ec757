#!/usr/bin/env bash
# Throughput of two builds side by side, node against node and router against router:
# redis-benchmark SET/GET at -P 1 and -P 16, rounds interleaved (the order reverses every
# round, so drift cancels). A refactoring that should change no behaviour (or a change meant to
# speed up the data path) is judged by the B/A ratios.
#   node-a, node-b      standalone nodes built from A and from B;
#   router-a, router-b  routers built from A and from B, each following one ring file that names
#                       one standalone node built from B (shared, so only the routers differ).
# Usage: A=<commit> bench/ab.sh   (env: B=<commit>, default this tree; ROUNDS=5
#        REQUESTS=100000 (at -P 16: x10) CLIENTS=50; KEYSPACE=100000 and VALUE=3 (bytes) shape
#        the keys, and the first rounds fill a large key space; FLAGS_A, FLAGS_B: more flags for
#        A's and B's node and router, so A=HEAD FLAGS_A="--io-threads 0" compares a setting of one build)
source "$(dirname "$0")/lib.sh"
ROUNDS=${ROUNDS:-5} REQUESTS=${REQUESTS:-100000} CLIENTS=${CLIENTS:-50}
[[ -n "${A:-}" ]] || { echo "A=<commit> is required: the build to compare this tree (or B) against" >&2; exit 2; }
A=$(git -C "$REPO_DIR" rev-parse "$A")
if [[ -n "${B:-}" ]]; then
  B=$(git -C "$REPO_DIR" rev-parse "$B") node_b=$(commit_dll "$B" CacheNode) router_b=$(commit_dll "$B" Router)
else
  node_b=$(REBUILD=1 node_dll)
  dotnet build -c Release "$REPO_DIR/src/Router" -v q -nologo >/dev/null
  router_b="$REPO_DIR/src/Router/bin/Release/net10.0/KubeCache.Router.dll"
fi

# Each connection is a descriptor on both ends, and all of them come from one address.
raise_open_files $((2 * CLIENTS + 1024))
flags=(--max-memory 1gb --max-connections-per-ip 0)
targets=(node-a node-b router-a router-b)
declare -A port=([node-a]=19380 [node-b]=19381 [router-a]=19382 [router-b]=19383 [shared]=19384)
declare -A http=([node-a]=19170 [node-b]=19171 [router-a]=19172 [router-b]=19173 [shared]=19174) pid=()
read -ra flags_a <<<"${FLAGS_A:-}"; read -ra flags_b <<<"${FLAGS_B:-}"
NODE_DLL=$(commit_dll "$A" CacheNode) start_node "${http[node-a]}" "${port[node-a]}" "${flags[@]}" "${flags_a[@]}"; pid[node-a]=$LAST_PID
NODE_DLL=$node_b start_node "${http[node-b]}" "${port[node-b]}" "${flags[@]}" "${flags_b[@]}"; pid[node-b]=$LAST_PID
ring="$RESULTS_DIR/ab-ring.json"
echo "{ \"cluster\": \"ab\", \"epoch\": 1, \"members\": [ { \"name\": \"ab-0\", \"http\": \"127.0.0.1:${http[shared]}\", \"resp\": \"127.0.0.1:${port[shared]}\" } ] }" >"$ring"
NODE_DLL=$node_b start_node "${http[shared]}" "${port[shared]}" --max-memory 1gb --node-name ab-0 --ring-file "$ring"
declare -A router_dll=([router-a]="$(commit_dll "$A" Router)" [router-b]="$router_b")
for router in router-a router-b; do
  if [[ $router == router-a ]]; then extra=("${flags_a[@]}"); else extra=("${flags_b[@]}"); fi
  dotnet "${router_dll[$router]}" --bind 127.0.0.1 --http-port "${http[$router]}" --resp-port "${port[$router]}" --ring-file "$ring" --max-connections-per-ip 0 "${extra[@]}" \
    >"$RESULTS_DIR/$router.log" 2>&1 &
  pid[$router]=$!; PIDS+=("$!")
  wait_port "${http[$router]}"; wait_port "${port[$router]}"
done
for target in "${targets[@]}"; do
  [[ $(redis-cli -p "${port[$target]}" SET ab:warm x) == OK ]] || { echo "$target does not answer SET; see $RESULTS_DIR" >&2; exit 1; }
done

CSV="$RESULTS_DIR/ab.csv"; : >"$CSV"
for round in $(seq 1 "$ROUNDS"); do
  order=("${targets[@]}"); ((round % 2)) || order=(router-b router-a node-b node-a)
  measure_set_get "$round" "${order[@]}"
done

b_name=${B:-}; b_name=${b_name:0:7}; b_name=${b_name:-"$(git -C "$REPO_DIR" rev-parse --short HEAD) (+ working tree)"}
printf '\nA %s%s, B %s%s\n' "${A:0:7}" "${FLAGS_A:+ ($FLAGS_A)}" "$b_name" "${FLAGS_B:+ ($FLAGS_B)}"
printf 'redis-benchmark -n %s (x10 at -P 16) -c %s -r %s -d %s, %s interleaved rounds; medians over rounds, B/A per round min med max\n' "$REQUESTS" "$CLIENTS" "${KEYSPACE:-100000}" "${VALUE:-3}" "$ROUNDS"
printf '%-7s %-3s %-4s %-10s %10s %10s   %s\n' what P op figure A B 'B/A'
for what in node router; do
  for pipeline in 1 16; do
    for op in SET GET; do
      for column in 5 6; do
        label=$([[ $column == 5 ]] && echo 'requests/s' || echo 'CPU us/req')
        printf '%-7s %-3s %-4s %-10s %10.2f %10.2f   %s\n' "$what" "$pipeline" "$op" "$label" \
          "$(median_of "$what-a" "$pipeline" "$op" "$column")" "$(median_of "$what-b" "$pipeline" "$op" "$column")" \
          "$(ratios "$what-a" "$what-b" "$pipeline" "$op" "$column")"
      done
    done
  done
done
