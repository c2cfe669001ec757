namespace KubeCache.Testing;

/// <summary>
/// Seeded random scripts of the writes that change part of a value, mixed with the reads of it,
/// where a node's large values change form: strings kept in chunks, hashes kept in segments.
/// </summary>
public static partial class RedisDifferential
{
    private const int RandomStringCommands = 700;

    private const int RandomHashCommands = 900;

    /// <summary>Strings stay under this many bytes, so the script's replies stay small.</summary>
    private const int RandomStringMaxLength = 40_000;

    /// <summary>
    /// Partial string writes and reads: offsets drawn mostly at the boundaries a node's chunked
    /// strings have (every 4 KiB, the 8 KiB past which a string is chunked, the string's end), so
    /// the writes cross chunks, grow strings through the chunking threshold and past their ends,
    /// and every read spans pieces the way redis-server reads one array.
    /// </summary>
    private static string[][] RandomStringScript(int seed)
    {
        var random = new Random(seed);
        string[] keys = ["r1", "r2", "r3"];
        var lengths = new Dictionary<string, int>();
        var script = new List<string[]>();
        int Length(string key) => lengths.GetValueOrDefault(key);

        // An offset at a boundary (give or take a few bytes) or anywhere up to just past the end.
        int Offset(string key)
        {
            int length = Length(key);
            int near = random.Next(5) switch
            {
                0 => Chunk * random.Next(0, 10),
                1 => (2 * Chunk) + random.Next(-1, 2),
                2 => length,
                3 => random.Next(0, length + 200),
                _ => random.Next(0, RandomStringMaxLength / 2),
            };
            return Math.Clamp(near + random.Next(-4, 5), 0, RandomStringMaxLength - 1);
        }

        string Bytes(int count) => RandomBytes(random, count);

        // A range bound as GETRANGE, BITCOUNT and BITPOS take them: from the start or from the end.
        string Bound(string key) => random.Next(4) == 0 ? $"{-random.Next(1, Length(key) + 20)}" : $"{Offset(key)}";

        for (int i = 0; i < RandomStringCommands; i++)
        {
            string key = keys[random.Next(keys.Length)];
            int op = random.Next(12);
            switch (op)
            {
                case 0 or 1:
                    {
                        int offset = Offset(key);
                        int count = random.Next(3) == 0 ? random.Next(0, 9000) : random.Next(0, 40);
                        count = Math.Min(count, RandomStringMaxLength - offset);
                        script.Add(["SETRANGE", key, $"{offset}", Bytes(count)]);
                        lengths[key] = count == 0 ? Length(key) : Math.Max(Length(key), offset + count);
                        break;
                    }

                case 2 or 3:
                    {
                        long bit = (8L * Offset(key)) + random.Next(8);
                        script.Add(["SETBIT", key, $"{bit}", random.Next(2) == 0 ? "0" : "1"]);
                        lengths[key] = Math.Max(Length(key), (int)(bit / 8) + 1);
                        break;
                    }

                case 4:
                    {
                        int count = Math.Min(random.Next(3) == 0 ? random.Next(0, 5000) : random.Next(0, 120), RandomStringMaxLength - Length(key));
                        script.Add(["APPEND", key, Bytes(count)]);
                        lengths[key] = Length(key) + count;
                        break;
                    }

                case 5:
                    script.Add(["GETRANGE", key, Bound(key), Bound(key)]);
                    break;
                case 6:
                    script.Add(["GETBIT", key, $"{(8L * Offset(key)) + random.Next(8)}"]);
                    break;
                case 7:
                    script.Add(random.Next(2) == 0
                        ? ["BITCOUNT", key, Bound(key), Bound(key)]
                        : ["BITCOUNT", key, $"{8L * Offset(key)}", $"{(8L * Offset(key)) + random.Next(-50, 50)}", "BIT"]);
                    break;
                case 8:
                    script.Add(random.Next(3) switch
                    {
                        0 => ["BITPOS", key, $"{random.Next(2)}"],
                        1 => ["BITPOS", key, $"{random.Next(2)}", Bound(key), Bound(key)],
                        _ => ["BITPOS", key, $"{random.Next(2)}", $"{8L * Offset(key)}", $"{(8L * Offset(key)) + random.Next(0, 9000)}", "BIT"],
                    });
                    break;
                case 9:
                    script.Add(["STRLEN", key]);
                    break;
                case 10:
                    script.Add(random.Next(4) == 0 ? ["GET", key] : ["BITCOUNT", key]);
                    break;
                default:
                    // The keyspace's paths: a key set whole (one value until its next partial write), deleted, copied, renamed, given a TTL.
                    string other = keys[random.Next(keys.Length)];
                    switch (random.Next(6))
                    {
                        case 0:
                            {
                                int count = random.Next(0, 12_000);
                                script.Add(["SET", key, Bytes(count)]);
                                lengths[key] = count;
                                break;
                            }

                        case 1:
                            script.Add(["DEL", key]);
                            lengths.Remove(key);
                            break;
                        case 2:
                            script.Add(["COPY", key, other, "REPLACE"]);
                            lengths[other] = Length(key);
                            break;
                        case 3:
                            script.Add(["RENAME", key, other]);
                            lengths[other] = Length(key);
                            if (key != other)
                            {
                                lengths.Remove(key);
                            }

                            break;
                        case 4:
                            script.Add(random.Next(2) == 0 ? ["EXPIRE", key, "1000"] : ["PERSIST", key]);
                            break;
                        default:
                            script.AddRange([["TYPE", key], ["EXISTS", key]]);
                            break;
                    }

                    break;
            }
        }

        foreach (string key in keys)
        {
            script.AddRange([["STRLEN", key], ["GET", key], ["BITCOUNT", key]]);
        }

        return [.. script];
    }

