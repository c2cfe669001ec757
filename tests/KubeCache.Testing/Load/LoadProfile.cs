namespace KubeCache.Testing.Load;

/// <summary>
/// The reference load profile of the key-value cache assignment's Locust test: keys from a pool of
/// 10,000 UUIDs and values of 256 printable characters (whitespace included), built once so the
/// generator's own CPU stays low. Every load generator here draws from it.
/// </summary>
public sealed class LoadProfile
{
    /// <summary>Keys in the pool.</summary>
    public const int KeyCount = 10_000;

    /// <summary>Characters in each value.</summary>
    public const int ValueLength = 256;

    private const int ValueCount = 1_000;

    private LoadProfile(int seed)
    {
        var random = new Random(seed);
        Keys = [.. Enumerable.Range(0, KeyCount).Select(_ => NewUuid(random))];
        char[] alphabet = [.. Enumerable.Range(32, 126 - 32 + 1).Select(c => (char)c), '\t', '\n'];
        Values = [.. Enumerable.Range(0, ValueCount).Select(_ => new string([.. Enumerable.Range(0, ValueLength).Select(_ => alphabet[random.Next(alphabet.Length)])]))];
    }

    public IReadOnlyList<string> Keys { get; }

    public IReadOnlyList<string> Values { get; }

    public static LoadProfile Create(int seed = 1) => new(seed);

    public string RandomKey(Random random) => Keys[random.Next(Keys.Count)];

    public string RandomValue(Random random) => Values[random.Next(Values.Count)];

    private static string NewUuid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes).ToString();
    }
}
