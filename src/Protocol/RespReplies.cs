namespace KubeCache.Protocol;

/// <summary>
/// The most frequent replies, preformatted; write them with
/// <c>writer.Write(RespReplies.Ok)</c>. The bytes live in the assembly's data, so reading a
/// property allocates nothing.
/// </summary>
public static class RespReplies
{
    /// <summary><c>+OK\r\n</c></summary>
    public static ReadOnlySpan<byte> Ok => "+OK\r\n"u8;

    /// <summary><c>+PONG\r\n</c></summary>
    public static ReadOnlySpan<byte> Pong => "+PONG\r\n"u8;

    /// <summary><c>$-1\r\n</c>, the reply for a missing key.</summary>
    public static ReadOnlySpan<byte> NullBulkString => "$-1\r\n"u8;

    /// <summary><c>_\r\n</c>, RESP3's null.</summary>
    public static ReadOnlySpan<byte> Null => "_\r\n"u8;

    /// <summary><c>*-1\r\n</c></summary>
    public static ReadOnlySpan<byte> NullArray => "*-1\r\n"u8;

    /// <summary><c>*0\r\n</c></summary>
    public static ReadOnlySpan<byte> EmptyArray => "*0\r\n"u8;

    /// <summary><c>:0\r\n</c></summary>
    public static ReadOnlySpan<byte> Zero => ":0\r\n"u8;

    /// <summary><c>:1\r\n</c></summary>
    public static ReadOnlySpan<byte> One => ":1\r\n"u8;
}
