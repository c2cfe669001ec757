#!/usr/bin/env bash
# What the ownership check (the fence) costs on the node's RESP hot path: redis-benchmark
# GET/SET at -P 1 and -P 16, rounds interleaved (the order reverses every round, so drift
# cancels), against three nodes:
#   before  built from the commit before fencing, following the ring below;
#   after   built from this tree (or AFTER), following the ring below: every command runs the
#           full look-up (the key's XXH64 and one rendezvous weight per member);
#   alone   built as after, on a ring of itself only, where the fence skips the look-up
#           (Fence.OwnsAll): after/alone isolates the look-up from every other change since BEFORE.
# The ring has three members: this node and two that never answer. Rendezvous hashing gives
# every member its share of any key range, so redis-benchmark's random keys would be two-thirds
# redirected; the runs use one key the node owns, found by asking the fenced node (the first
# `key:NNNNNNNNNNNN` it answers `OK` for, not `-KVMOVED`).
# Two figures per run: throughput, and the node's CPU time per request (user + system, from
# /proc/<pid>/stat), which other processes on a shared machine disturb far less.
# Usage: bench/fence-cost.sh   (env: ROUNDS=20 REQUESTS=100000 (at -P 16: x10) CLIENTS=50;
#        BEFORE=<commit>, default the parent of the commit that brought fencing to main;
#        AFTER=<commit>, default this tree: AFTER=fence compares the fencing commit with its
#        parent alone, without what later commits added to the hot path)
source "$(dirname "$0")/lib.sh"
ROUNDS=${ROUNDS:-20} REQUESTS=${REQUESTS:-100000} CLIENTS=${CLIENTS:-50}
FENCE_COMMIT=$(git -C "$REPO_DIR" log --format=%H --grep='^Fence ownership by epoch' -1 main)
BEFORE=$(git -C "$REPO_DIR" rev-parse "${BEFORE:-$FENCE_COMMIT^}")
[[ "${AFTER:-}" == fence ]] && AFTER=$FENCE_COMMIT

if [[ -n "${AFTER:-}" ]]; then
  AFTER=$(git -C "$REPO_DIR" rev-parse "$AFTER") after_dll=$(commit_dll "$AFTER" CacheNode)
else
  after_dll=$(REBUILD=1 node_dll)
fi
nodes=(before after alone)
declare -A dll=([before]="$(commit_dll "$BEFORE" CacheNode)" [after]="$after_dll" [alone]="$after_dll")
declare -A port=([before]=18379 [after]=18380 [alone]=18381)
declare -A http=([before]=18171 [after]=18172 [alone]=18173) pid=() ring=()
member() { echo "{ \"name\": \"$1\", \"http\": \"127.0.0.1:$2\", \"resp\": \"127.0.0.1:$3\" }"; }
ring[before]="$RESULTS_DIR/fence-cost-ring.json" ring[after]="$RESULTS_DIR/fence-cost-ring.json" ring[alone]="$RESULTS_DIR/fence-cost-alone.json"
echo "{ \"cluster\": \"bench\", \"epoch\": 1, \"members\": [ $(member bench-0 "${http[after]}" "${port[after]}"), $(member bench-1 9 9), $(member bench-2 9 9) ] }" >"${ring[after]}"
echo "{ \"cluster\": \"bench\", \"epoch\": 1, \"members\": [ $(member bench-0 "${http[alone]}" "${port[alone]}") ] }" >"${ring[alone]}"
for node in "${nodes[@]}"; do
  NODE_DLL=${dll[$node]} start_node "${http[$node]}" "${port[$node]}" --max-memory 1gb --node-name bench-0 --ring-file "${ring[$node]}"
  pid[$node]=$LAST_PID
done

key= moved=0
for i in $(seq 0 99); do
  candidate=$(printf 'key:%012d' "$i")
  case $(redis-cli -p "${port[after]}" SET "$candidate" xxx) in
    OK) key=${key:-$candidate} ;;
    KVMOVED*) moved=$((moved + 1)) ;;
  esac
done
# Both must occur, or the fenced node is not judging ownership by the three-member ring.
[[ -n "$key" && $moved -gt 0 ]] || { echo "fenced node: owned key '${key}', $moved of 100 redirected; is it following ${ring[after]}?" >&2; exit 1; }

CSV="$RESULTS_DIR/fence-cost.csv"; : >"$CSV"
for round in $(seq 1 "$ROUNDS"); do
  order=("${nodes[@]}"); ((round % 2)) || order=(alone after before)
  for pipeline in 1 16; do
    for node in "${order[@]}"; do
      measure "$round" "$node" "$pipeline" SET SET "$key" xxx
      measure "$round" "$node" "$pipeline" GET GET "$key"
    done
  done
done

# One row per figure: each node's median over the rounds, then for after/before and
# after/alone the per-round ratios: min, median, max.
row() { # column label
  printf '%-3s %-4s %-10s' "$pipeline" "$op" "$2"
  for node in "${nodes[@]}"; do
    printf ' %10.2f' "$(median_of "$node" "$pipeline" "$op" "$1")"
  done
  printf '   %s   %s\n' "$(ratios before after "$pipeline" "$op" "$1")" "$(ratios alone after "$pipeline" "$op" "$1")"
}
after_name=${AFTER:-}; after_name=${after_name:0:7}; after_name=${after_name:-"$(git -C "$REPO_DIR" rev-parse --short HEAD) (+ working tree)"}
printf '\nfence cost: before %s, after and alone %s\n' "${BEFORE:0:7}" "$after_name"
printf 'redis-benchmark -n %s (x10 at -P 16) -c %s, key %s, %s interleaved rounds\n' "$REQUESTS" "$CLIENTS" "$key" "$ROUNDS"
printf '%-3s %-4s %-10s %10s %10s %10s   %-17s   %s\n' P op figure before after alone 'after/before' 'after/alone'
printf '%-54s   %-17s   %s\n' '(medians over rounds)' 'min   med   max' 'min   med   max'
for pipeline in 1 16; do
  for op in SET GET; do
    row 5 'requests/s'
    row 6 'CPU us/req'
  done
done
