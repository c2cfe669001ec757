namespace KubeCache.Testing;

/// <summary>The script of long strings that SETBIT, SETRANGE and APPEND change (a node keeps them in chunks of 4 KiB).</summary>
public static partial class RedisDifferential
{
    private const int Chunk = 4096;

    private static string[][] LargeStringScript()
    {
        var script = new List<string[]>();
        void Reads(string key)
        {
            script.AddRange(
            [
                ["STRLEN", key], ["GETRANGE", key, $"{Chunk - 5}", $"{Chunk + 5}"], ["GETRANGE", key, $"{(2 * Chunk) - 1}", $"{2 * Chunk}"],
                ["GETRANGE", key, "-20", "-1"], ["GETRANGE", key, "0", "9"], ["GETRANGE", key, "5000", "100000"], ["GETRANGE", key, "-100000", "3"],
                ["GETBIT", key, $"{(Chunk * 8) - 1}"], ["GETBIT", key, $"{Chunk * 8}"], ["GETBIT", key, "100007"], ["GETBIT", key, "99999999"],
                ["BITCOUNT", key], ["BITCOUNT", key, $"{Chunk - 3}", $"{Chunk + 3}"], ["BITCOUNT", key, "-9000", "-1"],
                ["BITCOUNT", key, $"{(Chunk * 8) - 10}", $"{(Chunk * 8) + 10}", "BIT"], ["BITCOUNT", key, "1", "1"], ["BITCOUNT", key, "7", "3"],
                ["BITPOS", key, "1"], ["BITPOS", key, "0"], ["BITPOS", key, "1", $"{Chunk}"], ["BITPOS", key, "0", $"{Chunk - 1}", "-1"],
                ["BITPOS", key, "1", $"{(Chunk * 8) - 3}", $"{(Chunk * 8) + 200}", "BIT"], ["GET", key], ["OBJECT", "ENCODING", key], ["TYPE", key],
            ]);
        }

        // A bitmap of 12,501 bytes, set around chunk boundaries.
        script.Add(["SETBIT", "bits", "100007", "1"]);
        foreach (int bit in new[] { 0, 7, (Chunk * 8) - 1, Chunk * 8, (Chunk * 8) + 1, (2 * Chunk * 8) - 1, 2 * Chunk * 8, 99_000 })
        {
            script.AddRange([["SETBIT", "bits", $"{bit}", "1"], ["SETBIT", "bits", $"{bit}", "1"]]);
        }

        script.AddRange([["SETBIT", "bits", "7", "0"], ["SETBIT", "bits", "150000", "0"]]);
        Reads("bits");

        // A string APPEND grows from empty past 8 KiB and on, 100 bytes at a time.
        for (int i = 0; i < 300; i++)
        {
            script.Add(["APPEND", "log", $"line {i:D4} ".PadRight(99, (char)('a' + (i % 26))) + "\n"]);
            if (i % 60 == 59)
            {
                Reads("log");
            }
        }

        // SETRANGE across chunk boundaries, past the end (zero bytes between) and on a missing key.
        script.AddRange(
        [
            ["SETRANGE", "log", $"{Chunk - 3}", "across the boundary"], ["SETRANGE", "log", "40000", "far past the end"], ["SETRANGE", "log", "10", ""],
            ["SETRANGE", "new", "20000", "tail"], ["SETRANGE", "new", "3", new string('\xff', 9000)],
        ]);
        Reads("log");
        Reads("new");

        // The keyspace paths of a chunked string, and the commands that read it whole.
        script.AddRange(
        [
            ["EXPIRE", "bits", "1000"], ["TTL", "bits"], ["SETBIT", "bits", "5", "1"], ["TTL", "bits"], ["APPEND", "bits", "kept"], ["TTL", "bits"],
            ["PERSIST", "bits"], ["TTL", "bits"], ["COPY", "bits", "bits2"], ["SETBIT", "bits", "6", "1"], ["GET", "bits2"], ["RENAME", "bits", "bits3"],
            ["EXISTS", "bits"], ["MGET", "bits3", "log", "missing"], ["INCR", "log"], ["INCRBYFLOAT", "log", "1"], ["SET", "log", "short", "GET"],
            ["GET", "log"], ["APPEND", "log", "er"], ["GETSET", "new", "replaced"], ["GET", "new"], ["GETEX", "bits3", "PERSIST"],
            ["GETDEL", "bits2"], ["EXISTS", "bits2"], ["DEL", "bits3"], ["HSET", "h", "f", "v"], ["SETBIT", "h", "70000", "1"],
            ["SETRANGE", "h", "9000", "x"], ["APPEND", "h", "x"],
        ]);
        return [.. script];
    }
}
