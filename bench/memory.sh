#!/usr/bin/env bash
# Memory per key and whether cost stays flat as the key count grows, side by side: for each
# count in SIZES, load exactly that many distinct keys (16-byte keys, 64-byte values) into a
# fresh KubeCache node and a fresh redis-server with redis-cli --pipe, then print resident bytes
# per key (the growth of RSS over the empty server warmed up, over the empty server as it
# started, and the whole RSS) and GET hits over the
# whole key space at -P 1 and -P 16 (requests/s and the server's CPU µs per request), then
# the ratios of the largest count to the smallest, and the node's growth split into its store's
# structures (as INFO memory reports them) and the rest.
# Usage: bench/memory.sh   (env: SIZES="1000000 10000000" REQUESTS=200000 (at -P 16: x10) CLIENTS=50)
source "$(dirname "$0")/lib.sh"
SIZES=${SIZES:-"1000000 10000000"} REQUESTS=${REQUESTS:-200000} CLIENTS=${CLIENTS:-50}
read -ra sizes <<<"$SIZES"
declare -A port=([kubecache]=16379 [redis]=16380) pid=()
CSV="$RESULTS_DIR/memory-get.csv"; : >"$CSV"
table="$RESULTS_DIR/memory.txt"; : >"$table"

# Keys are "key:" and 12 digits: the names redis-benchmark -r gives, so its GETs all hit.
write_load() { # keys file
  awk -v n="$1" 'BEGIN {
    v = sprintf("%064d", 0); gsub(/0/, "v", v)
    for (i = 0; i < n; i++) { k = sprintf("key:%012d", i); printf "*3\r\n$3\r\nSET\r\n$16\r\n%s\r\n$64\r\n%s\r\n", k, v }
  }' >"$2"
}

# Warms an empty server up with the commands the load and the GETs use, on one key deleted
# after, so that what is compiled, pooled and tuned once per process (the JIT's code and profile
# data, buffer pools) is in the empty server's RSS and the growth is what the keys cost.
warm_up() { # server
  local server=$1
  for pipeline in 1 16; do
    redis-benchmark -h 127.0.0.1 -p "${port[$server]}" -n 200000 -c "$CLIENTS" -P "$pipeline" -r 1 -d 64 -t set,get -q >/dev/null
  done
  redis-cli -h 127.0.0.1 -p "${port[$server]}" del key:000000000000 >/dev/null
}

load_and_measure() { # server keys loadfile
  local server=$1 keys=$2 load=$3 cold before after stored
  sleep 2; cold=$(rss_bytes "${pid[$server]}")
  warm_up "$server"
  sleep 2; before=$(rss_bytes "${pid[$server]}")
  redis-cli -h 127.0.0.1 -p "${port[$server]}" --pipe <"$load" >"$RESULTS_DIR/memory-$server.log"
  stored=$(redis-cli -h 127.0.0.1 -p "${port[$server]}" dbsize)
  [[ $stored == "$keys" ]] || { echo "$server holds $stored keys, not $keys; see $RESULTS_DIR" >&2; exit 1; }
  sleep 5; after=$(rss_bytes "${pid[$server]}")
  redis-cli -h 127.0.0.1 -p "${port[$server]}" info memory | tr -d '\r' >"$RESULTS_DIR/memory-info-$server-$keys.txt"
  measure "$keys" "$server" 1 GET -t get -r "$keys"
  measure "$keys" "$server" 16 GET -t get -r "$keys"
  echo "$server $keys $before $after $(tail -2 "$CSV" | cut -d, -f5,6 | tr ',\n' '  ') $cold" >>"$table"
}

stop() { kill "$1"; wait "$1" 2>/dev/null || true; }

for keys in "${sizes[@]}"; do
  load="$RESULTS_DIR/memory-load.resp"; write_load "$keys" "$load"
  start_node 17171 16379 --max-memory $((keys * 200)); pid[kubecache]=$LAST_PID
  load_and_measure kubecache "$keys" "$load"; stop "${pid[kubecache]}"
  start_redis 16380; pid[redis]=$LAST_PID
  load_and_measure redis "$keys" "$load"; stop "${pid[redis]}"
  rm -f "$load"
done

printf '\n16-byte keys, 64-byte values; GET: redis-benchmark -t get -r <keys> -n %s (x10 at -P 16) -c %s\n' "$REQUESTS" "$CLIENTS"
sort -k1,1 -k2,2n "$table" | awk '
  BEGIN { printf "%-10s %9s %8s %8s %8s %7s %7s %7s %9s %6s %9s %6s\n", "server", "keys", "cold MB", "RSS0 MB", "RSS MB", "B/key", "cold", "RSS/key", "P1 GET/s", "us/req", "P16 GET/s", "us/req" }
  { printf "%-10s %9d %8.1f %8.1f %8.1f %7.1f %7.1f %7.1f %9.0f %6.2f %9.0f %6.2f\n", $1, $2, $9/1048576, $3/1048576, $4/1048576, ($4-$3)/$2, ($4-$9)/$2, $4/$2, $5, $6, $7, $8
    if (!($1 in first)) first[$1] = $0; last[$1] = $0 }
  END { print "\nlargest / smallest count:  B/key  P1 GET/s  P1 us/req  P16 GET/s  P16 us/req"
    for (s in first) { split(first[s], a, " "); split(last[s], b, " ")
      printf "%-10s %17.2f %9.2f %10.2f %10.2f %11.2f\n", s, (b[4]-b[3])/b[2] / ((a[4]-a[3])/a[2]), b[5]/a[5], b[6]/a[6], b[7]/a[7], b[8]/a[8] } }'
# Where the node's growth goes, per key: the store's own structures (record pages, then slots and
# buckets), and the rest (the GC's free space and part-filled regions, other objects such as
# connection buffers, JIT code and its data, the runtime). The rest is a cost per process, not
# per key, so it is smaller per key at the larger count.
printf '\nthe node'"'"'s growth by where it goes (INFO memory after the load), bytes per key\n%-9s %7s %7s %7s %7s %7s\n' \
  keys pages index store rest growth
for keys in "${sizes[@]}"; do
  awk -F'[: ]' -v k="$keys" 'FNR == NR { v[$1] = $2; next }
    $1 == "kubecache" && $2 == k { growth = $4 - $3 }
    END { store = v["kubecache_page_bytes"] + v["kubecache_index_bytes"]
      printf "%-9d %7.1f %7.1f %7.1f %7.1f %7.1f\n", k, v["kubecache_page_bytes"] / k, v["kubecache_index_bytes"] / k,
        store / k, (growth - store) / k, growth / k }' "$RESULTS_DIR/memory-info-kubecache-$keys.txt" "$table"
done
