using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace KubeCache.Topology;

/// <summary>
/// XXH64, the 64-bit xxHash: fast, well distributed and the same on every process and machine,
/// which is what ring placement needs (never <see cref="string.GetHashCode()"/>). Not a
/// cryptographic hash: keys chosen by an attacker can be made to collide.
/// </summary>
public static class XxHash64
{
    private const ulong Prime1 = 0x9E3779B185EBCA87UL;
    private const ulong Prime2 = 0xC2B2AE3D27D4EB4FUL;
    private const ulong Prime3 = 0x165667B19E3779F9UL;
    private const ulong Prime4 = 0x85EBCA77C2B2AE63UL;
    private const ulong Prime5 = 0x27D4EB2F165667C5UL;

    private const int StripeBytes = 32;

    /// <summary>The XXH64 digest of <paramref name="data"/>.</summary>
    /// <param name="data">The bytes to hash; may be empty.</param>
    /// <param name="seed">Selects an independent hash function; 0 is the standard one.</param>
    public static ulong Hash(ReadOnlySpan<byte> data, ulong seed = 0)
    {
        int length = data.Length;
        ulong hash;
        if (length >= StripeBytes)
        {
            hash = ConsumeStripes(ref data, seed);
        }
        else
        {
            hash = seed + Prime5;
        }

        hash += (ulong)length;
        return Avalanche(ConsumeTail(data, hash));
    }

    /// <summary>
    /// Runs the four lanes over every whole 32-byte stripe, leaves <paramref name="data"/> at
    /// the unconsumed tail and returns the lanes merged into one value.
    /// </summary>
    private static ulong ConsumeStripes(ref ReadOnlySpan<byte> data, ulong seed)
    {
        ulong lane1 = seed + Prime1 + Prime2;
        ulong lane2 = seed + Prime2;
        ulong lane3 = seed;
        ulong lane4 = seed - Prime1;

        do
        {
            lane1 = Round(lane1, BinaryPrimitives.ReadUInt64LittleEndian(data));
            lane2 = Round(lane2, BinaryPrimitives.ReadUInt64LittleEndian(data[8..]));
            lane3 = Round(lane3, BinaryPrimitives.ReadUInt64LittleEndian(data[16..]));
            lane4 = Round(lane4, BinaryPrimitives.ReadUInt64LittleEndian(data[24..]));
            data = data[StripeBytes..];
        }
        while (data.Length >= StripeBytes);

        ulong hash = BitOperations.RotateLeft(lane1, 1) + BitOperations.RotateLeft(lane2, 7)
            + BitOperations.RotateLeft(lane3, 12) + BitOperations.RotateLeft(lane4, 18);
        hash = MergeLane(hash, lane1);
        hash = MergeLane(hash, lane2);
        hash = MergeLane(hash, lane3);
        return MergeLane(hash, lane4);
    }

    /// <summary>Folds the last 0–31 bytes in: 8 at a time, then 4, then one by one.</summary>
    private static ulong ConsumeTail(ReadOnlySpan<byte> tail, ulong hash)
    {
        while (tail.Length >= 8)
        {
            hash ^= Round(0, BinaryPrimitives.ReadUInt64LittleEndian(tail));
            hash = (BitOperations.RotateLeft(hash, 27) * Prime1) + Prime4;
            tail = tail[8..];
        }

        if (tail.Length >= 4)
        {
            hash ^= BinaryPrimitives.ReadUInt32LittleEndian(tail) * Prime1;
            hash = (BitOperations.RotateLeft(hash, 23) * Prime2) + Prime3;
            tail = tail[4..];
        }

        foreach (byte value in tail)
        {
            hash ^= value * Prime5;
            hash = BitOperations.RotateLeft(hash, 11) * Prime1;
        }

        return hash;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Round(ulong accumulator, ulong input)
    {
        accumulator += input * Prime2;
        return BitOperations.RotateLeft(accumulator, 31) * Prime1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong MergeLane(ulong hash, ulong lane)
    {
        hash ^= Round(0, lane);
        return (hash * Prime1) + Prime4;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Avalanche(ulong hash)
    {
        hash ^= hash >> 33;
        hash *= Prime2;
        hash ^= hash >> 29;
        hash *= Prime3;
        return hash ^ (hash >> 32);
    }
}
