using KubeCache.Protocol;
using KubeCache.Router.Routing;
using KubeCache.Router.Upstream;
using KubeCache.Topology;

namespace KubeCache.Router.Resp;

/// <summary>
/// Multi-key commands (MGET, MSET, DEL, UNLINK, EXISTS): split into one sub-command per owner,
/// all sent at once, and merged back in request order. A command whose keys all have one owner
/// is forwarded as it is.
/// </summary>
public sealed partial class RouterCommands
{
    private static readonly ReadOnlyMemory<byte> MGetName = "MGET"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> MSetName = "MSET"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> DelName = "DEL"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> UnlinkName = "UNLINK"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> ExistsName = "EXISTS"u8.ToArray();
    private static readonly RespValue Ok = RespValue.SimpleString("OK");
    private static readonly RespValue MSetWrongArity = RouterRespErrors.WrongArity("mset");

    private IEnumerable<RouterCommandSpec> MultiKeyCommandSpecs() =>
    [
        new("MGET", -2, MGet, KeyAccess.ReadsKeys),
        new("MSET", -3, MSet, KeyAccess.WritesPairs),
        new("DEL", -2, (c, _, t) => CountKeys(c, DelName, delete: true, t), KeyAccess.WritesKeys),
        new("UNLINK", -2, (c, _, t) => CountKeys(c, UnlinkName, delete: true, t), KeyAccess.WritesKeys),
        new("EXISTS", -2, (c, _, t) => CountKeys(c, ExistsName, delete: false, t), KeyAccess.ReadsKeys),
    ];

    /// <summary>The one owner of every key at 1, 1+stride…, or null when they have several.</summary>
    private static RingMember? SingleOwner(Ring ring, RespCommand command, int stride)
    {
        int owner = ring.OwnerIndexOf(command[1]);
        for (int i = 1 + stride; i < command.Count; i += stride)
        {
            if (ring.OwnerIndexOf(command[i]) != owner)
            {
                return null;
            }
        }

        return ring.Members[owner];
    }

    private ValueTask<RespValue> MGet(RespCommand command, RespClientState client, CancellationToken cancellationToken)
    {
        Routes routes = _router.CurrentRoutes;
        return routes.Previous is null && SingleOwner(routes.Ring, command, 1) is { } owner
            ? _router.SendAsync(owner, command, cancellationToken)
            : MGetAsync(routes, CopyArguments(command, 1), cancellationToken);
    }

