using System.Collections.Concurrent;

namespace KubeCache.Topology.Tests.Support;

/// <summary>
/// One million random 16-byte keys from a fixed seed, hashed once and shared by every
/// property test, so the ring's statistics are the same on every run and cheap to recompute.
/// </summary>
internal static class KeySample
{
    public const int Count = 1_000_000;

    private static readonly Lazy<ulong[]> LazyHashes = new(Create);
    private static readonly ConcurrentDictionary<int, Lazy<byte[]>> NodeOwners = new();

    public static ulong[] Hashes => LazyHashes.Value;

    /// <summary>
    /// The owner index of every sampled key in the ring of <see cref="Members.Nodes(int, int)"/>,
    /// computed once per count because the movement tests compare each size with the next.
    /// </summary>
    public static byte[] OwnersOfNodes(int count) =>
        NodeOwners.GetOrAdd(count, n => new Lazy<byte[]>(() => Owners(new Ring(Members.Nodes(n))))).Value;

    /// <summary>The owner index of every sampled key in <paramref name="ring"/> (at most 256 members).</summary>
    public static byte[] Owners(Ring ring)
    {
        Assert.InRange(ring.Members.Count, 1, 256);
        ulong[] hashes = Hashes;
        var owners = new byte[hashes.Length];
        Parallel.For(0, 4, part =>
        {
            int start = part * hashes.Length / 4;
            int end = (part + 1) * hashes.Length / 4;
            for (int i = start; i < end; i++)
            {
                owners[i] = (byte)ring.OwnerIndexOfHash(hashes[i]);
            }
        });
        return owners;
    }

    private static ulong[] Create()
    {
        var random = new Random(20240611);
        var key = new byte[16];
        var hashes = new ulong[Count];
        for (int i = 0; i < hashes.Length; i++)
        {
            random.NextBytes(key);
            hashes[i] = Ring.KeyHash(key);
        }

        return hashes;
    }
}
