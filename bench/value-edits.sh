#!/usr/bin/env bash
# Commands that change part of a large value, side by side: redis-benchmark against the KubeCache
# node, redis-server and (when installed) garnet-server, in interleaved rounds (the order
# reverses every round). A node keeps a hash past 8 KiB in segments, and a string that these
# writes make longer than 8 KiB in chunks, so a write copies one segment or chunk and the array
# of references to them; this shows what that costs beside Redis's structures. Workloads:
#   HSET    -t hset -r 100000: each request sets a random field of one hash, which grows from
#           empty to about REQUESTS fields of 20 + 3 bytes (deleted before each run);
#   SETBIT  SETBIT of one bit of a BITMAP_BYTES bitmap (made before each run);
#   APPEND  APPEND of 40 bytes to one string, which grows from empty to REQUESTS x 40 bytes;
#   HGET    HGET of a random field (about a fifth of them present) of the hash HSET grew;
#   HGET+W  the same while 5 more clients HSET random fields of it (a new version of the hash
#           every write; its CPU column counts the writes too);
#   HINCRBY HINCRBY by 1 of a random field of one hash of COUNTER_FIELDS fields (made before each
#           run, f:<12 digits> as __rand_int__ names them, all "0"): counters in one hash, where
#           every write changes a field that exists and the hash does not grow.
#   HINCRBY-L the same on a hash of LARGE_FIELDS fields (about 7 MB at 300,000; the nodes take
#           values up to 16 MiB here): what a write costs when the hash has thousands of segments.
#   HSET-W  HSET of the same WIDE_FIELDS fields (10,000) in one command, WIDE_REQUESTS (200) times
#           from 5 clients (the first adds them, the rest change them all): what one command of
#           many fields costs, as a client library's HSET of a mapping sends it.
# With A=<commit>, a node built from A runs too ("base"). Prints medians of requests/s and CPU
# µs per request, and per-round ratios kubecache/peer.
# ONLY=hash runs the six hash workloads alone.
# Usage: bench/value-edits.sh   (env: ROUNDS=3 REQUESTS=20000 CLIENTS=50 BITMAP_BYTES=1048576 COUNTER_FIELDS=20000
#        LARGE_FIELDS=300000 WIDE_FIELDS=10000 WIDE_REQUESTS=200 A=<commit> ONLY=hash)
source "$(dirname "$0")/lib.sh"
ROUNDS=${ROUNDS:-3} REQUESTS=${REQUESTS:-20000} CLIENTS=${CLIENTS:-50} BITMAP_BYTES=${BITMAP_BYTES:-1048576}
COUNTER_FIELDS=${COUNTER_FIELDS:-20000} LARGE_FIELDS=${LARGE_FIELDS:-300000}
WIDE_FIELDS=${WIDE_FIELDS:-10000} WIDE_REQUESTS=${WIDE_REQUESTS:-200}
wide_pairs=(); for ((i = 0; i < WIDE_FIELDS; i++)); do wide_pairs+=("w:$i" "$i"); done

# fill_counters PORT [KEY FIELDS]: the hash KEY (counters), exactly FIELDS (COUNTER_FIELDS) fields f:000000000000... = 0,
# named as redis-benchmark's __rand_int__ (12 digits, zero-padded) names them, so that every
# HINCRBY of the run hits a field that exists. Sent as RESP through redis-cli --pipe (which
# fails on any error reply) in HSETs of 1000 fields each: a server that copies the hash on every
# write copies it FIELDS/1000 times while filling, not FIELDS times.
fill_counters() {
  local key=${2:-counters} count=${3:-$COUNTER_FIELDS} fields
  redis-cli -p "$1" DEL "$key" >/dev/null
  seq 0 $((count - 1)) | awk -v n="$count" -v batch=1000 -v key="$key" '
    NR % batch == 1 {k = n - NR + 1 < batch ? n - NR + 1 : batch; printf "*%d\r\n$4\r\nHSET\r\n$%d\r\n%s\r\n", 2 + 2 * k, length(key), key}
    {f = sprintf("f:%012d", $1); printf "$%d\r\n%s\r\n$1\r\n0\r\n", length(f), f}' \
    | redis-cli -p "$1" --pipe >/dev/null
  fields=$(redis-cli -p "$1" HLEN "$key")
  ((fields == count)) || { echo "$key on port $1 has $fields fields, not $count" >&2; exit 1; }
}

