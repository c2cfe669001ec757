using System.Globalization;

namespace KubeCache.Operator.Reconcile;

/// <summary>What a node reports of its memory on <c>GET /stats</c>.</summary>
/// <param name="UsedBytes">Bytes charged to its entries now.</param>
/// <param name="CapacityBytes">Its byte budget (<c>--max-memory</c>).</param>
public sealed record NodeBytes(long UsedBytes, long CapacityBytes);

/// <summary>Why a node cannot be taken out of the ring: the others could not hold its keys.</summary>
/// <param name="Leaving">The node the rollout would replace.</param>
/// <param name="LeavingBytes">The bytes it holds now.</param>
/// <param name="ShareBytes">What each remaining node would take on: its bytes divided among them, rounded up.</param>
/// <param name="Tightest">The remaining node with the least room left (or whose figures could not be read).</param>
/// <param name="TightestMemory">That node's figures; null when it did not answer <c>/stats</c>.</param>
public sealed record RoomShortfall(string Leaving, long LeavingBytes, long ShareBytes, string Tightest, NodeBytes? TightestMemory)
{
    /// <summary>The byte budget each node needs for the step to go ahead.</summary>
    public long NeededCapacityBytes => (TightestMemory?.UsedBytes ?? 0) + ShareBytes;

    /// <summary>For people: the figures and what to change.</summary>
    public string Describe() => TightestMemory is not { } tight
        ? $"{Leaving} is not taken out of the ring: {Tightest} does not report its memory on /stats, so whether it can hold {Leaving}'s keys is unknown."
        : string.Create(CultureInfo.InvariantCulture,
            $"{Leaving} is not taken out of the ring: it holds {LeavingBytes} bytes, about {ShareBytes} more for each remaining node, but {Tightest} has {tight.UsedBytes} of its {tight.CapacityBytes} bytes (maxMemory) in use and would need {NeededCapacityBytes}. ")
            + "Add nodes with spec.replicas (the keys spread thinner) or free memory; the rollout starts once the others have room. "
            + "A larger spec.maxMemory is itself a rollout and needs the same room.";
}

/// <summary>
/// The memory precondition of a warm rollout step: while a node is out of the ring, the others
/// hold its keys — each about 1/(n−1) of them more. A step whose keys would not fit is refused
/// before the ring changes, so a rollout never evicts keys to make room for a handoff.
/// </summary>
public static class RolloutRoom
{
    /// <summary>
    /// Null when every one of <paramref name="candidates"/> (the nodes the rollout still has to
    /// replace, the next one first) could leave with its keys held by the others; otherwise the
    /// first shortfall. Checking them all before the first step is what keeps a rollout from
    /// stopping half-way for want of room, at the figures of now.
    /// </summary>
    public static RoomShortfall? Check(IEnumerable<string> candidates, IReadOnlyDictionary<string, NodeBytes?> memory) =>
        candidates.Select(c => Check(c, memory)).FirstOrDefault(s => s is not null);

    /// <summary>
    /// Null when every member other than <paramref name="leaving"/> can take its share of
    /// <paramref name="leaving"/>'s bytes within its budget; otherwise the tightest member's shortfall.
    /// A member whose figures are unknown (null) has no room known, and refuses.
    /// </summary>
    /// <param name="leaving">The node to take out.</param>
    /// <param name="memory">Every ring member's figures by name, <paramref name="leaving"/>'s included.</param>
    public static RoomShortfall? Check(string leaving, IReadOnlyDictionary<string, NodeBytes?> memory)
    {
        ArgumentNullException.ThrowIfNull(memory);
        List<KeyValuePair<string, NodeBytes?>> others = [.. memory.Where(m => m.Key != leaving).OrderBy(m => m.Key, StringComparer.Ordinal)];
        if (others.Count == 0)
        {
            return null;
        }

        long leavingBytes = memory.GetValueOrDefault(leaving)?.UsedBytes ?? 0;
        long share = (leavingBytes + others.Count - 1) / others.Count;
        if (!memory.TryGetValue(leaving, out NodeBytes? own) || own is null)
        {
            return new RoomShortfall(leaving, 0, 0, leaving, null);
        }

        if (others.FirstOrDefault(m => m.Value is null) is { Key: not null } unknown)
        {
            return new RoomShortfall(leaving, leavingBytes, share, unknown.Key, null);
        }

        KeyValuePair<string, NodeBytes?> tightest = others.MinBy(m => m.Value!.CapacityBytes - m.Value.UsedBytes);
        return tightest.Value!.UsedBytes + share <= tightest.Value.CapacityBytes
            ? null
            : new RoomShortfall(leaving, leavingBytes, share, tightest.Key, tightest.Value);
    }
}
