#!/usr/bin/env bash
# A node's first requests, JIT-only against ReadyToRun (how the Dockerfile publishes the images),
# on a loaded machine: each round starts a fresh node of each build, in turn, while LOAD `yes`
# processes compete for the cores, and times readiness (/readyz 200 from the process start), its
# first RESP SET and GET (redis-cli), its first HTTP /put and /get (curl), and the next 8,000
# mixed requests (redis-benchmark SET, GET, INCR, MSET at 4 clients). The first client calls
# include the client process's own start, which the "later SET" column shows.
# Usage: bench/startup.sh   (env: ROUNDS=5 LOAD=8)
source "$(dirname "$0")/lib.sh"
ROUNDS=${ROUNDS:-5} LOAD=${LOAD:-8}
out="$BENCH_DIR/.builds/startup"
rm -rf "$out"
dotnet publish "$REPO_DIR/src/CacheNode" -c Release -o "$out/jit" -p:UseAppHost=false -v q -nologo >/dev/null
dotnet publish "$REPO_DIR/src/CacheNode" -c Release -o "$out/r2r" --use-current-runtime -p:PublishReadyToRun=true -p:UseAppHost=false -v q -nologo >/dev/null

ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }
timed() { local start; start=$(date +%s%N); "$@" >/dev/null; ms_since "$start"; }

# one BUILD: prints ready, SET, GET, put, get, mixed, later SET (ms) as one CSV line
one() {
  local load=() start node i line
  for ((i = 0; i < LOAD; i++)); do yes >/dev/null & load+=($!); PIDS+=($!); done
  start=$(date +%s%N)
  dotnet "$out/$1/KubeCache.CacheNode.dll" --bind 127.0.0.1 --http-port 19571 --resp-port 19579 --max-memory 64mb \
    >"$RESULTS_DIR/startup-$1.log" 2>&1 &
  node=$!; PIDS+=("$node")
  until curl -sf -o /dev/null http://127.0.0.1:19571/readyz; do
    kill -0 "$node" 2>/dev/null || { echo "the $1 node exited; see $RESULTS_DIR/startup-$1.log" >&2; exit 1; }
    sleep 0.02
  done
  line="$1,$(ms_since "$start")"
  line+=",$(timed redis-cli -p 19579 SET startup:k v),$(timed redis-cli -p 19579 GET startup:k)"
  line+=",$(timed curl -s -X POST http://127.0.0.1:19571/put -H 'Content-Type: application/json' -d '{"key":"h","value":"v"}')"
  line+=",$(timed curl -s 'http://127.0.0.1:19571/get?key=h')"
  line+=",$(timed redis-benchmark -p 19579 -n 2000 -c 4 -t set,get,incr,mset -q)"
  line+=",$(timed redis-cli -p 19579 SET startup:k2 v)"
  kill "$node" "${load[@]}"; wait "$node" "${load[@]}" 2>/dev/null || true
  echo "$line"
}

CSV="$RESULTS_DIR/startup.csv"; : >"$CSV"
for round in $(seq 1 "$ROUNDS"); do
  if ((round % 2)); then builds=(jit r2r); else builds=(r2r jit); fi
  for build in "${builds[@]}"; do one "$build" >>"$CSV"; done
done

printf '\nA fresh node under %s `yes` processes on %s cores, %s interleaved rounds; medians in ms\n' "$LOAD" "$(nproc)" "$ROUNDS"
printf '%-11s %10s %10s %10s %10s %10s %10s %10s\n' build ready SET GET 'HTTP put' 'HTTP get' '8000 mixed' 'later SET'
for build in jit r2r; do
  printf '%-11s' "$([[ $build == jit ]] && echo JIT-only || echo ReadyToRun)"
  for column in 2 3 4 5 6 7 8; do
    printf ' %10s' "$(awk -F, -v b="$build" -v c="$column" '$1 == b {print $c}' "$CSV" | median)"
  done
  echo
done
