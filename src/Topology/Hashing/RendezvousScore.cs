using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Text;

namespace KubeCache.Topology.Hashing;

/// <summary>
/// The weight rendezvous hashing gives a (key, member) pair: the member's seed mixed with the
/// key's hash by a bijective 64-bit finalizer with full avalanche, so every member's weights
/// for a key look independent and uniformly distributed.
/// </summary>
internal static class RendezvousScore
{
    /// <summary>How many members the rank bits can tell apart.</summary>
    public const int MaxMembers = 1 << RankBits;

    private const int RankBits = 16;
    private const ulong RankMask = (1UL << RankBits) - 1;

    /// <summary>The member's seed: XXH64 of its UTF-8 name, so only the name places keys.</summary>
    public static ulong SeedOf(string memberName) => XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(memberName));

    /// <summary>
    /// The weight of the member with seed <paramref name="memberSeed"/> and ordinal name rank
    /// <paramref name="nameRank"/> for the key hashed to <paramref name="keyHash"/>: the mix's
    /// top 47 bits, then the rank inverted, so weights of different members never tie and on
    /// equal mix bits the name first in ordinal order wins. Weights stay below 2^63, which
    /// lets <see cref="Max"/> compare them without a branch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Of(ulong keyHash, ulong memberSeed, int nameRank) =>
        ((Mix(keyHash ^ memberSeed) >> 1) & ~RankMask) | (RankMask - (uint)nameRank);

    /// <summary>
    /// The larger of two weights, without a branch: which member weighs most is random, so
    /// a branch would be mispredicted about ln(n) times per lookup. Both must be below 2^63.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Max(ulong a, ulong b)
    {
        ulong bIsLarger = (ulong)((long)(a - b) >> 63);
        return a ^ ((a ^ b) & bIsLarger);
    }

    /// <summary>The name rank a weight from <see cref="Of"/> carries.</summary>
    public static int RankOf(ulong weight) => (int)(RankMask - (weight & RankMask));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong z)
    {
        // The splitmix64 finalizer (Stafford's variant 13): two multiplies, every input bit
        // reaches every output bit.
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
