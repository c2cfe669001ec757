namespace KubeCache.Router.Resp;

/// <summary>What the router remembers about one client connection: CLIENT ID and the name given by CLIENT SETNAME or HELLO.</summary>
public sealed class RespClientState
{
    private static long s_nextId;
    private long _id;

    /// <summary>The connection's id, unique in this router process; assigned on first use.</summary>
    public long Id => _id != 0 ? _id : _id = Interlocked.Increment(ref s_nextId);

    /// <summary>The name given with CLIENT SETNAME or HELLO … SETNAME, or null.</summary>
    public string? Name { get; set; }
}
