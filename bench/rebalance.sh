#!/usr/bin/env bash
# Rebalance time: loads KEYS keys (VALUE_BYTES-byte values) through a local-mode router with 3
# nodes, then times 3 -> 5 -> 2 through the admin API and counts the keys afterwards. Not run in CI.
# Usage: bench/rebalance.sh   (env: KEYS=1000000 VALUE_BYTES=100; large values: KEYS=500 VALUE_BYTES=1048576)
source "$(dirname "$0")/lib.sh"
KEYS=${KEYS:-1000000}
VALUE_BYTES=${VALUE_BYTES:-100}
ROUTER_HTTP=27181 ROUTER_RESP=26389

source "$BENCH_DIR/router-lib.sh"
start_local_router 3 --local-node-memory 1gb

load_start=$(date +%s.%N)
# Distinct keys key:0 … key:KEYS-1 (redis-benchmark -r draws at random and repeats), four
# connections, windows of up to 1,000 pipelined SETs and 4 MiB. (redis-cli --pipe is not used:
# one deep, unbroken pipe stalls the router's RESP front — reported, not yet fixed.)
python3 - "$KEYS" "$ROUTER_RESP" "$VALUE_BYTES" <<'PY'
import socket, sys
from concurrent.futures import ThreadPoolExecutor
keys, port, size = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
window = max(1, min(1000, (4 << 20) // size))
value = b"v" * size
def load(part):
    s = socket.create_connection(("127.0.0.1", port)); f = s.makefile("rb")
    for first in range(part * window, keys, 4 * window):
        n = min(window, keys - first)
        s.sendall(b"".join(b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n" % (len(k), k, size, value)
                           for k in (b"key:%d" % i for i in range(first, first + n))))
        for _ in range(n):
            line = f.readline()
            if line != b"+OK\r\n": raise SystemExit(f"SET failed: {line!r}")
with ThreadPoolExecutor(4) as pool: list(pool.map(load, range(4)))
PY
count() { curl -sf "http://127.0.0.1:$ROUTER_HTTP/admin/nodes" | python3 -c 'import json,sys; n=json.load(sys.stdin); print(sum(x["items"] or 0 for x in n), [x["items"] for x in n])'; }
printf 'loaded in %.1f s: %s\n' "$(echo "$(date +%s.%N) - $load_start" | bc)" "$(count)"

timed() { local t0; t0=$(date +%s.%N); admin "$1" "$2"; printf '  %.2f s\n' "$(echo "$(date +%s.%N) - $t0" | bc)"; }
total=$(date +%s.%N)
timed POST /admin/nodes
timed POST /admin/nodes
timed DELETE /admin/nodes/node-1
timed DELETE /admin/nodes/node-3
timed DELETE /admin/nodes/node-5
printf '3 -> 5 -> 2 in %.1f s; keys now: %s\n' "$(echo "$(date +%s.%N) - $total" | bc)" "$(count)"
