namespace KubeCache.Protocol;

/// <summary>
/// A protocol error found by a reader. The message is built only when asked for, so the error
/// path costs nothing until the server replies.
/// </summary>
public readonly struct RespReadError
{
    internal RespReadError(RespErrorKind kind, byte unexpectedByte = 0, bool overLimit = false)
    {
        Kind = kind;
        UnexpectedByte = unexpectedByte;
        OverLimit = overLimit;
    }

    /// <summary>What was wrong.</summary>
    public RespErrorKind Kind { get; }

    /// <summary>The offending byte for <see cref="RespErrorKind.ExpectedBulk"/> and <see cref="RespErrorKind.UnexpectedReplyType"/>; otherwise 0.</summary>
    public byte UnexpectedByte { get; }

    /// <summary>
    /// True when the frame is well formed but larger than a <see cref="RespLimits"/> bound (bulk
    /// length, array length, inline line), so servers can count limit hits apart from malformed input.
    /// </summary>
    public bool OverLimit { get; }

    /// <summary>
    /// Redis's wording, e.g. <c>Protocol error: invalid bulk length</c>, without the <c>ERR</c>
    /// prefix: a server replies <c>-ERR {Message}</c> and then closes the connection.
    /// </summary>
    public string Message => Kind switch
    {
        RespErrorKind.None => string.Empty,
        RespErrorKind.InvalidMultibulkLength => "Protocol error: invalid multibulk length",
        RespErrorKind.InvalidBulkLength => "Protocol error: invalid bulk length",
        RespErrorKind.ExpectedBulk => $"Protocol error: expected '$', got '{Printable(UnexpectedByte)}'",
        RespErrorKind.BulkNotTerminated => "Protocol error: expected CRLF after bulk data",
        RespErrorKind.InlineTooLong => "Protocol error: too big inline request",
        RespErrorKind.UnbalancedQuotes => "Protocol error: unbalanced quotes in request",
        RespErrorKind.RequestTooLarge => "Protocol error: too big request",
        RespErrorKind.UnexpectedReplyType => $"Protocol error: unexpected reply type '{Printable(UnexpectedByte)}'",
        RespErrorKind.InvalidInteger => "Protocol error: invalid integer",
        RespErrorKind.LineTooLong => "Protocol error: too big line",
        RespErrorKind.LineNotTerminated => "Protocol error: expected LF after CR",
        RespErrorKind.NestingTooDeep => "Protocol error: reply nested too deeply",
        RespErrorKind.LineFeedInLine => "Protocol error: LF inside a simple string or error",
        _ => $"Protocol error: {Kind}",
    };

    /// <inheritdoc/>
    public override string ToString() => Message;

    private static string Printable(byte value) =>
        value is >= 0x20 and < 0x7F ? ((char)value).ToString() : $"\\x{value:x2}";
}
