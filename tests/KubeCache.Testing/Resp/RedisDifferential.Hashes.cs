namespace KubeCache.Testing;

/// <summary>The hash family's scripts: replies, error texts, WRONGTYPE both ways, and hashes under the keyspace commands.</summary>
public static partial class RedisDifferential
{
    private static Dictionary<string, string[][]> HashScripts() => new()
    {
        ["hash-large"] = LargeHashScript(),
        ["hash-random-edits"] = RandomHashScript(seed: 1206),
        ["hash-basics"] =
        [
            ["HSET", "h", "f1", "v1", "f2", "v2"], ["HSET", "h", "f1", "x", "f3", "y", "f3", "z"], ["HGET", "h", "f1"], ["HGET", "h", "nope"],
            ["HGET", "missing", "f"], ["HMGET", "h", "f1", "nope", "f3"], ["HMGET", "missing", "a", "b"], ["HGETALL", "h"], ["HKEYS", "h"],
            ["HVALS", "h"], ["HLEN", "h"], ["HLEN", "missing"], ["HEXISTS", "h", "f2"], ["HEXISTS", "h", "nope"], ["HSTRLEN", "h", "f2"],
            ["HSTRLEN", "h", "nope"], ["HSETNX", "h", "f1", "no"], ["HSETNX", "h", "f4", "yes"], ["HSETNX", "new", "a", "b"],
            ["HMSET", "h", "f5", "5", "f1", "one"], ["HGETALL", "h"], ["HSET", "h", "odd"], ["HSET", "h", "a", "b", "c"], ["HMSET", "h", "a"],
            ["HGETALL", "missing"], ["HKEYS", "missing"], ["TYPE", "h"], ["HSET", "h", "", ""], ["HGET", "h", ""], ["HSET", "bin", "\x00\xff", "\r\n"],
            ["HGETALL", "bin"], ["HGET"], ["HGETALL", "h", "extra"],
        ],
        ["hash-delete"] =
        [
            ["HSET", "h", "a", "1", "b", "2", "c", "3"], ["HDEL", "h", "a", "nope", "a"], ["HGETALL", "h"], ["HDEL", "h", "b", "c"],
            ["EXISTS", "h"], ["TYPE", "h"], ["HGETALL", "h"], ["HDEL", "missing", "a"], ["HDEL", "h"], ["HSET", "h", "a", "1"],
            ["EXPIREAT", "h", Year2100], ["HDEL", "h", "a"], ["TTL", "h"], ["HSET", "h", "a", "1"], ["TTL", "h"],
        ],
        ["hash-incr"] =
        [
            ["HINCRBY", "h", "n", "5"], ["HINCRBY", "h", "n", "-7"], ["HINCRBY", "h", "n", "x"], ["HINCRBY", "h", "n", "1.5"],
            ["HSET", "h", "s", "abc", "big", "9223372036854775806", "f", "1.5"], ["HINCRBY", "h", "s", "1"], ["HINCRBY", "h", "big", "1"],
            ["HINCRBY", "h", "big", "1"], ["HINCRBY", "h", "f", "1"], ["HINCRBYFLOAT", "h", "f", "0.1"], ["HINCRBYFLOAT", "h", "g", "-5.0e3"],
            ["HINCRBYFLOAT", "h", "n", "2.5"], ["HINCRBYFLOAT", "h", "s", "1"], ["HINCRBYFLOAT", "h", "f", "abc"], ["HINCRBYFLOAT", "h", "f", "inf"],
            ["HINCRBYFLOAT", "h", "f", "nan"], ["HINCRBYFLOAT", "h", "f", " 1"], ["HINCRBYFLOAT", "missing", "s", "1"], ["HGETALL", "h"],
            ["EXPIREAT", "h", Year2100], ["HINCRBY", "h", "n", "1"], ["EXPIRETIME", "h"], ["HINCRBY", "h", "n"],
        ],
        ["hash-wrongtype"] =
        [
            ["SET", "s", "text"], ["HSET", "s", "f", "v"], ["HMSET", "s", "f", "v"], ["HGET", "s", "f"], ["HMGET", "s", "f"], ["HGETALL", "s"],
            ["HKEYS", "s"], ["HVALS", "s"], ["HLEN", "s"], ["HEXISTS", "s", "f"], ["HSTRLEN", "s", "f"], ["HSETNX", "s", "f", "v"],
            ["HDEL", "s", "f"], ["HINCRBY", "s", "f", "1"], ["HINCRBYFLOAT", "s", "f", "1"], ["HSCAN", "s", "0"], ["HRANDFIELD", "s"],
            ["HRANDFIELD", "s", "2"], ["GET", "s"], ["HSET", "h", "f", "v"], ["GET", "h"], ["MGET", "h", "s"], ["INCR", "h"], ["DECRBY", "h", "2"],
            ["INCRBYFLOAT", "h", "1"], ["APPEND", "h", "x"], ["STRLEN", "h"], ["GETRANGE", "h", "0", "1"], ["SETRANGE", "h", "0", "x"],
            ["GETDEL", "h"], ["GETEX", "h", "PERSIST"], ["GETSET", "h", "x"], ["SET", "h", "x", "GET"], ["SET", "h", "x", "NX"],
            ["SETNX", "h", "x"], ["MSETNX", "h", "x", "n", "y"], ["SETBIT", "h", "1", "1"], ["GETBIT", "h", "1"], ["BITCOUNT", "h"],
            ["BITPOS", "h", "1"], ["LCS", "h", "s"], ["HGETALL", "h"], ["TYPE", "h"], ["EXISTS", "h", "s"], ["TOUCH", "h"], ["SET", "h", "now a string"],
            ["TYPE", "h"], ["GET", "h"], ["HSET", "h2", "f", "v"], ["MSET", "h2", "x"], ["TYPE", "h2"], ["DEL", "h2", "s"],
        ],
        ["hash-keyspace"] =
        [
            ["HSET", "h", "a", "1", "b", "2"], ["EXPIREAT", "h", Year2100], ["HSET", "h", "c", "3"], ["EXPIRETIME", "h"], ["TTL", "h"],
            ["RENAME", "h", "r"], ["EXISTS", "h"], ["TYPE", "r"], ["HGETALL", "r"], ["EXPIRETIME", "r"], ["COPY", "r", "c"], ["HGETALL", "c"],
            ["EXPIRETIME", "c"], ["PERSIST", "c"], ["TTL", "c"], ["HSET", "c", "d", "4"], ["HGETALL", "r"], ["OBJECT", "ENCODING", "c"],
            ["HSET", "c", "long", new string('x', 65)], ["OBJECT", "ENCODING", "c"], ["OBJECT", "REFCOUNT", "c"], ["SET", "s", "1"],
            ["SCAN", "0", "TYPE", "hash", "COUNT", "1000", "MATCH", "r"], ["SCAN", "0", "TYPE", "HASH", "MATCH", "c", "COUNT", "1000"],
            ["SCAN", "0", "TYPE", "string", "COUNT", "1000"], ["SCAN", "0", "TYPE", "list", "COUNT", "1000"], ["KEYS", "*"], ["DEL", "r", "s"],
            ["RANDOMKEY"], ["RENAMENX", "c", "c2"], ["COPY", "c2", "s"], ["SET", "s", "x"], ["COPY", "c2", "s"], ["COPY", "c2", "s", "REPLACE"],
            ["TYPE", "s"], ["HLEN", "s"], ["HGET", "s", "long"], ["RENAME", "missing", "x"], ["PEXPIREAT", "s", "1"], ["EXISTS", "s"], ["HGETALL", "s"],
        ],
        ["hash-scan-random"] =
        [
            ["HSET", "h", "f1", "1", "f2", "2", "g1", "3"], ["HSCAN", "h", "0"], ["HSCAN", "h", "0", "MATCH", "f*"], ["HSCAN", "h", "0", "COUNT", "1"],
            ["HSCAN", "h", "0", "COUNT", "0"], ["HSCAN", "h", "0", "COUNT", "x"], ["HSCAN", "h", "x"], ["HSCAN", "h", "0", "TYPE", "string"],
            ["HSCAN", "h", "0", "MATCH"], ["HSCAN", "missing", "0", "FOO"], ["HSCAN", "h"], ["HRANDFIELD", "missing"],
            ["HRANDFIELD", "missing", "5"], ["HRANDFIELD", "missing", "-5", "WITHVALUES"], ["HRANDFIELD", "h", "10"],
            ["HRANDFIELD", "h", "3", "WITHVALUES"], ["HRANDFIELD", "h", "0"], ["HRANDFIELD", "h", "1", "FOO"], ["HRANDFIELD", "h", "x"],
            ["HRANDFIELD", "h", "x", "FOO"], ["HRANDFIELD", "h", "1", "WITHVALUES", "x"], ["HRANDFIELD", "h", "-9223372036854775807", "WITHVALUES"],
            ["HSET", "one", "only", "v"], ["HRANDFIELD", "one"], ["HRANDFIELD", "one", "-3"], ["HRANDFIELD", "one", "-2", "WITHVALUES"],
            ["HRANDFIELD", "one", "1", "WITHVALUES"],
        ],
        ["hash-transaction"] =
        [
            ["SET", "s", "text"], ["MULTI"], ["HSET", "h", "a", "1", "b", "2"], ["HGETALL", "h"], ["HRANDFIELD", "h", "5", "WITHVALUES"],
            ["HSET", "s", "f", "v"], ["EXPIREAT", "h", Year2100], ["HINCRBYFLOAT", "h", "a", "0.5"], ["EXEC"], ["HGETALL", "h"],
            ["MULTI"], ["HSET", "h", "odd"], ["HGET", "h", "a"], ["EXEC"], ["MULTI"], ["HDEL", "h", "a", "b"], ["EXISTS", "h"], ["EXEC"],
        ],
    };

