namespace KubeCache.Fuzz.Tests.Fuzzing;

/// <summary>
/// The fuzzers' pseudo-random numbers: xorshift64* seeded through SplitMix64. Defined here, not
/// taken from <see cref="Random"/>, so a seed gives the same sequence on every runtime and
/// machine and a reproducer stays valid. Not thread-safe; one instance per case.
/// </summary>
public sealed class FuzzRandom
{
    private ulong _state;

    public FuzzRandom(ulong seed)
    {
        // SplitMix64 spreads nearby seeds (0, 1, 2…) apart and never leaves xorshift's state at 0.
        _state = Mix(seed);
        if (_state == 0)
        {
            _state = 0x9E3779B97F4A7C15;
        }
    }

    /// <summary>The seed of case <paramref name="caseIndex"/> of a campaign, so any case can be rerun alone.</summary>
    public static ulong CaseSeed(ulong campaignSeed, string target, long caseIndex)
    {
        ulong h = 0xCBF29CE484222325;
        foreach (char c in target)
        {
            h = (h ^ c) * 0x100000001B3;
        }

        return Mix(Mix(campaignSeed ^ h) + (ulong)caseIndex);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong x = _state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        _state = x;
        return x * 0x2545F4914F6CDD1D;
    }

    /// <summary>A number in [0, <paramref name="maxExclusive"/>); 0 when the bound is 0 or less.</summary>
    public int Next(int maxExclusive) =>
        maxExclusive <= 0 ? 0 : (int)((NextUInt64() >> 32) * (ulong)maxExclusive >> 32);

    /// <summary>A number in [<paramref name="min"/>, <paramref name="maxExclusive"/>).</summary>
    public int Next(int min, int maxExclusive) => min + Next(maxExclusive - min);

    /// <summary>True with probability 1/<paramref name="n"/>.</summary>
    public bool OneIn(int n) => Next(n) == 0;

    public byte NextByte() => (byte)(NextUInt64() >> 56);

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>A length skewed towards small values: mostly under 16, sometimes up to <paramref name="max"/>.</summary>
    public int NextLength(int max) => Next(4) switch
    {
        0 or 1 => Next(Math.Min(16, max) + 1),
        2 => Next(Math.Min(256, max) + 1),
        _ => Next(max + 1),
    };

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
