using KubeCache.ClientContract.Resp;

namespace KubeCache.Router.Resp;

/// <summary>What the router remembers about one client connection: CLIENT ID and the name given by CLIENT SETNAME or HELLO.</summary>
public sealed class RespClientState : IRespClient
{
    private long _id;

    public long Id => RespClientIds.Assign(ref _id);

    /// <summary>Whether the connection has presented a valid API key; true from the start when authentication is off.</summary>
    public bool Authenticated { get; set; }

    public bool AuthRequired { get; init; }

    public string? Name { get; set; }
}
