using System.Globalization;
using System.Text;

namespace KubeCache.Protocol;

// Equality compares structure and bytes, so tests and clients can compare replies directly;
// ToString reads like redis-cli on one line.
public sealed partial class RespValue
{
    /// <inheritdoc/>
    public bool Equals(RespValue? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        return other is not null
            && Kind == other.Kind
            && IsNull == other.IsNull
            && _integer == other._integer
            && _bytes.Span.SequenceEqual(other._bytes.Span)
            && _items.AsSpan().SequenceEqual(other._items);
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as RespValue);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, IsNull, _integer, _bytes.Length, _items.Length);

    /// <summary>
    /// E.g. <c>OK</c>, <c>(error) ERR x</c>, <c>(integer) 5</c>, <c>"bulk\r\n"</c> (escaped),
    /// <c>(nil)</c>, <c>(nil array)</c>, <c>["a", (integer) 1]</c>; RESP3 kinds are marked, e.g.
    /// <c>(null)</c>, <c>(double) 1.5</c>, <c>(map) ["k", "v"]</c>.
    /// </summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        Append(builder);
        return builder.ToString();
    }

    private void Append(StringBuilder builder)
    {
        switch (Kind)
        {
            case RespValueKind.SimpleString:
                builder.Append(Encoding.UTF8.GetString(_bytes.Span));
                break;
            case RespValueKind.Error:
                builder.Append("(error) ").Append(Encoding.UTF8.GetString(_bytes.Span));
                break;
            case RespValueKind.Integer:
                builder.Append("(integer) ").Append(_integer.ToString(CultureInfo.InvariantCulture));
                break;
            case RespValueKind.BulkString when IsNull:
                builder.Append("(nil)");
                break;
            case RespValueKind.BulkString:
                AppendQuoted(builder, _bytes.Span);
                break;
            case RespValueKind.Array when IsNull:
                builder.Append("(nil array)");
                break;
            case RespValueKind.Null:
                builder.Append("(null)");
                break;
            case RespValueKind.Double:
                builder.Append("(double) ").Append(Encoding.ASCII.GetString(_bytes.Span));
                break;
            case RespValueKind.VerbatimString:
                builder.Append("(verbatim) ");
                AppendQuoted(builder, _bytes.Span);
                break;
            default:
                builder.Append(Kind switch { RespValueKind.Map => "(map) ", RespValueKind.Set => "(set) ", _ => "" }).Append('[');
                for (int i = 0; i < _items.Length; i++)
                {
                    builder.Append(i == 0 ? string.Empty : ", ");
                    _items[i].Append(builder);
                }

                builder.Append(']');
                break;
        }
    }

    // Printable ASCII as is; quotes, backslashes and everything else escaped as redis-cli does.
    private static void AppendQuoted(StringBuilder builder, ReadOnlySpan<byte> bytes)
    {
        builder.Append('"');
        foreach (byte b in bytes)
        {
            _ = b switch
            {
                (byte)'"' => builder.Append("\\\""),
                (byte)'\\' => builder.Append("\\\\"),
                (byte)'\r' => builder.Append("\\r"),
                (byte)'\n' => builder.Append("\\n"),
                (byte)'\t' => builder.Append("\\t"),
                >= 0x20 and < 0x7F => builder.Append((char)b),
                _ => builder.Append(CultureInfo.InvariantCulture, $"\\x{b:x2}"),
            };
        }

        builder.Append('"');
    }
}
