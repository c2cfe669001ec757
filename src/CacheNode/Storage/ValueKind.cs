using System.Text;

namespace KubeCache.CacheNode.Storage;

/// <summary>What an entry's value holds; commands of one kind answer WRONGTYPE on the other, as in Redis.</summary>
public enum ValueKind
{
    /// <summary>A byte string (GET, SET and the rest of the string family).</summary>
    String = 0,

    /// <summary>A hash: field-value pairs encoded by <see cref="HashFields"/> (HSET, HGET…), large ones in a <see cref="SegmentedHash"/>.</summary>
    Hash = 1,
}

/// <summary>The names TYPE answers, which the handoff commands carry between nodes too.</summary>
public static class ValueKindNames
{
    private static readonly byte[] s_string = "string"u8.ToArray();
    private static readonly byte[] s_hash = "hash"u8.ToArray();

    public static ReadOnlyMemory<byte> Of(ValueKind kind) => kind == ValueKind.Hash ? s_hash : s_string;

    /// <summary>Reads a name TYPE answers (case-insensitive, as SCAN's TYPE takes it); false for any other.</summary>
    public static bool TryParse(ReadOnlySpan<byte> name, out ValueKind kind)
    {
        kind = Ascii.EqualsIgnoreCase(name, "hash"u8) ? ValueKind.Hash : ValueKind.String;
        return kind == ValueKind.Hash || Ascii.EqualsIgnoreCase(name, "string"u8);
    }
}
