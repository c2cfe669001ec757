using KubeCache.Protocol;
using KubeCache.Router.Routing;

namespace KubeCache.Router.Resp;

/// <summary>
/// Commands about one key (argument 1), which its owner answers. During a
/// rebalance the new owner takes a key that has not reached it yet from the previous owner before
/// it runs the command, so the router sends every one of them to the owner alone.
/// </summary>
public sealed partial class RouterCommands
{
    private IEnumerable<RouterCommandSpec> KeyCommandSpecs() =>
    [
        new("GET", 2, ForwardToOwner, KeyAccess.ReadsKey),
        new("GETDEL", 2, ForwardToOwner, KeyAccess.WritesKey),
        new("SET", -3, ForwardToOwner, KeyAccess.WritesKey),
        new("PUT", 3, ForwardToOwner, KeyAccess.WritesKey),
        new("SETEX", 4, ForwardToOwner, KeyAccess.WritesKey),
        new("PSETEX", 4, ForwardToOwner, KeyAccess.WritesKey),
        new("SETNX", 3, ForwardToOwner, KeyAccess.WritesKey),
        new("GETEX", -2, ForwardToOwner, KeyAccess.WritesKey),
        new("APPEND", 3, ForwardToOwner, KeyAccess.WritesKey),
        new("STRLEN", 2, ForwardToOwner, KeyAccess.ReadsKey),
        new("INCR", 2, ForwardToOwner, KeyAccess.WritesKey),
        new("INCRBY", 3, ForwardToOwner, KeyAccess.WritesKey),
        new("DECR", 2, ForwardToOwner, KeyAccess.WritesKey),
        new("DECRBY", 3, ForwardToOwner, KeyAccess.WritesKey),
        new("EXPIRE", -3, ForwardToOwner, KeyAccess.WritesKey),
        new("PEXPIRE", -3, ForwardToOwner, KeyAccess.WritesKey),
        new("EXPIREAT", -3, ForwardToOwner, KeyAccess.WritesKey),
        new("PEXPIREAT", -3, ForwardToOwner, KeyAccess.WritesKey),
        new("TTL", 2, ForwardToOwner, KeyAccess.ReadsKey),
        new("PTTL", 2, ForwardToOwner, KeyAccess.ReadsKey),
        new("EXPIRETIME", 2, ForwardToOwner, KeyAccess.ReadsKey),
        new("PEXPIRETIME", 2, ForwardToOwner, KeyAccess.ReadsKey),
        new("PERSIST", 2, ForwardToOwner, KeyAccess.WritesKey),
        new("TYPE", 2, ForwardToOwner, KeyAccess.ReadsKey),
        new("INCRBYFLOAT", 3, ForwardToOwner, KeyAccess.WritesKey),
        new("GETSET", 3, ForwardToOwner, KeyAccess.WritesKey),
        new("GETRANGE", 4, ForwardToOwner, KeyAccess.ReadsKey),
        new("SUBSTR", 4, ForwardToOwner, KeyAccess.ReadsKey),
        new("SETRANGE", 4, ForwardToOwner, KeyAccess.WritesKey),
        new("SETBIT", 4, ForwardToOwner, KeyAccess.WritesKey),
        new("GETBIT", 3, ForwardToOwner, KeyAccess.ReadsKey),
        new("BITCOUNT", -2, ForwardToOwner, KeyAccess.ReadsKey),
        new("BITPOS", -3, ForwardToOwner, KeyAccess.ReadsKey),
        // OBJECT's and MEMORY's key follows the subcommand; their HELP has none, and any node answers it.
        new("OBJECT", -2, (c, _, t) => _router.ForwardAsync(c, t, keyIndex: c.Count > 2 ? 2 : 1), KeyAccess.ReadsKeys),
        new("MEMORY", -2, (c, _, t) => _router.ForwardAsync(c, t, keyIndex: c.Count > 2 ? 2 : 1), KeyAccess.ReadsKeys),
    ];

    /// <summary>Forwards the command to its key's owner; a redirect is followed by the batch's writer (<see cref="RespClientState.Forwarded"/>).</summary>
    private ValueTask<RespValue> ForwardToOwner(RespCommand command, RespClientState client, CancellationToken cancellationToken)
    {
        ValueTask<RespValue> reply = _router.Forward(command, out Forwarded? forwarded, cancellationToken);
        client.Forwarded = forwarded;
        return reply;
    }
}
