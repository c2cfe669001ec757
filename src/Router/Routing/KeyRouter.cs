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
    public async ValueTask<RespValue> SendAsync(RingMember member, IReadOnlyList<ReadOnlyMemory<byte>> command, CancellationToken cancellationToken)
    {
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            RespValue reply = await table.ClientFor(member).SendAsync(command, cancellationToken).ConfigureAwait(false);
            metrics.Upstream(member.Name, ok: true, started);
            return reply;
        }
        catch (UpstreamException)
        {
            metrics.Upstream(member.Name, ok: false, started);
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
        if (old.IsNull || old.IsError)
        {
            return reply;
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

    /// <summary>Deletes at the owner and, during a rebalance, at the previous owner too; returns whether either held the key.</summary>
    public async ValueTask<bool> DeleteAsync(byte[] key, CancellationToken cancellationToken)
    {
        Routes routes = CurrentRoutes;
        RingMember owner = routes.Ring.OwnerOf(key);
        ValueTask<RespValue> current = SendAsync(owner, [Del, key], cancellationToken);
        RingMember? before = routes.Previous is { Members.Count: > 0 } previous ? previous.OwnerOf(key) : null;
        RespValue removed = await current.ConfigureAwait(false);
        bool found = !removed.IsError && removed.AsInt64() > 0;
        if (before is not null && before.Name != owner.Name)
        {
            RespValue old = await SendAsync(before, [Del, key], cancellationToken).ConfigureAwait(false);
            found |= !old.IsError && old.AsInt64() > 0;
        }

        return found;
    }

    private static readonly ReadOnlyMemory<byte> Get = "GET"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> Del = "DEL"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> PExpireTime = "PEXPIRETIME"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> Handoff = "KVHANDOFF"u8.ToArray();
}
