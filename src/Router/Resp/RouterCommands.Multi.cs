using KubeCache.Protocol;
using KubeCache.Router.Routing;
using KubeCache.Router.Upstream;
using KubeCache.Topology;

namespace KubeCache.Router.Resp;

/// <summary>
/// Multi-key commands (MGET, MSET, DEL, UNLINK, EXISTS, TOUCH): split into one sub-command per owner,
/// all sent at once, and merged back in request order. A command whose keys all have one owner
/// is forwarded as it is. A DEL of a key that exists twice in the command counts it once, as each
/// owner's own DEL does.
/// </summary>
public sealed partial class RouterCommands
{
    private static readonly ReadOnlyMemory<byte> MGetName = "MGET"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> MSetName = "MSET"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> DelName = "DEL"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> UnlinkName = "UNLINK"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> ExistsName = "EXISTS"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> TouchName = "TOUCH"u8.ToArray();
    private static readonly RespValue MSetWrongArity = RouterRespErrors.WrongArity("mset");

    private IEnumerable<RouterCommandSpec> MultiKeyCommandSpecs() =>
    [
        new("MGET", -2, MGet, KeyAccess.ReadsKeys),
        new("MSET", -3, MSet, KeyAccess.WritesPairs),
        new("DEL", -2, (c, _, t) => CountKeys(c, DelName, t), KeyAccess.WritesKeys),
        new("UNLINK", -2, (c, _, t) => CountKeys(c, UnlinkName, t), KeyAccess.WritesKeys),
        new("EXISTS", -2, (c, _, t) => CountKeys(c, ExistsName, t), KeyAccess.ReadsKeys),
        new("TOUCH", -2, (c, _, t) => CountKeys(c, TouchName, t), KeyAccess.ReadsKeys),
    ];

    /// <summary>The one owner of every key at 1, 1+stride… up to <paramref name="lastKey"/>, or null when they have several.</summary>
    private static RingMember? SingleOwner(Ring ring, RespCommand command, int stride, int lastKey = int.MaxValue)
    {
        int owner = ring.OwnerIndexOf(command[1]);
        for (int i = 1 + stride; i < command.Count && i <= lastKey; i += stride)
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
        return SingleOwner(routes.Ring, command, 1) is not null
            ? _router.ForwardAsync(command, cancellationToken)
            : MGetAsync(CopyArguments(command, 1), cancellationToken);
    }

    private async ValueTask<RespValue> MGetAsync(ReadOnlyMemory<byte>[] keys, CancellationToken cancellationToken)
    {
        var values = new RespValue[keys.Length];
        RespValue? failure = null;
        foreach ((List<int> positions, RespValue reply) in await SendByOwnerAsync(MGetName, keys, width: 1, cancellationToken).ConfigureAwait(false))
        {
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

        return failure ?? RespValue.Array(values);
    }

    private ValueTask<RespValue> MSet(RespCommand command, RespClientState client, CancellationToken cancellationToken)
    {
        if (command.Count % 2 == 0)
        {
            return ValueTask.FromResult(MSetWrongArity);
        }

        Routes routes = _router.CurrentRoutes;
        return SingleOwner(routes.Ring, command, 2) is not null
            ? _router.ForwardAsync(command, cancellationToken)
            : MSetAsync(CopyArguments(command, 1), cancellationToken);
    }

    private async ValueTask<RespValue> MSetAsync(ReadOnlyMemory<byte>[] pairs, CancellationToken cancellationToken)
    {
        RespValue? failure = null;
        foreach ((_, RespValue reply) in await SendByOwnerAsync(MSetName, pairs, width: 2, cancellationToken).ConfigureAwait(false))
        {
            failure ??= reply.IsError ? reply : null;
        }

        return failure ?? RespValue.Ok;
    }

    /// <summary>DEL, UNLINK, EXISTS and TOUCH: the sum of each owner's count.</summary>
    private ValueTask<RespValue> CountKeys(RespCommand command, ReadOnlyMemory<byte> name, CancellationToken cancellationToken)
    {
        Routes routes = _router.CurrentRoutes;
        return SingleOwner(routes.Ring, command, 1) is not null
            ? _router.ForwardAsync(command, cancellationToken)
            : CountKeysAsync(name, CopyArguments(command, 1), cancellationToken);
    }

    private async ValueTask<RespValue> CountKeysAsync(ReadOnlyMemory<byte> name, ReadOnlyMemory<byte>[] keys, CancellationToken cancellationToken)
    {
        long total = 0;
        RespValue? failure = null;
        foreach ((_, RespValue reply) in await SendByOwnerAsync(name, keys, width: 1, cancellationToken).ConfigureAwait(false))
        {
            if (reply.IsError || reply.Kind != RespValueKind.Integer)
            {
                failure ??= reply.IsError ? reply : RouterRespErrors.MalformedNodeReply(System.Text.Encoding.ASCII.GetString(name.Span));
                continue;
            }

            total += reply.AsInt64();
        }

        return failure ?? RespValue.Integer(total);
    }

    /// <summary>
    /// Sends <paramref name="name"/> with the arguments of each key (<paramref name="width"/> from
    /// every key's position) to the key's owner, one sub-command per owner, all at once. A group a
    /// node redirects is sent again, regrouped by the ring the router has caught up with; the
    /// groups it answered stay answered, so nothing runs twice. Returns each group's positions and
    /// reply (the error naming a node that could not answer, or -TRYAGAIN after too many redirects).
    /// </summary>
    private async Task<List<(List<int> Positions, RespValue Reply)>> SendByOwnerAsync(
        ReadOnlyMemory<byte> name, ReadOnlyMemory<byte>[] arguments, int width, CancellationToken cancellationToken)
    {
        var answered = new List<(List<int>, RespValue)>();
        IEnumerable<int> positions = Enumerable.Range(0, arguments.Length / width).Select(i => i * width);
        for (int redirects = 0; ; redirects++)
        {
            Routes routes = _router.CurrentRoutes;
            List<KeyGroup> groups = KeyGroup.ByOwner(routes.Ring, arguments, positions);
            var sends = new ValueTask<RespValue>[groups.Count];
            for (int g = 0; g < groups.Count; g++)
            {
                sends[g] = _router.SendAsync(groups[g].Owner, groups[g].Command(name, arguments, width), cancellationToken);
            }

            var redirected = new List<int>();
            for (int g = 0; g < groups.Count; g++)
            {
                RespValue reply = await ReplyOrErrorAsync(sends[g]).ConfigureAwait(false);
                if (!KeyRouter.IsRedirect(reply))
                {
                    answered.Add((groups[g].Positions, reply));
                }
                else if (redirects == KeyRouter.MaxRedirects)
                {
                    answered.Add((groups[g].Positions, KeyRouter.TooManyRedirects(reply)));
                }
                else
                {
                    await _router.CatchUpAsync(groups[g].Owner, routes, reply, cancellationToken).ConfigureAwait(false);
                    redirected.AddRange(groups[g].Positions);
                }
            }

            if (redirected.Count == 0)
            {
                return answered;
            }

            positions = redirected;
        }
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
}
