namespace KubeCache.Router.Resp;

/// <summary>What the router remembers about one client connection: CLIENT ID and the name given by CLIENT SETNAME or HELLO.</summary>
public sealed class RespClientState
{
    private static long s_nextId;
    private long _id;

    /// <summary>The connection's id, unique in this router process; assigned on first use.</summary>
    public long Id => _id != 0 ? _id : _id = Interlocked.Increment(ref s_nextId);

    /// <summary>Whether the connection has presented a valid API key; true from the start when authentication is off.</summary>
    public bool Authenticated { get; set; }

    /// <summary>True when a keys file is configured: HELLO then takes AUTH arguments (checked before it runs).</summary>
    public bool AuthRequired { get; init; }

    /// <summary>The name given with CLIENT SETNAME or HELLO … SETNAME, or null.</summary>
    public string? Name { get; set; }
}