    private async ValueTask<RespValue> MGetAsync(Routes routes, ReadOnlyMemory<byte>[] keys, CancellationToken cancellationToken)
    {
        List<KeyGroup> groups = KeyGroup.ByOwner(routes.Ring, keys, stride: 1);
        var sends = new ValueTask<RespValue>[groups.Count];
        for (int g = 0; g < groups.Count; g++)
        {
            sends[g] = _router.SendAsync(groups[g].Owner, groups[g].Command(MGetName, keys, width: 1), cancellationToken);
        }

        var values = new RespValue[keys.Length];
        RespValue? failure = null;
        for (int g = 0; g < groups.Count; g++)
        {
            RespValue reply = await ReplyOrErrorAsync(sends[g]).ConfigureAwait(false);
            List<int> positions = groups[g].Positions;
            if (reply.IsError || reply.Items.Count != positions.Count)
            {
                failure ??= reply.IsError ? reply : RouterRespErrors.MalformedNodeReply("MGET");
                continue;
            }

            for (int i = 0; i < positions.Count; i++)
            {
                values[positions[i]] = reply.Items[i];
            }
        }

        if (failure is not null)
        {
            return failure;
        }

        return routes.Previous is null ? RespValue.Array(values) : await FallBackForMissesAsync(routes, keys, values, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>During a rebalance, the keys MGET missed that may still be at their previous owner are read as GET reads them.</summary>
    private async ValueTask<RespValue> FallBackForMissesAsync(Routes routes, ReadOnlyMemory<byte>[] keys, RespValue[] values, CancellationToken cancellationToken)
    {
        var retries = new List<(int Position, ValueTask<RespValue> Read)>();
        for (int i = 0; i < keys.Length; i++)
        {
            ReadOnlySpan<byte> key = keys[i].Span;
            if (values[i].IsNull && KeyRouter.PreviousOwnerOf(routes, key, routes.Ring.OwnerOf(key)) is not null)
            {
                retries.Add((i, _router.GetAsync(key.ToArray(), cancellationToken)));
            }
        }

        RespValue? failure = null;
        foreach ((int position, ValueTask<RespValue> read) in retries)
        {
            values[position] = await ReplyOrErrorAsync(read).ConfigureAwait(false);
            failure ??= values[position].IsError ? values[position] : null;
        }

        return failure ?? RespValue.Array(values);
    }

    private ValueTask<RespValue> MSet(RespCommand command, RespClientState client, CancellationToken cancellationToken)
    {
        if (command.Count % 2 == 0)
        {
            return ValueTask.FromResult(MSetWrongArity);
        }

        Routes routes = _router.CurrentRoutes;
        return SingleOwner(routes.Ring, command, 2) is { } owner
            ? _router.SendAsync(owner, command, cancellationToken)
            : MSetAsync(routes, CopyArguments(command, 1), cancellationToken);
    }

    private async ValueTask<RespValue> MSetAsync(Routes routes, ReadOnlyMemory<byte>[] pairs, CancellationToken cancellationToken)
    {
        List<KeyGroup> groups = KeyGroup.ByOwner(routes.Ring, pairs, stride: 2);
        var sends = new ValueTask<RespValue>[groups.Count];
        for (int g = 0; g < groups.Count; g++)
        {
            sends[g] = _router.SendAsync(groups[g].Owner, groups[g].Command(MSetName, pairs, width: 2), cancellationToken);
        }

        RespValue? failure = null;
        foreach (ValueTask<RespValue> send in sends)
        {
            RespValue reply = await ReplyOrErrorAsync(send).ConfigureAwait(false);
            failure ??= reply.IsError ? reply : null;
        }

        return failure ?? Ok;
    }

    /// <summary>
    /// DEL, UNLINK and EXISTS: the sum of each owner's count. During a rebalance a key that is
    /// moving is handled on its own at both owners, so a key found at both counts once and DEL
    /// leaves no copy for a late handoff to bring back.
    /// </summary>
    private ValueTask<RespValue> CountKeys(RespCommand command, ReadOnlyMemory<byte> name, bool delete, CancellationToken cancellationToken)
    {
        Routes routes = _router.CurrentRoutes;
        return routes.Previous is null && SingleOwner(routes.Ring, command, 1) is { } owner
            ? _router.SendAsync(owner, command, cancellationToken)
            : CountKeysAsync(routes, name, delete, CopyArguments(command, 1), cancellationToken);
    }

    private async ValueTask<RespValue> CountKeysAsync(
        Routes routes, ReadOnlyMemory<byte> name, bool delete, ReadOnlyMemory<byte>[] keys, CancellationToken cancellationToken)
    {
        bool[] moving = new bool[keys.Length];
        var seen = new HashSet<ReadOnlyMemory<byte>>(KeyComparer.Instance);
        var single = new List<ValueTask<bool>>();
        for (int i = 0; i < keys.Length; i++)
        {
            ReadOnlySpan<byte> key = keys[i].Span;
            moving[i] = KeyRouter.PreviousOwnerOf(routes, key, routes.Ring.OwnerOf(key)) is not null;
            // DEL k k removes k once; EXISTS k k counts it twice, as in Redis.
            if (moving[i] && (!delete || seen.Add(keys[i])))
            {
                single.Add(delete ? _router.DeleteAsync(key.ToArray(), cancellationToken) : _router.ExistsAsync(key.ToArray(), cancellationToken));
            }
        }

        List<KeyGroup> groups = KeyGroup.ByOwner(routes.Ring, keys, stride: 1, include: i => !moving[i]);
        var sends = new ValueTask<RespValue>[groups.Count];
        for (int g = 0; g < groups.Count; g++)
        {
            sends[g] = _router.SendAsync(groups[g].Owner, groups[g].Command(name, keys, width: 1), cancellationToken);
        }

        long total = 0;
        RespValue? failure = null;
        foreach (ValueTask<RespValue> send in sends)
        {
            RespValue reply = await ReplyOrErrorAsync(send).ConfigureAwait(false);
            if (reply.IsError || reply.Kind != RespValueKind.Integer)
            {
                failure ??= reply.IsError ? reply : RouterRespErrors.MalformedNodeReply(System.Text.Encoding.ASCII.GetString(name.Span));
                continue;
            }

            total += reply.AsInt64();
        }

        foreach (ValueTask<bool> found in single)
        {
            try
            {
                total += await found.ConfigureAwait(false) ? 1 : 0;
            }
            catch (UpstreamException e)
            {
                failure ??= RouterRespErrors.From(e);
            }
        }

        return failure ?? RespValue.Integer(total);
    }

    /// <summary>Awaits a node's reply, turning a node that could not answer into the error naming it, so every send is awaited.</summary>
    private static async ValueTask<RespValue> ReplyOrErrorAsync(ValueTask<RespValue> send)
    {
        try
        {
            return await send.ConfigureAwait(false);
        }
        catch (UpstreamException e)
        {
            return RouterRespErrors.From(e);
        }
    }

    /// <summary>Compares keys by their bytes.</summary>
    private sealed class KeyComparer : IEqualityComparer<ReadOnlyMemory<byte>>
    {
        public static readonly KeyComparer Instance = new();

        public bool Equals(ReadOnlyMemory<byte> x, ReadOnlyMemory<byte> y) => x.Span.SequenceEqual(y.Span);

        public int GetHashCode(ReadOnlyMemory<byte> obj)
        {
            var hash = new HashCode();
            hash.AddBytes(obj.Span);
            return hash.ToHashCode();
        }
    }
}