    /// <summary>
    /// Hashes past the size a node keeps in segments (SegmentedHash, over 8 KiB of encoding): one
    /// of 1,000 fields (about 32 KB) read as it is updated, grown, shrunk, incremented, given a TTL
    /// and copied and renamed, and one grown a field at a time through that size and shrunk back
    /// below half of it (one value again), read on the way. One value holds a field's encoding (its
    /// length byte and name). No HGETALL: Redis answers a hash this large in its hash table's order.
    /// </summary>
    private static string[][] LargeHashScript()
    {
        var script = new List<string[]>();
        for (int part = 0; part < 4; part++)
        {
            script.Add(["HSET", "big", .. Enumerable.Range(part * 250, 250).SelectMany(i => new[] { $"field:{i:D4}", $"value-{i}-".PadRight(20, 'v') })]);
        }

        void Reads(string key)
        {
            script.AddRange(
            [
                ["HGET", key, "field:0007"], ["HGET", key, "field:0999"], ["HGET", key, "field:0000"], ["HGET", key, "nope"],
                ["HEXISTS", key, "field:0500"], ["HEXISTS", key, "field:2000"], ["HSTRLEN", key, "field:0001"], ["HLEN", key],
                ["HMGET", key, "field:0002", "nope", "field:0998", "field:1000", "field:0010", "field:0011"], ["HGET", key, "counter"],
            ]);
        }

        Reads("big");
        script.AddRange([["HSET", "big", "field:0007", "\nfield:0500", "field:1000", "new"], ["HGET", "big", "field:0007"]]);
        Reads("big");
        script.Add(["HSET", "big", "field:0010", "a", "field:0011", "b", "field:0010", "c", "field:1001", "d", "field:1001", "e"]);
        Reads("big");
        script.Add(["HDEL", "big", "field:0999", "field:0000", "nope"]);
        Reads("big");
        script.AddRange([["HINCRBY", "big", "counter", "5"], ["HINCRBY", "big", "counter", "5"], ["HSETNX", "big", "field:0500", "x"], ["HSETNX", "big", "field:2000", "y"]]);
        script.AddRange([["HINCRBYFLOAT", "big", "float", "1.5"], ["HINCRBYFLOAT", "big", "float", "2"], ["HINCRBY", "big", "field:0003", "1"], ["OBJECT", "ENCODING", "big"]]);
        Reads("big");
        script.AddRange([["EXPIRE", "big", "1000"], ["TTL", "big"], ["HSET", "big", "field:0004", "ttl kept"], ["TTL", "big"], ["PERSIST", "big"], ["TTL", "big"]]);
        Reads("big");
        script.AddRange([["COPY", "big", "big2"], ["HDEL", "big", "field:0001"]]);
        Reads("big2");
        Reads("big");
        script.AddRange([["RENAME", "big", "big3"], ["EXISTS", "big"]]);
        Reads("big3");

        // One field at a time through the segmented size (about 250 fields) and back below half of it.
        for (int i = 0; i < 400; i++)
        {
            script.Add(["HSET", "grow", $"field:{i:D4}", $"value-{i}-".PadRight(20, 'v')]);
            if (i % 50 == 49)
            {
                Reads("grow");
            }
        }

        for (int i = 0; i < 390; i += 10)
        {
            script.Add(["HDEL", "grow", .. Enumerable.Range(i, 10).Select(f => $"field:{f:D4}")]);
            if (i % 50 == 0)
            {
                Reads("grow");
            }
        }

        script.AddRange([["HLEN", "grow"], ["HDEL", "grow", .. Enumerable.Range(390, 10).Select(f => $"field:{f:D4}")], ["EXISTS", "grow"]]);
        return [.. script];
    }
}
