namespace KubeCache.Testing;

/// <summary>
/// A seeded random script of partial string writes and reads: offsets drawn mostly at the
/// boundaries a node's chunked strings have (every 4 KiB, the 8 KiB past which a string is
/// chunked, the string's end), so the writes cross chunks, grow strings through the chunking
/// threshold and past their ends, and every read spans pieces the way redis-server reads one array.
/// </summary>
public static partial class RedisDifferential
{
    private const int RandomStringCommands = 700;

    /// <summary>Strings stay under this many bytes, so the script's replies stay small.</summary>
    private const int RandomStringMaxLength = 40_000;

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

        // Bytes of any value: Latin-1 characters are sent as the byte of their code.
        string Bytes(int count)
        {
            char[] chars = new char[count];
            for (int i = 0; i < count; i++)
            {
                chars[i] = random.Next(4) == 0 ? (char)random.Next(256) : (char)('a' + random.Next(26));
            }

            return new string(chars);
        }

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
                    // Now and then a key starts again: deleted, or set whole (one value until its next partial write).
                    if (random.Next(3) == 0)
                    {
                        int count = random.Next(0, 12_000);
                        script.Add(["SET", key, Bytes(count)]);
                        lengths[key] = count;
                    }
                    else
                    {
                        script.Add(["STRLEN", key]);
                    }

                    if (random.Next(4) == 0)
                    {
                        script.Add(["DEL", key]);
                        lengths.Remove(key);
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
}
