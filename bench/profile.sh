#!/usr/bin/env bash
# Where the node spends its CPU per command: perf samples the node (with the runtime's perf map
# and W^X off, so JIT-compiled frames have names) while redis-benchmark runs one workload, then prints the
# hottest symbols by self time. Needs perf and a kernel that lets this user sample (see
# /proc/sys/kernel/perf_event_paranoid).
# With CLIENTS=1000 it shows what grows with connections (bench/connection-scaling.sh).
# Usage: bench/profile.sh   (env: PIPELINE=16 OP=get REQUESTS=3000000 CLIENTS=50 TOP=40)
source "$(dirname "$0")/lib.sh"
PIPELINE=${PIPELINE:-16} OP=${OP:-get} REQUESTS=${REQUESTS:-3000000} CLIENTS=${CLIENTS:-50} TOP=${TOP:-40}
command -v perf >/dev/null || { echo "perf is not installed" >&2; exit 2; }

raise_open_files $((2 * CLIENTS + 1024))
NODE_ENV_PREFIX="env DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0" start_node 17171 16379 --max-memory 1gb --max-connections-per-ip 0; node=$LAST_PID
redis-benchmark -h 127.0.0.1 -p 16379 -t set -n 200000 -r 100000 -q >/dev/null   # warm-up: JIT tiers and the keys GET reads
data="$RESULTS_DIR/profile.perf.data"
perf record -F 999 -g -o "$data" -p "$node" 2>"$RESULTS_DIR/profile.perf.log" &
recorder=$!
sleep 1
redis-benchmark -h 127.0.0.1 -p 16379 -t "$OP" -n "$REQUESTS" -c "$CLIENTS" -P "$PIPELINE" -r 100000 -q
kill -INT "$recorder"; wait "$recorder" || true
printf '\n%s at -P %s: hottest symbols, self time\n' "$OP" "$PIPELINE"
perf report -i "$data" --no-children --sort dso,symbol -g none --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -"$TOP"
