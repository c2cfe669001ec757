namespace KubeCache.Topology.Bench;

/// <summary>One lookup, as a struct so the timing loop calls it directly rather than through a delegate.</summary>
internal interface ILookup
{
    int Owner(ulong keyHash, int keyIndex);
}

internal readonly struct RendezvousLookup(Ring ring) : ILookup
{
    public int Owner(ulong keyHash, int keyIndex) => ring.OwnerIndexOfHash(keyHash);
}

internal readonly struct VnodeLookup(VnodeRing ring) : ILookup
{
    public int Owner(ulong keyHash, int keyIndex) => ring.OwnerIndexOfHash(keyHash);
}

/// <summary>The whole lookup a router does: XXH64 of the key's bytes, then the ring.</summary>
internal readonly struct KeyLookup(Ring ring, byte[][] keys) : ILookup
{
    public int Owner(ulong keyHash, int keyIndex) => ring.OwnerIndexOf(keys[keyIndex]);
}
