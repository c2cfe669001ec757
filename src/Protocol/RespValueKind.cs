namespace KubeCache.Protocol;

/// <summary>The RESP2 types a reply can have.</summary>
public enum RespValueKind
{
    /// <summary><c>+text</c></summary>
    SimpleString,

    /// <summary><c>-CODE message</c></summary>
    Error,

    /// <summary><c>:123</c></summary>
    Integer,

    /// <summary><c>$3\r\nabc</c>, or nil as <c>$-1</c>.</summary>
    BulkString,

    /// <summary><c>*2</c> followed by two values, or nil as <c>*-1</c>.</summary>
    Array,
}
