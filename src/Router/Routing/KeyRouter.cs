using System.Diagnostics;
using System.Runtime.CompilerServices;
using KubeCache.Protocol;
using KubeCache.Router.Metrics;
using KubeCache.Router.Upstream;
using KubeCache.Topology;

namespace KubeCache.Router.Routing;

/// <summary>
/// The routing rules both fronts share (DESIGN §4, §6): a key's commands go to its owner in the
/// current ring; while a rebalance is in progress a read that misses is retried on the previous
/// owner and, on a hit, written to the new owner with its TTL (read-repair), and a delete goes to
/// both owners so a late handoff cannot bring the key back.
/// </summary>
public sealed class KeyRouter(RouteTable table, RouterMetrics metrics)
{
    public Routes CurrentRoutes => table.Routes ?? throw new NoRingException();

    public RingMember OwnerOf(ReadOnlySpan<byte> key) => CurrentRoutes.Ring.OwnerOf(key);

    public NodeClient ClientFor(RingMember member) => table.ClientFor(member);

    /// <summary>Sends a command about one key to the key's owner.</summary>
    public ValueTask<RespValue> SendAsync(ReadOnlySpan<byte> key, IReadOnlyList<ReadOnlyMemory<byte>> command, CancellationToken cancellationToken) =>
        SendAsync(OwnerOf(key), command, cancellationToken);

    /// <summary>Sends a command to one member, counting it in the router's metrics.</summary>
    public ValueTask<RespValue> SendAsync(RingMember member, IReadOnlyList<ReadOnlyMemory<byte>> command, CancellationToken cancellationToken) =>
        TrackAsync(member.Name, table.ClientFor(member).SendAsync(command, cancellationToken), Stopwatch.GetTimestamp());

    /// <summary>Forwards a command read from a client to one member as it is (it is copied before this returns), counting it.</summary>
    public ValueTask<RespValue> SendAsync(RingMember member, RespCommand command, CancellationToken cancellationToken) =>
        TrackAsync(member.Name, table.ClientFor(member).SendAsync(command, cancellationToken), Stopwatch.GetTimestamp());

    /// <summary>
    /// The key's owner before the rebalance in progress when that is another member (the key may
    /// still be there), else null.
    /// </summary>
    public static RingMember? PreviousOwnerOf(Routes routes, ReadOnlySpan<byte> key, RingMember owner) =>
        routes.Previous is { Members.Count: > 0 } previous && previous.OwnerOf(key) is { } before && before.Name != owner.Name ? before : null;

    // Pooled: every forwarded command passes here, and each reply is awaited exactly once.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<RespValue> TrackAsync(string node, ValueTask<RespValue> sending, long started)
    {
        try
        {
            RespValue reply = await sending.ConfigureAwait(false);
            metrics.Upstream(node, ok: true, started);
            return reply;
        }
        catch (UpstreamException)
        {
            metrics.Upstream(node, ok: false, started);
            throw;
        }
    }

    /// <summary>GET with the rebalance fallback: a miss at the new owner is retried at the previous owner and repaired.</summary>
    public async ValueTask<RespValue> GetAsync(byte[] key, CancellationToken cancellationToken)
    {
        Routes routes = CurrentRoutes;
        RingMember owner = routes.Ring.OwnerOf(key);
        RespValue reply = await SendAsync(owner, [Get, key], cancellationToken).ConfigureAwait(false);
        if (!reply.IsNull || routes.Previous is not { } previous || previous.Members.Count == 0)
        {
            return reply;
        }

        RingMember before = previous.OwnerOf(key);
        if (before.Name == owner.Name)
        {
            return reply;
        }

        RespValue old = await SendAsync(before, [Get, key], cancellationToken).ConfigureAwait(false);
        if (old.IsError)
        {
            return reply;
        }

        if (old.IsNull)
        {
            // The handoff may have moved the key between the two reads: the previous owner drops a
            // key only after the new owner acknowledged it, so a second look there finds it.
            return await SendAsync(owner, [Get, key], cancellationToken).ConfigureAwait(false);
        }

        metrics.FallbackRead();
        // PEXPIRETIME: -2 the key left meanwhile (nothing to repair), -1 no TTL, else Unix ms.
        RespValue expiry = await SendAsync(before, [PExpireTime, key], cancellationToken).ConfigureAwait(false);
        long expiresAt = expiry.IsError ? -1 : expiry.AsInt64();
        if (expiresAt != -2)
        {
            byte[] at = System.Text.Encoding.ASCII.GetBytes(Math.Max(expiresAt, 0).ToString(System.Globalization.CultureInfo.InvariantCulture));
            await SendAsync(owner, [Handoff, key, old.Bytes, at], cancellationToken).ConfigureAwait(false);
        }

        return old;
    }

