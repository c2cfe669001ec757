#!/usr/bin/env bash
# Memory per key, side by side: load exactly KEYS distinct keys (16-byte keys, 64-byte values)
# into the KubeCache node and redis-server with redis-cli --pipe, then print resident bytes
# per key: the growth of RSS over the empty server, and the whole RSS.
# Usage: bench/memory.sh   (env: KEYS=1000000)
source "$(dirname "$0")/lib.sh"
KEYS=${KEYS:-1000000}

load="$RESULTS_DIR/memory-load.resp"
awk -v n="$KEYS" 'BEGIN {
  v = sprintf("%064d", 0); gsub(/0/, "v", v)
  for (i = 0; i < n; i++) { k = sprintf("key:%012d", i); printf "*3\r\n$3\r\nSET\r\n$16\r\n%s\r\n$64\r\n%s\r\n", k, v }
}' >"$load"

measure() { # name pid port
  local name=$1 pid=$2 port=$3 before after
  sleep 2; before=$(rss_bytes "$pid")
  redis-cli -h 127.0.0.1 -p "$port" --pipe <"$load" >"$RESULTS_DIR/memory-$name.log"
  local keys; keys=$(redis-cli -h 127.0.0.1 -p "$port" dbsize)
  sleep 5; after=$(rss_bytes "$pid")
  awk -v n="$name" -v k="$keys" -v b="$before" -v a="$after" \
    'BEGIN { printf "%-10s %9d %12.1f %12.1f %14.1f\n", n, k, b/1048576, a/1048576, (a-b)/k; printf "%-10s %9s %12s %12s %14.1f (whole RSS / keys)\n", "", "", "", "", a/k }'
}

printf '%-10s %9s %12s %12s %14s\n' server keys "RSS empty MB" "RSS full MB" "bytes/key"
start_node 17171 16379 --max-memory 4gb
measure kubecache "$LAST_PID" 16379
start_redis 16380
measure redis "$LAST_PID" 16380
