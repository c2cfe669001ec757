using KubeCache.ClientContract.Resp;
using KubeCache.Protocol;

namespace KubeCache.Router.Resp;

/// <summary>What the router remembers about one client connection: CLIENT ID, the name given by CLIENT SETNAME or HELLO, and the protocol.</summary>
public sealed class RespClientState : IRespClient
{
    private long _id;

    public long Id => RespClientIds.Assign(ref _id);

    /// <summary>Whether the connection has presented a valid API key; true from the start when authentication is off.</summary>
    public bool Authenticated { get; set; }

    public bool AuthRequired { get; init; }

    public string? Name { get; set; }

    /// <summary>MULTI's queue and the WATCH connection.</summary>
    public RouterTransaction Transaction { get; } = new();

    /// <summary>The protocol chosen with HELLO; each reply is written in the one in force when its command was read.</summary>
    public RespProtocol Protocol { get; set; } = RespProtocol.Resp2;
}
