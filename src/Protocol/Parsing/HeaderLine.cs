using System.Buffers;

namespace KubeCache.Protocol.Parsing;

/// <summary>
/// Reads the integer that follows a type byte (<c>*</c>, <c>$</c>, <c>:</c>) up to its CRLF.
/// Looks at no more than the longest valid line, so a peer that never sends CRLF is rejected
/// after a few bytes instead of being buffered.
/// </summary>
internal static class HeaderLine
{
    // Digits, sign and CRLF of the longest 64-bit integer.
    private const int MaxLineBytes = RespInteger.MaxLength + 2;

    /// <summary>
    /// On <see cref="RespReadStatus.Complete"/> the reader is past the CRLF. On
    /// <see cref="RespReadStatus.ProtocolError"/> the line is not a valid integer (or lacks CRLF).
    /// On <see cref="RespReadStatus.Incomplete"/> the reader has not moved.
    /// </summary>
    public static RespReadStatus TryRead(ref SequenceReader<byte> reader, out long value)
    {
        value = 0;
        Span<byte> copy = stackalloc byte[MaxLineBytes];
        scoped ReadOnlySpan<byte> window = reader.UnreadSpan;
        if (window.Length >= MaxLineBytes)
        {
            window = window[..MaxLineBytes];
        }
        else if (reader.Remaining > window.Length)
        {
            // The line continues in the next segment: gather its first bytes into one span.
            int length = (int)Math.Min(reader.Remaining, MaxLineBytes);
            reader.UnreadSequence.Slice(0, length).CopyTo(copy);
            window = copy[..length];
        }

        int cr = window.IndexOf((byte)'\r');
        if (cr < 0)
        {
            return window.Length >= MaxLineBytes ? RespReadStatus.ProtocolError : RespReadStatus.Incomplete;
        }

        if (cr + 1 == window.Length)
        {
            return RespReadStatus.Incomplete;
        }

        if (window[cr + 1] != (byte)'\n' || !RespInteger.TryParse(window[..cr], out value))
        {
            return RespReadStatus.ProtocolError;
        }

        reader.Advance(cr + 2);
        return RespReadStatus.Complete;
    }
}
