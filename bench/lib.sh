# Shared helpers for the benchmark scripts: build and start servers on loopback, wait for
# them, read their resident memory, and stop everything on exit. Source it; don't run it.
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(dirname "$BENCH_DIR")"
RESULTS_DIR="$BENCH_DIR/results"
export WRK_DIR="$BENCH_DIR/wrk"   # where bench/wrk/*.lua find common.lua
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

# commit_dll COMMIT PROJECT: src/PROJECT as of COMMIT, built once from an exported tree into
# bench/.builds/COMMIT/PROJECT; prints the path of its KubeCache.PROJECT.dll.
commit_dll() {
  local out="$BENCH_DIR/.builds/$1/$2" src
  if [[ ! -f "$out/KubeCache.$2.dll" ]]; then
    src=$(mktemp -d)
    git -C "$REPO_DIR" archive "$1" | tar -x -C "$src"
    dotnet build -c Release "$src/src/$2" -o "$out" -v q -nologo >/dev/null
    rm -rf "$src"
  fi
  echo "$out/KubeCache.$2.dll"
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

# cpu_ticks "PID [PID...]": user + system of the processes (one word list: nginx's workers), in 1/CLK_TCK s
cpu_ticks() { local p t=0; for p in $*; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo "$t"; }

# Interleaved comparisons: each round runs redis-benchmark against every target, back to back,
# and records two figures per run: throughput, and the target process's CPU time per request
# (user + system from /proc/<pid>/stat), which other processes on a shared machine disturb far
# less. Set CSV, REQUESTS and CLIENTS, and the associative arrays port[] and pid[] per target.
# measure ROUND TARGET PIPELINE OP args...: appends round,target,P,op,rps,cpu_us_per_request to CSV
measure() {
  local round=$1 target=$2 pipeline=$3 op=$4; shift 4
  local n=$((pipeline == 1 ? REQUESTS : REQUESTS * 10)) ticks rps tick_us=$((1000000 / $(getconf CLK_TCK)))
  ticks=$(cpu_ticks "${pid[$target]}")
  rps=$(redis-benchmark -h 127.0.0.1 -p "${port[$target]}" -n "$n" -c "$CLIENTS" -P "$pipeline" -q --csv "$@" \
    | tr -d '"' | awk -F, '$1!="test" {print $2}')
  ticks=$(($(cpu_ticks "${pid[$target]}") - ticks))
  echo "$round,$target,$pipeline,$op,$rps,$(awk -v t="$ticks" -v u="$tick_us" -v n="$n" 'BEGIN{print t * u / n}')" >>"$CSV"
}

# measure_set_get ROUND TARGET...: at -P 1 and then -P 16, one SET and one GET run (measure)
# against each TARGET in the order given; the interleaved rounds of the RESP comparisons. Keys
# are drawn from KEYSPACE (default 100000), values are VALUE bytes (redis-benchmark's 3).
measure_set_get() {
  local round=$1 pipeline target; shift
  for pipeline in 1 16; do
    for target in "$@"; do
      measure "$round" "$target" "$pipeline" SET -t set -r "${KEYSPACE:-100000}" -d "${VALUE:-3}"
      measure "$round" "$target" "$pipeline" GET -t get -r "${KEYSPACE:-100000}" -d "${VALUE:-3}"
    done
  done
}

# median_of TARGET PIPELINE OP COLUMN: the target's median over the rounds (column 5 rps, 6 CPU)
median_of() { awk -F, -v p="$2" -v o="$3" -v n="$1" -v c="$4" '$3==p && $4==o && $2==n {print $c}' "$CSV" | median; }

# ratios A B PIPELINE OP COLUMN: per-round B/A (targets of one round ran back to back), as "min med max"
ratios() {
  awk -F, -v p="$3" -v o="$4" -v a="$1" -v b="$2" -v c="$5" '$3==p && $4==o {v[$1","$2]=$c; r[$1]=1}
    END {for (k in r) print v[k","b] / v[k","a]}' "$CSV" | sort -g >"$CSV.ratios"
  printf '%5.3f %5.3f %5.3f' "$(head -1 "$CSV.ratios")" "$(median <"$CSV.ratios")" "$(tail -1 "$CSV.ratios")"
  rm -f "$CSV.ratios"
}

# wrk_measure ROUND TARGET LABEL OP URL SCRIPT [wrk flags...]: one wrk run of DURATION with
# bench/wrk/SCRIPT.lua against the target (its processes in pid[TARGET]); appends
# round,target,label,op,rps,cpu_us_per_request,p50_us to CSV in the layout of measure, so
# median_of and ratios read both. Errors wrk reports (non-2xx, socket errors) go to CSV.errors.
wrk_measure() {
  local round=$1 target=$2 label=$3 op=$4 url=$5 script=$6; shift 6
  local ticks out requests tick_us=$((1000000 / $(getconf CLK_TCK)))
  ticks=$(cpu_ticks "${pid[$target]}")
  out=$(wrk -d"$DURATION" --latency -s "$WRK_DIR/$script.lua" "$@" "$url")
  ticks=$(($(cpu_ticks "${pid[$target]}") - ticks))
  requests=$(awk '/ requests in / {print $1}' <<<"$out")
  awk -v t="$target $label $op" '/Non-2xx|Socket errors/ {print t": "$0}' <<<"$out" >>"$CSV.errors"
  awk -v prefix="$round,$target,$label,$op" -v n="$requests" -v t="$ticks" -v u="$tick_us" '
    /^Requests\/sec:/ {rps = $2}
    $1 == "50%" {v = $2; scale = v ~ /us$/ ? 1 : v ~ /ms$/ ? 1000 : 1000000; gsub(/[a-z]+$/, "", v); p50 = v * scale}
    END {print prefix "," rps "," t * u / n "," p50}' <<<"$out" >>"$CSV"
}

# raise_open_files N: lets this script and the servers it starts hold N descriptors (1,000
# client connections need as many on each side), or stops with what to change.
raise_open_files() {
  (($(ulimit -n) >= $1)) && return 0
  ulimit -n "$1" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
  (($(ulimit -n) >= $1)) || { echo "ulimit -n is $(ulimit -n) (hard limit $(ulimit -Hn)); $1 are needed: raise the hard limit" >&2; exit 1; }
}

# preload URL: writes every key of the wrk profile once (bench/wrk/preload.lua), so GET runs
# measure hits of the profile's size.
preload() { wrk -t1 -c8 -d60s -s "$WRK_DIR/preload.lua" "$1" >/dev/null; }

# nginx_bodies NODE_HTTP NODE_RESP: sets NGINX_GET_BODY and NGINX_PUT_BODY, the bodies nginx
# answers, measured on the node: GET replies of keys the preload wrote (a filler value brings
# one to their mean length) and the PUT reply.
nginx_bodies() {
  local url=http://127.0.0.1:$1 lengths key prefix filler
  lengths=$(for _ in $(seq 1 50); do curl -s "$url/get?key=$(redis-cli -p "$2" RANDOMKEY)" | wc -c; done)
  key=$(redis-cli -p "$2" RANDOMKEY)
  prefix="{\"status\":\"OK\",\"key\":\"$key\",\"value\":\""
  filler=$(awk -v p="${#prefix}" '{s += $1} END {printf "%d", s / NR - p - 2 + 0.5}' <<<"$lengths")
  NGINX_GET_BODY="$prefix$(head -c "$filler" /dev/zero | tr '\0' x)\"}"
  NGINX_PUT_BODY=$(curl -s -X POST -d '{"key":"bench-put-reply","value":"x"}' "$url/put")
}

# start_nginx PORT: nginx answering GET /get with NGINX_GET_BODY and POST /put with
# NGINX_PUT_BODY, as a production one would run: one worker per core, access log off. Sets
# LAST_PID to its workers' pids (one word list: the processes that serve).
start_nginx() {
  local port=$1 dir="$RESULTS_DIR/nginx-$1" master deadline
  mkdir -p "$dir"
  cat >"$dir/nginx.conf" <<EOF
worker_processes $(nproc);
pid $dir/nginx.pid;
daemon off;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  # Kestrel keeps a connection for any number of requests; nginx's default closes it after 1,000.
  keepalive_requests 1000000000;
  server {
    listen 127.0.0.1:$port;
    default_type application/json;
    location = /get { return 200 '$NGINX_GET_BODY'; }
    location = /put { client_body_buffer_size 16k; return 200 '$NGINX_PUT_BODY'; }
  }
}
EOF
  /usr/sbin/nginx -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" &
  master=$!; PIDS+=("$master")
  wait_port "$port"
  deadline=$((SECONDS + 10))
  until LAST_PID=$(cat "/proc/$master/task/$master/children") && (($(wc -w <<<"$LAST_PID") == $(nproc))); do
    ((SECONDS < deadline)) || { echo "nginx did not start its workers; see $dir/error.log" >&2; exit 1; }
    sleep 0.2
  done
  [[ $(curl -s "http://127.0.0.1:$port/get") == "$NGINX_GET_BODY" && $(curl -s -d x "http://127.0.0.1:$port/put") == "$NGINX_PUT_BODY" ]] \
    || { echo "nginx does not answer the bodies it was given; see $dir" >&2; exit 1; }
}