    /// <summary>
    /// Hash writes (HSET of several pairs, at times of up to 40, HSETNX, HDEL, HINCRBY, HINCRBYFLOAT) and reads over a
    /// pool of fields large enough that a hash grows past the 8 KiB a node segments it at, and
    /// shrinks back as fields go; reads name their fields (HMGET), since HGETALL's order is the
    /// encoding's, not Redis's contract.
    /// </summary>
    private static string[][] RandomHashScript(int seed)
    {
        var random = new Random(seed);
        string[] keys = ["h1", "h2"];
        string Field() => random.Next(8) == 0 ? $"n:{random.Next(20)}" : $"field:{random.Next(400):D4}";
        string Value() => random.Next(6) == 0 ? $"{random.Next(-1000, 1000)}" : RandomBytes(random, random.Next(3) == 0 ? random.Next(64, 200) : random.Next(0, 40));
        string[] Fields(int count) => [.. Enumerable.Range(0, count).Select(_ => Field())];
        // Now and then more fields than a node searches in place (it looks them up in a table then).
        int Many(int few) => random.Next(6) == 0 ? random.Next(9, 41) : random.Next(1, few);

        var script = new List<string[]>();
        for (int i = 0; i < RandomHashCommands; i++)
        {
            string key = keys[random.Next(keys.Length)];
            switch (random.Next(14))
            {
                case 0 or 1 or 2 or 3:
                    script.Add(["HSET", key, .. Enumerable.Range(0, Many(8)).SelectMany(_ => new[] { Field(), Value() })]);
                    break;
                case 4:
                    script.Add(["HSETNX", key, Field(), Value()]);
                    break;
                case 5 or 6:
                    script.Add(["HDEL", key, .. Fields(Many(6))]);
                    break;
                case 7:
                    script.Add(["HINCRBY", key, Field(), $"{random.Next(-50, 50)}"]);
                    break;
                case 8:
                    script.Add(["HINCRBYFLOAT", key, Field(), random.Next(2) == 0 ? "1.5" : "-0.25"]);
                    break;
                case 9 or 10:
                    script.Add(["HMGET", key, .. Fields(random.Next(1, 10))]);
                    break;
                case 11:
                    script.Add(random.Next(3) switch { 0 => ["HGET", key, Field()], 1 => ["HEXISTS", key, Field()], _ => ["HSTRLEN", key, Field()] });
                    break;
                case 12:
                    script.Add(["HLEN", key]);
                    break;
                default:
                    string other = keys[random.Next(keys.Length)];
                    script.Add(random.Next(8) switch
                    {
                        0 => ["DEL", key],
                        1 => ["COPY", key, other, "REPLACE"],
                        2 => ["RENAME", key, other],
                        3 => ["EXPIRE", key, "1000"],
                        4 => ["PERSIST", key],
                        5 => ["TYPE", key],
                        _ => ["EXISTS", key],
                    });
                    break;
            }
        }

        foreach (string key in keys)
        {
            script.Add(["HLEN", key]);
            script.Add(["HMGET", key, .. Enumerable.Range(0, 400).Select(i => $"field:{i:D4}"), .. Enumerable.Range(0, 20).Select(i => $"n:{i}")]);
        }

        return [.. script];
    }

    /// <summary>Mostly letters, a quarter any byte: Latin-1 characters are sent as the byte of their code.</summary>
    private static string RandomBytes(Random random, int count)
    {
        char[] chars = new char[count];
        for (int i = 0; i < count; i++)
        {
            chars[i] = random.Next(4) == 0 ? (char)random.Next(256) : (char)('a' + random.Next(26));
        }

        return new string(chars);
    }
}
