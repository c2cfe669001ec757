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

# The node as of a commit, built once from an exported tree into bench/.builds/<commit>.
commit_dll() {
  local out="$BENCH_DIR/.builds/$1" src
  if [[ ! -f "$out/KubeCache.CacheNode.dll" ]]; then
    src=$(mktemp -d)
    git -C "$REPO_DIR" archive "$1" | tar -x -C "$src"
    dotnet build -c Release "$src/src/CacheNode" -o "$out" -v q -nologo >/dev/null
    rm -rf "$src"
  fi
  echo "$out/KubeCache.CacheNode.dll"
}

if [[ -n "${AFTER:-}" ]]; then
  AFTER=$(git -C "$REPO_DIR" rev-parse "$AFTER") after_dll=$(commit_dll "$AFTER")
else
  after_dll=$(REBUILD=1 node_dll)
fi
nodes=(before after alone)
declare -A dll=([before]="$(commit_dll "$BEFORE")" [after]="$after_dll" [alone]="$after_dll")
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

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # user + system, in 1/CLK_TCK s
tick_us=$((1000000 / $(getconf CLK_TCK)))

raw="$RESULTS_DIR/fence-cost.csv"; : >"$raw"   # round,node,P,op,rps,cpu_us_per_request
bench_once() { # node pipeline op args...
  local node=$1 pipeline=$2 op=$3; shift 3
  local n=$((pipeline == 1 ? REQUESTS : REQUESTS * 10)) ticks rps
  ticks=$(cpu_ticks "${pid[$node]}")
  rps=$(redis-benchmark -h 127.0.0.1 -p "${port[$node]}" -n "$n" -c "$CLIENTS" -P "$pipeline" -q --csv "$@" \
    | tr -d '"' | awk -F, '$1!="test" {print $2}')
  ticks=$(($(cpu_ticks "${pid[$node]}") - ticks))
  echo "$round,$node,$pipeline,$op,$rps,$(awk -v t="$ticks" -v u="$tick_us" -v n="$n" 'BEGIN{print t * u / n}')" >>"$raw"
}
for round in $(seq 1 "$ROUNDS"); do
  order=("${nodes[@]}"); ((round % 2)) || order=(alone after before)
  for pipeline in 1 16; do
    for node in "${order[@]}"; do
      bench_once "$node" "$pipeline" SET SET "$key" xxx
      bench_once "$node" "$pipeline" GET GET "$key"
    done
  done
done

# One row per figure: each node's median over the rounds, then for after/before and
# after/alone the per-round ratios (nodes of one round ran back to back): min, median, max.
row() { # column label
  printf '%-3s %-4s %-10s' "$pipeline" "$op" "$2"
  for node in "${nodes[@]}"; do
    printf ' %10.2f' "$(awk -F, -v p="$pipeline" -v o="$op" -v n="$node" -v c="$1" '$3==p && $4==o && $2==n {print $c}' "$raw" | median)"
  done
  for base in before alone; do
    awk -F, -v p="$pipeline" -v o="$op" -v b="$base" -v c="$1" '$3==p && $4==o {v[$1","$2]=$c; r[$1]=1}
      END {for (k in r) print v[k",after"] / v[k","b]}' "$raw" | sort -g >"$raw.ratios"
    printf '   %5.3f %5.3f %5.3f' "$(head -1 "$raw.ratios")" "$(median <"$raw.ratios")" "$(tail -1 "$raw.ratios")"
  done
  echo
  rm -f "$raw.ratios"
}
after_name=${AFTER:0:7}; after_name=${after_name:-"$(git -C "$REPO_DIR" rev-parse --short HEAD) (+ working tree)"}
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
