using System.Collections.Frozen;
using System.Text;

namespace KubeCache.ClientContract.Resp;

/// <summary>How nodes and routers find a command in their tables by its name as it came off the wire, in any case, without allocating.</summary>
public static class CommandNames
{
    /// <summary>Longest command name looked up; longer names are unknown by definition: 32 bytes.</summary>
    public const int MaxLength = 32;

    /// <summary>The command named <paramref name="name"/>, or null when the table has none.</summary>
    public static TSpec? Find<TSpec>(this FrozenDictionary<string, TSpec>.AlternateLookup<ReadOnlySpan<char>> table, ReadOnlySpan<byte> name)
        where TSpec : class
    {
        if (name.Length > MaxLength)
        {
            return null;
        }

        Span<char> chars = stackalloc char[MaxLength];
        int length = Encoding.Latin1.GetChars(name, chars);
        return table.TryGetValue(chars[..length], out TSpec? spec) ? spec : null;
    }
}
