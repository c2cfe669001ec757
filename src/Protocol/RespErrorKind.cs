namespace KubeCache.Protocol;

/// <summary>Why a reader rejected its input. <see cref="RespReadError.Message"/> gives the wording.</summary>
public enum RespErrorKind
{
    /// <summary>No error.</summary>
    None,

    /// <summary>An array header is not an integer, or announces more than <see cref="RespLimits.MaxArrayLength"/> elements.</summary>
    InvalidMultibulkLength,

    /// <summary>A bulk header is not an integer, is negative, or announces more than <see cref="RespLimits.MaxBulkBytes"/>.</summary>
    InvalidBulkLength,

    /// <summary>A command argument does not start with <c>$</c>.</summary>
    ExpectedBulk,

    /// <summary>Bulk data is not followed by CRLF.</summary>
    BulkNotTerminated,

    /// <summary>An inline command line is longer than <see cref="RespLimits.MaxInlineBytes"/>.</summary>
    InlineTooLong,

    /// <summary>An inline command has an unterminated quote, or a closing quote not followed by a space.</summary>
    UnbalancedQuotes,

    /// <summary>A whole command frame exceeds <see cref="Array.MaxLength"/> bytes.</summary>
    RequestTooLarge,

    /// <summary>A reply starts with a byte that is not a type this reader knows.</summary>
    UnexpectedReplyType,

    /// <summary>An integer reply is not a 64-bit integer.</summary>
    InvalidInteger,

    /// <summary>A simple string or error reply has no CRLF within <see cref="RespLimits.MaxInlineBytes"/>.</summary>
    LineTooLong,

    /// <summary>A simple string or error reply has a CR that is not followed by LF.</summary>
    LineNotTerminated,

    /// <summary>Arrays in a reply are nested deeper than the reader allows.</summary>
    NestingTooDeep,

    /// <summary>A simple string or error reply holds an LF before its CRLF; such a line cannot be written back.</summary>
    LineFeedInLine,
}