declare -A port=([kubecache]=16379 [redis]=16380) pid=()
start_node 17171 16379 --max-memory 1gb --max-value-bytes 16mb; pid[kubecache]=$LAST_PID
start_redis 16380; pid[redis]=$LAST_PID
servers=(kubecache redis)
if [[ -n "${A:-}" ]]; then
  A=$(git -C "$REPO_DIR" rev-parse "$A")
  NODE_DLL=$(commit_dll "$A" CacheNode) start_node 17173 16382 --max-memory 1gb --max-value-bytes 16mb; port[base]=16382; pid[base]=$LAST_PID
  servers+=(base)
fi
if [[ -n "$(garnet_bin)" ]]; then start_garnet 16381; port[garnet]=16381; pid[garnet]=$LAST_PID; servers+=(garnet); fi

CSV="$RESULTS_DIR/value-edits.csv"; : >"$CSV"
last_bit=$((BITMAP_BYTES * 8 - 1))
for round in $(seq 1 "$ROUNDS"); do
  order=("${servers[@]}"); ((round % 2)) || mapfile -t order < <(printf '%s\n' "${servers[@]}" | tac)
  for s in "${order[@]}"; do
    redis-cli -p "${port[$s]}" DEL myhash >/dev/null
    measure "$round" "$s" 1 HSET -t hset -r 100000
    measure "$round" "$s" 1 HGET -r 100000 HGET myhash element:__rand_int__
    redis-benchmark -h 127.0.0.1 -p "${port[$s]}" -n 100000000 -c 5 -r 100000 -q HSET myhash element:__rand_int__ x >/dev/null 2>&1 &
    writer=$!
    measure "$round" "$s" 1 HGET+W -r 100000 HGET myhash element:__rand_int__
    kill "$writer"; wait "$writer" 2>/dev/null || true
    fill_counters "${port[$s]}"
    measure "$round" "$s" 1 HINCRBY -r "$COUNTER_FIELDS" HINCRBY counters f:__rand_int__ 1
    fill_counters "${port[$s]}" bigcounters "$LARGE_FIELDS"
    measure "$round" "$s" 1 HINCRBY-L -r "$LARGE_FIELDS" HINCRBY bigcounters f:__rand_int__ 1
    redis-cli -p "${port[$s]}" DEL bigcounters wide >/dev/null
    REQUESTS=$WIDE_REQUESTS CLIENTS=5 measure "$round" "$s" 1 HSET-W HSET wide "${wide_pairs[@]}"
    redis-cli -p "${port[$s]}" DEL wide >/dev/null
    [[ "${ONLY:-}" == hash ]] && continue
    redis-cli -p "${port[$s]}" DEL bitmap >/dev/null
    redis-cli -p "${port[$s]}" SETBIT bitmap "$last_bit" 0 >/dev/null
    measure "$round" "$s" 1 SETBIT SETBIT bitmap 12345 1
    redis-cli -p "${port[$s]}" DEL log >/dev/null
    measure "$round" "$s" 1 APPEND APPEND log 0123456789012345678901234567890123456789
  done
done

printf '\nredis-benchmark -n %s -c %s: HSET -r 100000 (one hash, growing), HGET of it, HGET of it with 5 clients writing (HGET+W), HINCRBY of a random field of a %s-field hash and of a %s-field one (HINCRBY-L), HSET of %s fields in one command (HSET-W, %s requests from 5 clients), SETBIT of a %s-byte bitmap, APPEND (one string, growing); %s interleaved rounds; medians over rounds, kubecache/peer per round min med max\n' \
  "$REQUESTS" "$CLIENTS" "$COUNTER_FIELDS" "$LARGE_FIELDS" "$WIDE_FIELDS" "$WIDE_REQUESTS" "$BITMAP_BYTES" "$ROUNDS"
printf '%-9s %-10s' op figure; for s in "${servers[@]}"; do printf ' %10s' "$s"; done
for s in "${servers[@]:1}"; do printf '   %-19s' "kubecache/$s"; done; echo
ops=(HSET HGET HGET+W HINCRBY HINCRBY-L HSET-W); [[ "${ONLY:-}" == hash ]] || ops+=(SETBIT APPEND)
for op in "${ops[@]}"; do
  for column in 5 6; do
    printf '%-9s %-10s' "$op" "$([[ $column == 5 ]] && echo 'requests/s' || echo 'CPU us/req')"
    for s in "${servers[@]}"; do printf ' %10.2f' "$(median_of "$s" 1 "$op" "$column")"; done
    for s in "${servers[@]:1}"; do printf '   %-19s' "$(ratios "$s" kubecache 1 "$op" "$column")"; done
    echo
  done
done
