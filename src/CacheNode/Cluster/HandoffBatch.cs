using KubeCache.CacheNode.Storage;

namespace KubeCache.CacheNode.Cluster;

/// <summary>
/// One handed-off entry: key, value, its kind and absolute expiry (Unix ms, 0 for none).
/// <paramref name="Given"/>: a copy given to a take, no longer in this store, sent in case the take's answer was lost.
/// </summary>
internal readonly record struct HandoffItem(byte[] Key, ReadOnlyMemory<byte> Value, ValueKind Kind, long ExpiresAtUnixMs, bool Given = false)
{
    /// <summary>
    /// Most bytes the item takes as <c>KVHANDOFF key value expiresAt kind</c> on the wire: key and
    /// value plus at most 80 bytes of RESP framing, command name, expiry digits and kind.
    /// </summary>
    public long WireBytes => Key.Length + Value.Length + 80L;
}

/// <summary>What the new owner did with one handed-off entry.</summary>
internal enum HandoffOutcome
{
    /// <summary>Stored.</summary>
    Stored,

    /// <summary>Not stored because the new owner holds a newer value or saw a delete; this copy is obsolete.</summary>
    Skipped,

    /// <summary>Not stored because the new owner had no room for it without evicting its own keys (an <c>-OOM</c> reply).</summary>
    NoRoom,
}

/// <summary>The entries waiting to go to one new owner, with their size on the wire.</summary>
internal sealed class HandoffBatch
{
    private readonly List<HandoffItem> _items = [];

    public IReadOnlyList<HandoffItem> Items => _items;

    /// <summary>Most bytes the batch takes on the wire.</summary>
    public long WireBytes { get; private set; }

    /// <summary>Whether <paramref name="item"/> can join without the batch passing <paramref name="maxBytes"/>; an empty batch takes any item.</summary>
    public bool Fits(HandoffItem item, long maxBytes) => _items.Count == 0 || WireBytes + item.WireBytes <= maxBytes;

    public void Add(HandoffItem item)
    {
        _items.Add(item);
        WireBytes += item.WireBytes;
    }

    /// <summary>Removes the entries <paramref name="gone"/> picks (no longer held here) and returns how many.</summary>
    public int RemoveGone(Predicate<HandoffItem> gone)
    {
        int removed = _items.RemoveAll(gone);
        WireBytes = _items.Sum(item => item.WireBytes);
        return removed;
    }

    public void Clear()
    {
        _items.Clear();
        WireBytes = 0;
    }
}
