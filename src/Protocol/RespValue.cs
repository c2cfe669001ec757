using System.Globalization;
using System.Text;

namespace KubeCache.Protocol;

/// <summary>
/// One reply, immutable, as read by <see cref="RespReplyReader"/> or built with the
/// factory methods. Meant for clients and tests, so it owns copies of its bytes.
/// </summary>
public sealed partial class RespValue : IEquatable<RespValue>
{
    private readonly ReadOnlyMemory<byte> _bytes;
    private readonly long _integer;
    private readonly RespValue[] _items;

    private RespValue(RespValueKind kind, bool isNull, ReadOnlyMemory<byte> bytes, long integer, RespValue[] items)
    {
        Kind = kind;
        IsNull = isNull;
        _bytes = bytes;
        _integer = integer;
        _items = items;
    }

    /// <summary>Nil bulk string, <c>$-1</c>.</summary>
    public static RespValue NullBulkString { get; } = new(RespValueKind.BulkString, true, default, 0, []);

    /// <summary>Nil array, <c>*-1</c>.</summary>
    public static RespValue NullArray { get; } = new(RespValueKind.Array, true, default, 0, []);

    /// <summary>RESP3 null, <c>_</c>: what a RESP3 client gets for every nil.</summary>
    public static RespValue Null { get; } = new(RespValueKind.Null, true, default, 0, []);

    /// <summary><c>+OK</c>, shared: the reply of most writes, which <see cref="RespReplyReader"/> returns without a copy of its own.</summary>
    public static RespValue Ok { get; } = new(RespValueKind.SimpleString, false, "OK"u8.ToArray(), 0, []);

    /// <summary>The type.</summary>
    public RespValueKind Kind { get; }

    /// <summary>Whether this is a nil bulk string, nil array or RESP3 null.</summary>
    public bool IsNull { get; }

    /// <summary>Whether this is an error reply (<c>-ERR ...</c>).</summary>
    public bool IsError => Kind == RespValueKind.Error;

    /// <summary>The bytes of a simple string, error, bulk or verbatim string, or a double's text; empty for other kinds and nil.</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes;

    /// <summary>The elements of an array or set, or a map's keys and values in turn; empty for nil arrays and for other kinds.</summary>
    public IReadOnlyList<RespValue> Items => _items;

    /// <summary>A simple string; it must not contain CR or LF to survive a round trip.</summary>
    public static RespValue SimpleString(string text) =>
        new(RespValueKind.SimpleString, false, Encoding.UTF8.GetBytes(text), 0, []);

    /// <summary>An error reply, e.g. <c>ERR syntax error</c>.</summary>
    public static RespValue Error(string message) =>
        new(RespValueKind.Error, false, Encoding.UTF8.GetBytes(message), 0, []);

    /// <summary>An integer reply.</summary>
    public static RespValue Integer(long value) =>
        new(RespValueKind.Integer, false, default, value, []);

    /// <summary>A bulk string holding <paramref name="bytes"/>, which it does not copy.</summary>
    public static RespValue BulkString(ReadOnlyMemory<byte> bytes) =>
        new(RespValueKind.BulkString, false, bytes, 0, []);

    /// <summary>A bulk string holding <paramref name="text"/> as UTF-8.</summary>
    public static RespValue BulkString(string text) =>
        new(RespValueKind.BulkString, false, Encoding.UTF8.GetBytes(text), 0, []);

    /// <summary>An array of <paramref name="items"/>, which it copies.</summary>
    public static RespValue Array(params ReadOnlySpan<RespValue> items)
    {
        foreach (RespValue item in items)
        {
            ArgumentNullException.ThrowIfNull(item, nameof(items));
        }

        return new(RespValueKind.Array, false, default, 0, items.ToArray());
    }

    /// <summary>A map of <paramref name="keysAndValues"/> (key, value, key, value…), which it copies.</summary>
    /// <exception cref="ArgumentException">An odd number of items.</exception>
    public static RespValue Map(params ReadOnlySpan<RespValue> keysAndValues)
    {
        if (keysAndValues.Length % 2 != 0)
        {
            ThrowHelper.ThrowArgument(nameof(keysAndValues), "A map holds a value for every key.");
        }

        return WithItems(RespValueKind.Map, keysAndValues);
    }

    /// <summary>A set of <paramref name="items"/>, which it copies.</summary>
    public static RespValue Set(params ReadOnlySpan<RespValue> items) => WithItems(RespValueKind.Set, items);

    /// <summary>A double; RESP3 writes it as <c>,text</c> (<c>inf</c>, <c>-inf</c>, <c>nan</c> included), RESP2 as a bulk string.</summary>
    public static RespValue Double(double value) =>
        new(RespValueKind.Double, false, Encoding.ASCII.GetBytes(FormatDouble(value)), 0, []);

    /// <summary>A verbatim string of format <c>txt</c> holding <paramref name="text"/> as UTF-8 (INFO's reply in RESP3).</summary>
    public static RespValue VerbatimString(string text) =>
        new(RespValueKind.VerbatimString, false, Encoding.UTF8.GetBytes(text), 0, []);

    // Redis's spelling: the shortest text that reads back the same, and inf, -inf, nan.
    private static string FormatDouble(double value) =>
        double.IsNaN(value) ? "nan"
        : double.IsPositiveInfinity(value) ? "inf"
        : double.IsNegativeInfinity(value) ? "-inf"
        : value.ToString("R", CultureInfo.InvariantCulture).ToLowerInvariant();

    private static RespValue WithItems(RespValueKind kind, ReadOnlySpan<RespValue> items)
    {
        foreach (RespValue item in items)
        {
            ArgumentNullException.ThrowIfNull(item, nameof(items));
        }

        return new(kind, false, default, 0, items.ToArray());
    }

    internal static RespValue FromParts(RespValueKind kind, byte[] bytes) => new(kind, false, bytes, 0, []);

    internal static RespValue FromItems(RespValue[] items, RespValueKind kind = RespValueKind.Array) => new(kind, false, default, 0, items);

    /// <summary>
    /// The text of a simple string, error, bulk or verbatim string (UTF-8), a double, or an integer in decimal;
    /// null for nil.
    /// </summary>
    /// <exception cref="InvalidOperationException">The value is a non-nil array, map or set.</exception>
    public string? AsString() => Kind switch
    {
        _ when IsNull => null,
        RespValueKind.Integer => _integer.ToString(CultureInfo.InvariantCulture),
        RespValueKind.Array or RespValueKind.Map or RespValueKind.Set => ThrowHelper.ThrowInvalidOperation<string>("An aggregate reply has no string value; use Items."),
        _ => Encoding.UTF8.GetString(_bytes.Span),
    };

    /// <summary>
    /// An integer reply's value, or a simple or bulk string parsed with <see cref="RespInteger.TryParse"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The value is not an integer.</exception>
    public long AsInt64()
    {
        if (Kind == RespValueKind.Integer)
        {
            return _integer;
        }

        if (Kind is RespValueKind.SimpleString or RespValueKind.BulkString && !IsNull
            && RespInteger.TryParse(_bytes.Span, out long value))
        {
            return value;
        }

        return ThrowHelper.ThrowInvalidOperation<long>($"The reply {this} is not an integer.");
    }
}
