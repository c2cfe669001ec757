namespace KubeCache.Fuzz.Tests.Fuzzing;

/// <summary>
/// Makes fuzz inputs: purely random bytes, or a valid input from the target's corpus changed by
/// a few stacked mutations (bit flips, byte insert/delete/duplicate, splices of other valid
/// inputs, boundary integers in place of digit runs, malformed UTF-8, line-ending splits,
/// repeated nesting tokens, truncation).
/// </summary>
public static class Mutator
{
    /// <summary>Longest input made; big enough for deep nesting and many frames, small enough to run fast.</summary>
    public const int MaxInputBytes = 4096;

    public static byte[] Generate(FuzzRandom random, IFuzzSource source)
    {
        // One case in eight is noise: it exercises the first-byte dispatch and garbage handling.
        if (random.OneIn(8))
        {
            var noise = new byte[random.NextLength(512)];
            for (int i = 0; i < noise.Length; i++)
            {
                noise[i] = random.OneIn(2) ? random.NextByte() : random.Pick(source.Alphabet);
            }

            return noise;
        }

        byte[] input = random.Pick(source.Corpus);
        int mutations = 1 + random.Next(random.OneIn(4) ? 8 : 3);
        for (int i = 0; i < mutations; i++)
        {
            input = Mutate(input, random, source);
        }

        return input.Length > MaxInputBytes ? input[..MaxInputBytes] : input;
    }

    public static byte[] Mutate(byte[] input, FuzzRandom random, IFuzzSource source)
    {
        var bytes = new List<byte>(input);
        int at = random.Next(bytes.Count + 1);
        switch (random.Next(12))
        {
            case 0 when bytes.Count > 0:
                at = random.Next(bytes.Count);
                bytes[at] ^= (byte)(1 << random.Next(8));
                break;
            case 1 when bytes.Count > 0:
                bytes[random.Next(bytes.Count)] = random.NextByte();
                break;
            case 2:
                bytes.InsertRange(at, Enumerable.Range(0, 1 + random.Next(4)).Select(_ => random.NextByte()));
                break;
            case 3 when bytes.Count > 0:
                at = random.Next(bytes.Count);
                bytes.RemoveRange(at, 1 + random.Next(Math.Min(bytes.Count - at, 16)));
                break;
            case 4 when bytes.Count > 0:
                Duplicate(bytes, random);
                break;
            case 5:
                Splice(bytes, random, random.Pick(source.Corpus));
                break;
            case 6:
                ReplaceDigits(bytes, random);
                break;
            case 7:
                bytes.InsertRange(at, random.Pick(random.OneIn(2) ? FuzzTokens.BadBytes : FuzzTokens.LineBreaks));
                break;
            case 8:
                bytes.InsertRange(at, random.Pick(source.Tokens));
                break;
            case 9:
                // Deep nesting or a long run: one token many times.
                byte[] unit = random.Pick(source.Tokens);
                int times = random.OneIn(4) ? random.Next(50, 300) : random.Next(2, 20);
                bytes.InsertRange(at, Enumerable.Repeat(unit, times).SelectMany(t => t));
                break;
            case 10 when bytes.Count > 0:
                at = random.Next(bytes.Count);
                bytes.RemoveRange(at, bytes.Count - at);
                break;
            default:
                FlipCase(bytes, random);
                break;
        }

        return [.. bytes];
    }

    private static void Duplicate(List<byte> bytes, FuzzRandom random)
    {
        int start = random.Next(bytes.Count);
        int length = 1 + random.Next(Math.Min(bytes.Count - start, 64));
        byte[] range = bytes.GetRange(start, length).ToArray();
        int times = random.OneIn(4) ? random.Next(2, 40) : 1;
        for (int i = 0; i < times; i++)
        {
            bytes.InsertRange(start, range);
        }
    }

    // Replaces a random stretch of this input with a stretch of another valid input.
    private static void Splice(List<byte> bytes, FuzzRandom random, byte[] other)
    {
        int from = random.Next(other.Length + 1);
        byte[] fragment = other[from..(from + random.Next(other.Length - from + 1))];
        int at = random.Next(bytes.Count + 1);
        int replace = random.OneIn(2) ? 0 : random.Next(bytes.Count - at + 1);
        bytes.RemoveRange(at, replace);
        bytes.InsertRange(at, fragment);
    }

    // Lengths, counts, epochs and TTLs are digit runs: swapping one for a boundary integer
    // reaches the overflow and huge-allocation paths that random flips rarely do.
    private static void ReplaceDigits(List<byte> bytes, FuzzRandom random)
    {
        byte[] integer = random.Pick(FuzzTokens.BoundaryIntegers);
        var runs = new List<(int Start, int Length)>();
        for (int i = 0; i < bytes.Count; i++)
        {
            if (IsDigit(bytes[i]) && (i == 0 || !IsDigit(bytes[i - 1])))
            {
                int end = i;
                while (end < bytes.Count && IsDigit(bytes[end]))
                {
                    end++;
                }

                runs.Add((i, end - i));
            }
        }

        if (runs.Count == 0)
        {
            bytes.InsertRange(random.Next(bytes.Count + 1), integer);
            return;
        }

        (int start, int length) = random.Pick(runs);
        bytes.RemoveRange(start, length);
        bytes.InsertRange(start, integer);
    }

    private static void FlipCase(List<byte> bytes, FuzzRandom random)
    {
        for (int i = 0; i < bytes.Count; i++)
        {
            if (random.OneIn(4) && char.IsAsciiLetter((char)bytes[i]))
            {
                bytes[i] ^= 0x20;
            }
        }
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';
}
