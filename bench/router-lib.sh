# Local-mode router helpers for the router benchmarks; source after lib.sh.

router_dll() {
  # ROUTER_DLL picks another build of the local-mode launcher (KubeCache.Local.dll), e.g. to compare two versions.
  local dll="${ROUTER_DLL:-$REPO_DIR/src/Local/bin/Release/net10.0/KubeCache.Local.dll}"
  if [[ ! -f "$dll" || -n "${REBUILD:-}" ]]; then
    dotnet build -c Release "$REPO_DIR/src/Local" -v q -nologo >/dev/null
  fi
  echo "$dll"
}

# start_local_router NODES [extra flags...]; the router kills its nodes when it stops; ROUTER_ENV_PREFIX
# (e.g. "env NAME=value") sets its environment
start_local_router() {
  local nodes=$1; shift
  ${ROUTER_ENV_PREFIX:-} dotnet "$(router_dll)" --local-nodes "$nodes" --bind 127.0.0.1 --http-port "$ROUTER_HTTP" --resp-port "$ROUTER_RESP" "$@" \
    >"$RESULTS_DIR/router-$ROUTER_HTTP.log" 2>&1 &
  LAST_PID=$!; PIDS+=("$LAST_PID")
  local deadline=$((SECONDS + 90))
  until curl -sf "http://127.0.0.1:$ROUTER_HTTP/readyz" >/dev/null; do
    ((SECONDS < deadline)) || { echo "the router did not become ready; see $RESULTS_DIR/router-$ROUTER_HTTP.log" >&2; return 1; }
    sleep 0.2
  done
}

# admin METHOD PATH: prints the status and the time taken
admin() {
  local status
  status=$(curl -s -o /dev/null -w '%{http_code}' -X "$1" "http://127.0.0.1:$ROUTER_HTTP$2")
  printf '%s %s -> %s\n' "$1" "$2" "$status"
}

# start_twemproxy PORT STATS_PORT NODE_RESP_PORT...: nutcracker (redis: true, fnv1a_64/ketama,
# server_connections: 1, no auto eject) in front of the given nodes, which must be standalone:
# nodes in a ring refuse the keys they do not own, and twemproxy hashes keys its own way.
# Sets LAST_PID.
start_twemproxy() {
  local port=$1 stats=$2 conf="$RESULTS_DIR/twemproxy-$1.yml" i=0 node; shift 2
  printf 'kubecache:\n  listen: 127.0.0.1:%s\n  redis: true\n  hash: fnv1a_64\n  distribution: ketama\n  server_connections: 1\n  auto_eject_hosts: false\n  servers:\n' \
    "$port" >"$conf"
  for node in "$@"; do
    printf '    - 127.0.0.1:%s:1 node-%s\n' "$node" $((i++)) >>"$conf"
  done
  nutcracker --test-conf --conf-file "$conf" >/dev/null 2>&1 || { echo "nutcracker rejects $conf" >&2; exit 1; }
  nutcracker --conf-file "$conf" --stats-addr 127.0.0.1 --stats-port "$stats" --output "$RESULTS_DIR/twemproxy-$port.log" &
  LAST_PID=$!; PIDS+=("$LAST_PID")
  wait_port "$port"
}
