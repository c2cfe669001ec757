using KubeCache.Protocol;

namespace KubeCache.Router.Resp;

/// <summary>
/// The hash family: each command is about one key, which its owner answers (see
/// <see cref="KeyCommandSpecs"/>). Nodes answer the router in RESP2, so the replies RESP3 shapes
/// differently are rebuilt here for the client's protocol.
/// </summary>
public sealed partial class RouterCommands
{
    private IEnumerable<RouterCommandSpec> HashCommandSpecs() =>
    [
        new("HGET", 3, ForwardToOwner, KeyAccess.ReadsKey),
        new("HMGET", -3, ForwardToOwner, KeyAccess.ReadsKey),
        new("HGETALL", 2, ForwardToOwner, KeyAccess.ReadsKey) { Shape = (reply, _, _) => Pairs(reply, RespValueKind.Map) },
        new("HKEYS", 2, ForwardToOwner, KeyAccess.ReadsKey),
        new("HVALS", 2, ForwardToOwner, KeyAccess.ReadsKey),
        new("HLEN", 2, ForwardToOwner, KeyAccess.ReadsKey),
        new("HEXISTS", 3, ForwardToOwner, KeyAccess.ReadsKey),
        new("HSTRLEN", 3, ForwardToOwner, KeyAccess.ReadsKey),
        new("HSCAN", -3, ForwardToOwner, KeyAccess.ReadsKey),
        // HRANDFIELD key count WITHVALUES (four arguments; any other fourth is refused by the node) answers a pair per field in RESP3.
        new("HRANDFIELD", -2, ForwardToOwner, KeyAccess.ReadsKey)
        {
            Shape = (reply, count, protocol) => count == 4 && protocol == RespProtocol.Resp3 ? Pairs(reply, RespValueKind.Array) : reply,
        },
        new("HSET", -4, ForwardToOwner, KeyAccess.WritesKey),
        new("HMSET", -4, ForwardToOwner, KeyAccess.WritesKey),
        new("HSETNX", 4, ForwardToOwner, KeyAccess.WritesKey),
        new("HDEL", -3, ForwardToOwner, KeyAccess.WritesKey),
        new("HINCRBY", 4, ForwardToOwner, KeyAccess.WritesKey),
        new("HINCRBYFLOAT", 4, ForwardToOwner, KeyAccess.WritesKey),
    ];

    /// <summary>
    /// A flat RESP2 array of fields and values as RESP3 has it: a map (HGETALL, written flat again
    /// to a RESP2 client), or an array of two-element arrays (HRANDFIELD … WITHVALUES).
    /// </summary>
    private static RespValue Pairs(RespValue reply, RespValueKind kind)
    {
        if (reply is not { Kind: RespValueKind.Array, IsNull: false } || reply.Items.Count % 2 != 0)
        {
            return reply;
        }

        return kind == RespValueKind.Map
            ? RespValue.Map([.. reply.Items])
            : RespValue.Array([.. reply.Items.Chunk(2).Select(pair => RespValue.Array(pair))]);
    }
}
