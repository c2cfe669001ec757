using KubeCache.Protocol;
using KubeCache.Router.Routing;
using KubeCache.Topology;

namespace KubeCache.Router.Resp;

/// <summary>Commands about one key (argument 1), which its owner answers (DESIGN §4, §6).</summary>
public sealed partial class RouterCommands
{
    private IEnumerable<RouterCommandSpec> KeyCommandSpecs() =>
    [
        new("GET", 2, Get, KeyAccess.ReadsKey),
        new("GETDEL", 2, GetDelete, KeyAccess.WritesKey),
        // Writes that replace the value go to the new owner only; a stale copy at the previous
        // owner is dropped by its handoff ("set if absent" loses to the newer value).
        new("SET", -3, Set, KeyAccess.WritesKey),
        new("PUT", 3, ForwardToOwner, KeyAccess.WritesKey),
        new("SETEX", 4, ForwardToOwner, KeyAccess.WritesKey),
        new("PSETEX", 4, ForwardToOwner, KeyAccess.WritesKey),
        // Commands that read or change the existing value first bring a key that has not been
        // handed off yet to its new owner, as a GET would.
        new("SETNX", 3, ForwardRepairing, KeyAccess.WritesKey),
        new("GETEX", -2, ForwardRepairing, KeyAccess.WritesKey),
        new("APPEND", 3, ForwardRepairing, KeyAccess.WritesKey),
        new("STRLEN", 2, ForwardRepairing, KeyAccess.ReadsKey),
        new("INCR", 2, ForwardRepairing, KeyAccess.WritesKey),
        new("INCRBY", 3, ForwardRepairing, KeyAccess.WritesKey),
        new("DECR", 2, ForwardRepairing, KeyAccess.WritesKey),
        new("DECRBY", 3, ForwardRepairing, KeyAccess.WritesKey),
        new("EXPIRE", -3, ForwardRepairing, KeyAccess.WritesKey),
        new("PEXPIRE", -3, ForwardRepairing, KeyAccess.WritesKey),
        new("EXPIREAT", -3, ForwardRepairing, KeyAccess.WritesKey),
        new("PEXPIREAT", -3, ForwardRepairing, KeyAccess.WritesKey),
        new("TTL", 2, ForwardRepairing, KeyAccess.ReadsKey),
        new("PTTL", 2, ForwardRepairing, KeyAccess.ReadsKey),
        new("EXPIRETIME", 2, ForwardRepairing, KeyAccess.ReadsKey),
        new("PEXPIRETIME", 2, ForwardRepairing, KeyAccess.ReadsKey),
        new("PERSIST", 2, ForwardRepairing, KeyAccess.WritesKey),
        new("TYPE", 2, ForwardRepairing, KeyAccess.ReadsKey),
    ];

    private ValueTask<RespValue> ForwardToOwner(RespCommand command, RespClientState client, CancellationToken cancellationToken) =>
        _router.SendAsync(_router.OwnerOf(command[1]), command, cancellationToken);

    /// <summary>SET with options (NX, XX, GET, KEEPTTL) depends on the current value, so it repairs first, as SETNX does.</summary>
    private ValueTask<RespValue> Set(RespCommand command, RespClientState client, CancellationToken cancellationToken) =>
        command.Count > 3 ? ForwardRepairing(command, client, cancellationToken) : ForwardToOwner(command, client, cancellationToken);

    /// <summary>GET: straight to the owner, with the fallback read (and read-repair) while a rebalance moves the key.</summary>
    private ValueTask<RespValue> Get(RespCommand command, RespClientState client, CancellationToken cancellationToken)
    {
        Routes routes = _router.CurrentRoutes;
        RingMember owner = routes.Ring.OwnerOf(command[1]);
        return KeyRouter.PreviousOwnerOf(routes, command[1], owner) is null
            ? _router.SendAsync(owner, command, cancellationToken)
            : _router.GetAsync(command[1].ToArray(), cancellationToken);
    }

    /// <summary>GETDEL: while a rebalance moves the key, at both owners, so the previous one cannot hand it back.</summary>
    private ValueTask<RespValue> GetDelete(RespCommand command, RespClientState client, CancellationToken cancellationToken)
    {
        Routes routes = _router.CurrentRoutes;
        RingMember owner = routes.Ring.OwnerOf(command[1]);
        return KeyRouter.PreviousOwnerOf(routes, command[1], owner) is null
            ? _router.SendAsync(owner, command, cancellationToken)
            : _router.GetDeleteAsync(command[1].ToArray(), cancellationToken);
    }

    private ValueTask<RespValue> ForwardRepairing(RespCommand command, RespClientState client, CancellationToken cancellationToken)
    {
        Routes routes = _router.CurrentRoutes;
        RingMember owner = routes.Ring.OwnerOf(command[1]);
        return KeyRouter.PreviousOwnerOf(routes, command[1], owner) is null
            ? _router.SendAsync(owner, command, cancellationToken)
            : RepairThenSendAsync(owner, CopyArguments(command), cancellationToken);
    }

    private async ValueTask<RespValue> RepairThenSendAsync(RingMember owner, ReadOnlyMemory<byte>[] command, CancellationToken cancellationToken)
    {
        await _router.GetAsync(command[1].ToArray(), cancellationToken).ConfigureAwait(false);
        return await _router.SendAsync(owner, command, cancellationToken).ConfigureAwait(false);
    }
}