    /// <summary>Deletes at the owner and, during a rebalance, at the previous owner too (both at once); returns whether either held the key.</summary>
    public async ValueTask<bool> DeleteAsync(byte[] key, CancellationToken cancellationToken)
    {
        Routes routes = CurrentRoutes;
        RingMember owner = routes.Ring.OwnerOf(key);
        ValueTask<RespValue> current = SendAsync(owner, [Del, key], cancellationToken);
        if (PreviousOwnerOf(routes, key, owner) is not { } before)
        {
            RespValue only = await current.ConfigureAwait(false);
            return !only.IsError && only.AsInt64() > 0;
        }

        ValueTask<RespValue> previous = SendAsync(before, [Del, key], cancellationToken);
        RespValue removed = await current.ConfigureAwait(false);
        RespValue old = await previous.ConfigureAwait(false);
        return (!removed.IsError && removed.AsInt64() > 0) | (!old.IsError && old.AsInt64() > 0);
    }

    /// <summary>EXISTS of one key with the rebalance fallback: a key not at its new owner may still be at the previous one.</summary>
    public async ValueTask<bool> ExistsAsync(byte[] key, CancellationToken cancellationToken)
    {
        Routes routes = CurrentRoutes;
        RingMember owner = routes.Ring.OwnerOf(key);
        RespValue found = await SendAsync(owner, [Exists, key], cancellationToken).ConfigureAwait(false);
        if ((!found.IsError && found.AsInt64() > 0) || PreviousOwnerOf(routes, key, owner) is not { } before)
        {
            return !found.IsError && found.AsInt64() > 0;
        }

        RespValue old = await SendAsync(before, [Exists, key], cancellationToken).ConfigureAwait(false);
        return !old.IsError && old.AsInt64() > 0;
    }

    /// <summary>
    /// GETDEL during a rebalance: taken at both owners, so the key cannot come back from the
    /// previous owner; the new owner's value wins, as it is the newer one.
    /// </summary>
    public async ValueTask<RespValue> GetDeleteAsync(byte[] key, CancellationToken cancellationToken)
    {
        Routes routes = CurrentRoutes;
        RingMember owner = routes.Ring.OwnerOf(key);
        ValueTask<RespValue> current = SendAsync(owner, [GetDel, key], cancellationToken);
        if (PreviousOwnerOf(routes, key, owner) is not { } before)
        {
            return await current.ConfigureAwait(false);
        }

        ValueTask<RespValue> old = SendAsync(before, [GetDel, key], cancellationToken);
        RespValue reply = await current.ConfigureAwait(false);
        RespValue previousReply = await old.ConfigureAwait(false);
        return reply.IsNull && !previousReply.IsError ? previousReply : reply;
    }

    private static readonly ReadOnlyMemory<byte> Get = "GET"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> Exists = "EXISTS"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> GetDel = "GETDEL"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> Del = "DEL"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> PExpireTime = "PEXPIRETIME"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> Handoff = "KVHANDOFF"u8.ToArray();
}
