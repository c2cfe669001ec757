using KubeCache.ClientContract.Http;
using KubeCache.HttpContract;
using KubeCache.Protocol;
using KubeCache.Router.Routing;
using KubeCache.Topology;

namespace KubeCache.Router.Http;

/// <summary>
/// /batch_set and /batch_get: the request's keys are grouped by owner, each owner is sent its
/// share (pipelined SETs, or MGET) while the other owners are sent theirs, and the replies are put
/// back in request order.
/// </summary>
public sealed partial class RouterKeyBackend
{
    /// <summary>Commands in flight per owner at once (SETs pipelined, or keys per MGET); bounds the memory a large batch takes.</summary>
    private const int MaxInFlight = 1024;

    private static readonly ReadOnlyMemory<byte> MGet = "MGET"u8.ToArray();

    /// <summary>Sends every SET, each owner's share at once; the first error reply refuses the batch.</summary>
    private async Task<HttpFailure?> SetManyAsync(IReadOnlyList<JsonItem> items, CancellationToken cancellationToken)
    {
        var replies = new RespValue[items.Count];
        await ForEachOwnerAsync(items.Count, i => items[i].Key, (owner, share) => SetAllAsync(owner, share, items, replies, cancellationToken)).ConfigureAwait(false);
        foreach (RespValue reply in replies)
        {
            if (reply.IsError)
            {
                return NodeError(reply);
            }
        }

        return null;
    }

    /// <summary>A key whose node answers with an error reads as missing, as it always has in a batch.</summary>
    public async ValueTask<HttpFailure?> GetManyAsync(IReadOnlyList<byte[]> keys, ReadOnlyMemory<byte>?[] values, CancellationToken cancellationToken)
    {
        RespValue[] replies = await GetAllAsync(keys, cancellationToken).ConfigureAwait(false);
        for (int i = 0; i < keys.Count; i++)
        {
            values[i] = replies[i].IsNull || replies[i].IsError ? KeyRead.Missing : replies[i].Bytes;
        }

        return null;
    }

    /// <summary>MGET per owner; the keys of an owner that redirects are read one by one, each following its redirect.</summary>
    private async Task<RespValue[]> GetAllAsync(IReadOnlyList<byte[]> keys, CancellationToken cancellationToken)
    {
        var values = new RespValue[keys.Count];
        await ForEachOwnerAsync(keys.Count, i => keys[i], (owner, share) => MGetAsync(owner, share, keys, values, cancellationToken)).ConfigureAwait(false);
        var redirected = new List<(int Index, Task<RespValue> Read)>();
        for (int i = 0; i < keys.Count; i++)
        {
            if (KeyRouter.IsRedirect(values[i]))
            {
                redirected.Add((i, router.SendAsync([Get, keys[i]], cancellationToken).AsTask()));
            }
        }

        await Task.WhenAll(redirected.Select(r => r.Read)).ConfigureAwait(false);
        foreach ((int index, Task<RespValue> read) in redirected)
        {
            values[index] = read.Result;
        }

        return values;
    }

    /// <summary>
    /// Groups the request's positions by the owner of their key in the current ring and runs
    /// <paramref name="send"/> for every owner at once; returns the routes used.
    /// </summary>
    private async Task<Routes> ForEachOwnerAsync(int count, Func<int, byte[]> keyAt, Func<RingMember, List<int>, Task> send)
    {
        Routes routes = router.CurrentRoutes;
        var shares = new Dictionary<string, (RingMember Owner, List<int> Positions)>(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            RingMember owner = routes.Ring.OwnerOf(keyAt(i));
            if (!shares.TryGetValue(owner.Name, out var share))
            {
                share = (owner, []);
                shares.Add(owner.Name, share);
            }

            share.Positions.Add(i);
        }

        await Task.WhenAll(shares.Values.Select(s => send(s.Owner, s.Positions))).ConfigureAwait(false);
        return routes;
    }

    /// <summary>Pipelines the owner's SETs, at most <see cref="MaxInFlight"/> at once; every reply lands in <paramref name="replies"/>.</summary>
    private async Task SetAllAsync(RingMember owner, List<int> positions, IReadOnlyList<JsonItem> items, RespValue[] replies, CancellationToken cancellationToken)
    {
        var pending = new List<ValueTask<RespValue>>(Math.Min(positions.Count, MaxInFlight));
        for (int start = 0; start < positions.Count; start += MaxInFlight)
        {
            int end = Math.Min(start + MaxInFlight, positions.Count);
            for (int i = start; i < end; i++)
            {
                pending.Add(router.SendAsync(SetCommand(items[positions[i]]), cancellationToken));
            }

            RespValue[] batch = await AwaitAllAsync(pending).ConfigureAwait(false);
            for (int i = start; i < end; i++)
            {
                replies[positions[i]] = batch[i - start];
            }

            pending.Clear();
        }
    }

    /// <summary>Reads the owner's keys with MGET, at most <see cref="MaxInFlight"/> keys per command.</summary>
    private async Task MGetAsync(RingMember owner, List<int> positions, IReadOnlyList<byte[]> keys, RespValue[] values, CancellationToken cancellationToken)
    {
        for (int start = 0; start < positions.Count; start += MaxInFlight)
        {
            int end = Math.Min(start + MaxInFlight, positions.Count);
            var command = new ReadOnlyMemory<byte>[end - start + 1];
            command[0] = MGet;
            for (int i = start; i < end; i++)
            {
                command[i - start + 1] = keys[positions[i]];
            }

            RespValue reply = await router.SendAsync(owner, command, cancellationToken).ConfigureAwait(false);
            for (int i = start; i < end; i++)
            {
                values[positions[i]] = reply.IsError ? reply : reply.Items[i - start];
            }
        }
    }

    /// <summary>Awaits every reply, even after one fails, so none is left unobserved; then rethrows the first failure.</summary>
    private static async Task<RespValue[]> AwaitAllAsync(List<ValueTask<RespValue>> pending)
    {
        var replies = new RespValue[pending.Count];
        Exception? failure = null;
        for (int i = 0; i < pending.Count; i++)
        {
            try
            {
                replies[i] = await pending[i].ConfigureAwait(false);
            }
            catch (Exception e)
            {
                failure ??= e;
            }
        }

        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        return replies;
    }
}
