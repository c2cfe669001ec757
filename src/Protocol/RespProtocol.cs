namespace KubeCache.Protocol;

/// <summary>The protocol a connection speaks, as chosen with HELLO: RESP2 until the client asks for RESP3.</summary>
public enum RespProtocol
{
    /// <summary>RESP2: nil as <c>$-1</c> or <c>*-1</c>, maps as flat arrays, doubles and verbatim text as bulk strings.</summary>
    Resp2 = 2,

    /// <summary>RESP3: null as <c>_</c>, maps as <c>%</c>, sets as <c>~</c>, doubles as <c>,</c>, verbatim strings as <c>=</c>.</summary>
    Resp3 = 3,
}
