# Shared helpers for the benchmark scripts: build and start servers on loopback, wait for
# them, read their resident memory, and stop everything on exit. Source it; don't run it.
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(dirname "$BENCH_DIR")"
RESULTS_DIR="$BENCH_DIR/results"
mkdir -p "$RESULTS_DIR"
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true' EXIT

"$REPO_DIR/scripts/install-tools.sh" bench

node_dll() {
  local dll="${NODE_DLL:-$REPO_DIR/src/CacheNode/bin/Release/net10.0/KubeCache.CacheNode.dll}"  # NODE_DLL compares another build
  if [[ ! -f "$dll" || -n "${REBUILD:-}" ]]; then
    dotnet build -c Release "$REPO_DIR/src/CacheNode" -v q -nologo >/dev/null
  fi
  echo "$dll"
}

wait_port() { # port [seconds]
  local deadline=$((SECONDS + ${2:-30}))
  until (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
    ((SECONDS < deadline)) || { echo "port $1 did not open" >&2; return 1; }
    sleep 0.2
  done
}

# start_node HTTP_PORT RESP_PORT [extra flags...]; sets LAST_PID
start_node() {
  local http=$1 resp=$2; shift 2
  ${NODE_ENV_PREFIX:-} dotnet "$(node_dll)" --bind 127.0.0.1 --http-port "$http" --resp-port "$resp" "$@" >"$RESULTS_DIR/node-$http.log" 2>&1 &
  LAST_PID=$!; PIDS+=("$LAST_PID")
  wait_port "$http"; wait_port "$resp"
}

# start_redis PORT [extra flags...]; persistence off, as a cache runs
start_redis() {
  local port=$1; shift
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no "$@" >"$RESULTS_DIR/redis-$port.log" 2>&1 &
  LAST_PID=$!; PIDS+=("$LAST_PID")
  wait_port "$port"
}

# Garnet, the C# Redis-protocol server we compare against, comes as a .NET tool; it is installed
# into bench/.tools when missing (set NO_GARNET=1 to skip it).
garnet_bin() {
  [[ -n "${NO_GARNET:-}" ]] && return 0
  local tool="$BENCH_DIR/.tools/garnet-server"
  if [[ ! -x "$tool" ]]; then
    dotnet tool install --tool-path "$BENCH_DIR/.tools" garnet-server >/dev/null 2>&1 || return 0
  fi
  echo "$tool"
}

# start_garnet PORT; only when garnet-server is installed (dotnet tool install garnet-server)
start_garnet() {
  local port=$1 bin; bin="$(garnet_bin)"
  "$bin" --port "$port" --bind 127.0.0.1 >"$RESULTS_DIR/garnet-$port.log" 2>&1 &
  LAST_PID=$!; PIDS+=("$LAST_PID")
  wait_port "$port" 60
}

rss_bytes() { awk '/^VmRSS:/ {print $2 * 1024}' "/proc/$1/status"; }

median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
