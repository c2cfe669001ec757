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
public sealed partial class KeyEndpoints
{
    /// <summary>Commands in flight per owner at once (SETs pipelined, or keys per MGET); bounds the memory a large batch takes.</summary>
    private const int MaxInFlight = 1024;

    private static readonly ReadOnlyMemory<byte> MGet = "MGET"u8.ToArray();

    /// <summary>Validates every item before sending any, so a bad batch changes nothing.</summary>
    private async ValueTask<int> BatchSetAsync(HttpContext context)
    {
        List<JsonItem> items = await HttpReplies.ReadBodyAsync(context, JsonRequest.ReadItems).ConfigureAwait(false);
        for (int i = 0; i < items.Count; i++)
        {
            if (Validate(items[i]) is { } problem)
            {
                return HttpReplies.WriteError(context, StatusCodes.Status400BadRequest, $"items[{i}]: {problem}");
            }
        }

        var replies = new RespValue[items.Count];
        await ForEachOwnerAsync(items.Count, i => items[i].Key, (owner, share) => SetAllAsync(owner, share, items, replies, context.RequestAborted)).ConfigureAwait(false);
        foreach (RespValue reply in replies)
        {
            if (reply.IsError)
            {
                return WriteNodeError(context, reply);
            }
        }

        return HttpReplies.WriteOk(context, $"{items.Count} keys inserted/updated successfully.");
    }

    /// <summary>GET /batch_get?keys=a,b or POST {"keys":[…]}: values found, in request order, and the keys missing.</summary>
    private async ValueTask<int> BatchGetAsync(HttpContext context)
    {
        List<byte[]> keys;
        if (HttpMethods.IsGet(context.Request.Method))
        {
            byte[]? list = QueryParameters.Get(context.Request.QueryString.Value, "keys");
            if (list is null)
            {
                return HttpReplies.WriteError(context, StatusCodes.Status400BadRequest, "Query parameter keys is missing; use /batch_get?keys=a,b.");
            }

            keys = SplitKeys(list);
        }
        else
        {
            keys = await HttpReplies.ReadBodyAsync(context, JsonRequest.ReadKeys).ConfigureAwait(false);
        }

        foreach (byte[] key in keys)
        {
            if (ValidateKey(key, "keys") is { } problem)
            {
                return HttpReplies.WriteError(context, StatusCodes.Status400BadRequest, problem);
            }
        }

        RespValue[] values = await GetAllAsync(keys, context.RequestAborted).ConfigureAwait(false);
        return WriteBatchGet(context, keys, values);
    }

    /// <summary>MGET per owner; the keys of an owner that redirects are read one by one, each following its redirect.</summary>
    private async Task<RespValue[]> GetAllAsync(List<byte[]> keys, CancellationToken cancellationToken)
    {
        var values = new RespValue[keys.Count];
        await ForEachOwnerAsync(keys.Count, i => keys[i], (owner, share) => MGetAsync(owner, share, keys, values, cancellationToken)).ConfigureAwait(false);
        var redirected = new List<(int Index, Task<RespValue> Read)>();
        for (int i = 0; i < keys.Count; i++)
        {
            if (KeyRouter.IsRedirect(values[i]))
            {
                redirected.Add((i, _router.SendAsync([Get, keys[i]], cancellationToken).AsTask()));
            }
        }

        await Task.WhenAll(redirected.Select(r => r.Read)).ConfigureAwait(false);
        foreach ((int index, Task<RespValue> read) in redirected)
        {
            values[index] = read.Result;
        }

        return values;
    }

    private static int WriteBatchGet(HttpContext context, List<byte[]> keys, RespValue[] values)
    {
        JsonReply reply = JsonReply.Rent();
        reply.Writer.WriteStartObject();
        reply.Writer.WriteString("status"u8, "OK"u8);
        reply.Writer.WriteStartObject("values"u8);
        for (int i = 0; i < keys.Count; i++)
        {
            if (!values[i].IsNull && !values[i].IsError)
            {
                reply.WriteUtf8PropertyName(keys[i]);
                reply.WriteUtf8StringValue(values[i].Bytes.Span);
            }
        }

        reply.Writer.WriteEndObject();
        reply.Writer.WriteStartArray("missing"u8);
        for (int i = 0; i < keys.Count; i++)
        {
            if (values[i].IsNull || values[i].IsError)
            {
                reply.WriteUtf8StringValue(keys[i]);
            }
        }

        reply.Writer.WriteEndArray();
        reply.Writer.WriteEndObject();
        return HttpReplies.Write(context, StatusCodes.Status200OK, reply);
    }

    /// <summary>
    /// Groups the request's positions by the owner of their key in the current ring and runs
    /// <paramref name="send"/> for every owner at once; returns the routes used.
    /// </summary>
    private async Task<Routes> ForEachOwnerAsync(int count, Func<int, byte[]> keyAt, Func<RingMember, List<int>, Task> send)
    {
        Routes routes = _router.CurrentRoutes;
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
    private async Task SetAllAsync(RingMember owner, List<int> positions, List<JsonItem> items, RespValue[] replies, CancellationToken cancellationToken)
    {
        var pending = new List<ValueTask<RespValue>>(Math.Min(positions.Count, MaxInFlight));
        for (int start = 0; start < positions.Count; start += MaxInFlight)
        {
            int end = Math.Min(start + MaxInFlight, positions.Count);
            for (int i = start; i < end; i++)
            {
                pending.Add(_router.SendAsync(SetCommand(items[positions[i]]), cancellationToken));
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
    private async Task MGetAsync(RingMember owner, List<int> positions, List<byte[]> keys, RespValue[] values, CancellationToken cancellationToken)
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

            RespValue reply = await _router.SendAsync(owner, command, cancellationToken).ConfigureAwait(false);
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

    private static List<byte[]> SplitKeys(byte[] list)
    {
        var keys = new List<byte[]>();
        int start = 0;
        for (int i = 0; i <= list.Length; i++)
        {
            if (i == list.Length || list[i] == (byte)',')
            {
                keys.Add(list[start..i]);
                start = i + 1;
            }
        }

        return keys;
    }
}
