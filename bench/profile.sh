#!/usr/bin/env bash
# Where a server spends its CPU per command, while redis-benchmark runs one workload against it:
#   1. its user and system CPU time per request (/proc/<pid>/stat);
#   2. its CPU, context switches and socket syscalls per request (perf stat on the syscall
#      tracepoints), reads that found nothing (EAGAIN) among them, in all and per thread group;
#   3. the hottest symbols by self time (perf record; the runtime's perf map and W^X off, so
#      JIT-compiled frames have names), in a second run of the same workload.
# TARGET picks the server: node (a standalone node), router (a local-mode router with three ring
# nodes; only the router process is measured) or twemproxy (nutcracker in front of three
# standalone nodes), so the router's figures can be read beside twemproxy's. Needs perf and a
# kernel that lets this user sample and trace syscalls (/proc/sys/kernel/perf_event_paranoid).
# With CLIENTS=1000 it shows what grows with connections (bench/connection-scaling.sh).
# Usage: bench/profile.sh   (env: TARGET=node PIPELINE=16 OP=get REQUESTS=3000000 CLIENTS=50 TOP=40)
source "$(dirname "$0")/lib.sh"
TARGET=${TARGET:-node} PIPELINE=${PIPELINE:-16} OP=${OP:-get} REQUESTS=${REQUESTS:-3000000} CLIENTS=${CLIENTS:-50} TOP=${TOP:-40}
command -v perf >/dev/null || { echo "perf is not installed" >&2; exit 2; }
PERF_MAP="env DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0"

raise_open_files $((2 * CLIENTS + 1024))
case "$TARGET" in
  node) NODE_ENV_PREFIX=$PERF_MAP start_node 17171 16379 --max-memory 1gb --max-connections-per-ip 0; port=16379 ;;
  router)
    ROUTER_HTTP=17270 ROUTER_RESP=16470
    source "$BENCH_DIR/router-lib.sh"
    ROUTER_ENV_PREFIX=$PERF_MAP start_local_router 3; port=$ROUTER_RESP ;;
  twemproxy)
    source "$BENCH_DIR/router-lib.sh"
    for i in 0 1 2; do start_node $((17280 + i)) $((16472 + i)) --max-memory 1gb; done
    start_twemproxy 16471 17290 16472 16473 16474; port=16471 ;;
  *) echo "TARGET is node, router or twemproxy, not '$TARGET'" >&2; exit 2 ;;
esac
server=$LAST_PID
# redis-benchmark's last line only: with -q it still redraws a progress line with carriage returns
bench() { redis-benchmark -h 127.0.0.1 -p "$port" -t "$OP" -n "$REQUESTS" -c "$CLIENTS" -P "$PIPELINE" -r 100000 -q 2>/dev/null | tr '\r' '\n' | tail -1; }
redis-benchmark -h 127.0.0.1 -p "$port" -t set -n 200000 -r 100000 -q >/dev/null   # warm-up: JIT tiers and the keys GET reads

# Socket syscalls of .NET (recvfrom/sendto, recvmsg/sendmsg for several buffers) and of
# nutcracker (read/readv/writev), epoll, futex (thread wake-ups) and sched_yield (spinning
# thread-pool workers), counted per thread; threads are grouped by name (".NET Sockets": the
# epoll threads that run the request path, ".NET TP Worker": the thread pool).
calls=(recvfrom sendto recvmsg sendmsg read write readv writev epoll_wait epoll_pwait epoll_ctl futex sched_yield)
events=(-e task-clock -e context-switches)
for call in "${calls[@]}"; do events+=(-e "syscalls:sys_enter_$call"); done
for call in recvfrom recvmsg read readv; do events+=(-e "syscalls:sys_exit_$call" --filter 'ret == -11'); done
stat="$RESULTS_DIR/profile.stat"
read -r user0 system0 < <(awk '{print $14, $15}' "/proc/$server/stat")
perf stat -x, --per-thread "${events[@]}" -p "$server" -o "$stat" &
recorder=$!
sleep 1
bench
kill -INT "$recorder"; wait "$recorder" || true
read -r user1 system1 < <(awk '{print $14, $15}' "/proc/$server/stat")
tick_us=$((1000000 / $(getconf CLK_TCK)))
printf '\n%s %s at -P %s, %s requests: CPU µs per request user %.2f, system %.2f (perf attached)\n' "$TARGET" "$OP" "$PIPELINE" "$REQUESTS" \
  "$(awk -v t=$((user1 - user0)) -v u="$tick_us" -v n="$REQUESTS" 'BEGIN {print t * u / n}')" \
  "$(awk -v t=$((system1 - system0)) -v u="$tick_us" -v n="$REQUESTS" 'BEGIN {print t * u / n}')"
printf 'per request, by thread group (CPU µs from task-clock; sys_exit_*: calls that returned EAGAIN)\n'
awk -F, -v n="$REQUESTS" '
  $2 ~ /^[0-9.]+$/ && $4 != "" {
    group = $1; sub(/-[0-9]+$/, "", group); event = $4; sub(/^syscalls:(sys_enter_)?/, "", event)
    v[group, event] += $2; total[event] += $2; groups[group] = 1; if (!(event in seen)) {seen[event] = 1; order[++k] = event}
  }
  END {
    printf "  %-16s", "event"; printf " %10s", "all"
    for (g in groups) if (v[g, "task-clock"] >= 0.01 * total["task-clock"]) {shown[++m] = g; printf " %16.16s", g}
    printf "\n"
    for (i = 1; i <= k; i++) {
      e = order[i]; if (total[e] == 0) continue
      scale = e == "task-clock" ? 1000 / n : 1 / n   # task-clock is in ms
      printf "  %-16s %10.3f", e, total[e] * scale
      for (j = 1; j <= m; j++) printf " %16.3f", v[shown[j], e] * scale
      printf "\n"
    }
  }' "$stat"

data="$RESULTS_DIR/profile.perf.data"
perf record -F 999 -g -o "$data" -p "$server" 2>"$RESULTS_DIR/profile.perf.log" &
recorder=$!
sleep 1
bench >/dev/null
kill -INT "$recorder"; wait "$recorder" || true
printf '\n%s %s at -P %s: self time by binary ([JIT]: compiled .NET code)\n' "$TARGET" "$OP" "$PIPELINE"
perf report -i "$data" --no-children --sort dso -g none --stdio 2>/dev/null | grep -E '^ +[0-9]' \
  | awk '{d = $2 ~ /^\[JIT\]/ ? "[JIT]" : $2; p[d] += $1} END {for (d in p) printf "  %6.2f%%  %s\n", p[d], d}' | sort -rn | head -8
printf '\n%s %s at -P %s: hottest symbols, self time\n' "$TARGET" "$OP" "$PIPELINE"
perf report -i "$data" --no-children --sort dso,symbol -g none --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -"$TOP"
