"""redis-py (Debian's python3-redis) with its default options against a KubeCache node or router.

Usage: redis_py_check.py HOST PORT. Prints one line per step and exits non-zero at the first failure.
Every transaction uses keys of one owner (one key each), as a router requires.
"""
import sys
import uuid

import redis


def check(step, condition, got):
    if not condition:
        print(f"FAIL {step}: got {got!r}")
        sys.exit(1)
    print(f"ok {step}")


host, port = sys.argv[1], int(sys.argv[2])
client = redis.Redis(host=host, port=port)
other = redis.Redis(host=host, port=port)
prefix = f"py:{uuid.uuid4().hex}"

check("ping", client.ping() is True, None)

client.set(f"{prefix}:ex", "value", ex=100)
ttl = client.ttl(f"{prefix}:ex")
check("set ex / get / ttl", client.get(f"{prefix}:ex") == b"value" and 0 < ttl <= 100, ttl)
client.set(f"{prefix}:short", "short", px=60000)
pttl = client.pttl(f"{prefix}:short")
check("set px / pttl", 0 < pttl <= 60000, pttl)
check("set nx on existing key", client.set(f"{prefix}:ex", "other", nx=True) is None, None)

pipe = client.pipeline(transaction=False)
for i in range(20):
    pipe.set(f"{prefix}:p{i}", i)
    pipe.get(f"{prefix}:p{i}")
replies = pipe.execute()
check("pipeline", replies[1::2] == [str(i).encode() for i in range(20)], replies)

counter = f"{prefix}:counter"
pipe = client.pipeline()
pipe.incr(counter)
pipe.expire(counter, 60)
pipe.get(counter)
replies = pipe.execute()
check("transaction", replies == [1, True, b"1"], replies)

with client.pipeline() as pipe:
    pipe.watch(counter)
    current = int(pipe.get(counter))
    pipe.multi()
    pipe.set(counter, current + 1)
    replies = pipe.execute()
check("watch, unchanged", replies == [True] and client.get(counter) == b"2", replies)

try:
    with client.pipeline() as pipe:
        pipe.watch(counter)
        other.set(counter, 100)
        pipe.multi()
        pipe.set(counter, 0)
        pipe.execute()
    check("watch, changed by another client", False, client.get(counter))
except redis.WatchError:
    check("watch, changed by another client", client.get(counter) == b"100", client.get(counter))

keys = set(client.scan_iter(match=f"{prefix}:p*", count=7))
check("scan", keys == {f"{prefix}:p{i}".encode() for i in range(20)}, len(keys))

h = f"{prefix}:hash"
added = client.hset(h, mapping={"a": "1", "b": "2"})
check("hset / hgetall", added == 2 and client.hgetall(h) == {b"a": b"1", b"b": b"2"}, added)
fields = client.hmget(h, ["a", "missing"])
check("hmget / hincrby / hdel", fields == [b"1", None] and client.hincrby(h, "a", 5) == 6 and client.hdel(h, "b") == 1, fields)
pipe = client.pipeline()
pipe.hset(h, "c", "3")
pipe.expire(h, 60)
pipe.hgetall(h)
replies = pipe.execute()
check("hash transaction", replies == [1, True, {b"a": b"6", b"c": b"3"}], replies)
scanned = dict(client.hscan_iter(h, count=7))
check("hscan", scanned == {b"a": b"6", b"c": b"3"}, scanned)
try:
    client.get(h)
    check("get of a hash: WRONGTYPE", False, None)
except redis.ResponseError as error:
    check("get of a hash: WRONGTYPE", str(error).startswith("WRONGTYPE"), str(error))
print("PASS redis-py", redis.__version__)
