namespace KubeCache.Protocol;

/// <summary>The types a reply can have: RESP2's, and the RESP3 types KubeCache writes (written in their RESP2 shape to a RESP2 client).</summary>
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

    /// <summary>RESP3 <c>_</c>; RESP2 <c>$-1</c>.</summary>
    Null,

    /// <summary>RESP3 <c>,3.14</c>; RESP2 the number as a bulk string.</summary>
    Double,

    /// <summary>RESP3 <c>%2</c> followed by two keys and values (<see cref="RespValue.Items"/> holds them in turn); RESP2 an array of twice the length.</summary>
    Map,

    /// <summary>RESP3 <c>~2</c> followed by two values; RESP2 an array.</summary>
    Set,

    /// <summary>RESP3 <c>=8\r\ntxt:text</c> (format <c>txt</c>); RESP2 a bulk string of the text.</summary>
    VerbatimString,
}
