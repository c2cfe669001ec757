using System.Text;
using KubeCache.Protocol;
using KubeCache.Router.Routing;
using KubeCache.Topology;

namespace KubeCache.Router.Resp;

/// <summary>
/// Commands on several keys that must run on one node to be atomic (RENAME, RENAMENX, COPY, LCS,
/// MSETNX): forwarded when every key has one owner, else refused with Redis Cluster's CROSSSLOT
/// before anything runs. And the keyspace-wide KEYS and RANDOMKEY, asked of every member.
/// </summary>
public sealed partial class RouterCommands
{
    private static readonly ReadOnlyMemory<byte> RandomKeyName = "RANDOMKEY"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> KeysName = "KEYS"u8.ToArray();

    private IEnumerable<RouterCommandSpec> KeyspaceCommandSpecs() =>
    [
        new("RENAME", 3, (c, _, t) => ForwardToOneOwner(c, "rename", 1, 2, t), KeyAccess.WritesKeys),
        new("RENAMENX", 3, (c, _, t) => ForwardToOneOwner(c, "renamenx", 1, 2, t), KeyAccess.WritesKeys),
        new("COPY", -3, (c, _, t) => ForwardToOneOwner(c, "copy", 1, 2, t), KeyAccess.WritesKeys),
        // LCS … IDX answers a map, which RESP2 flattens into four items.
        new("LCS", -3, (c, _, t) => ForwardToOneOwner(c, "lcs", 1, 2, t), KeyAccess.ReadsKeys) { Shape = (reply, _, _) => LcsMap(reply) },
        new("MSETNX", -3, (c, _, t) => ForwardToOneOwner(c, "msetnx", 2, int.MaxValue, t), KeyAccess.WritesPairs),
        new("KEYS", 2, (c, _, t) => KeysAsync(_router.CurrentRoutes, c[1].ToArray(), t), KeyAccess.ReadsAll),
        new("RANDOMKEY", 1, (_, _, t) => RandomKeyAsync(_router.CurrentRoutes, t), KeyAccess.ReadsAll),
    ];

    private ValueTask<RespValue> ForwardToOneOwner(RespCommand command, string name, int stride, int lastKey, CancellationToken cancellationToken) =>
        SingleOwner(_router.CurrentRoutes.Ring, command, stride, lastKey) is not null
            ? _router.ForwardAsync(command, cancellationToken)
            : ValueTask.FromResult(RouterRespErrors.CrossOwnerKeys(name));

    private static RespValue LcsMap(RespValue reply) =>
        reply is { Kind: RespValueKind.Array, IsNull: false, Items.Count: 4 } && reply.Items[0].AsString() == "matches"
            ? RespValue.Map([.. reply.Items])
            : reply;

    /// <summary>KEYS pattern: every current member's matches, each key once (during a rebalance a moving key may be at two members).</summary>
    private async ValueTask<RespValue> KeysAsync(Routes routes, byte[] pattern, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte>[] keys = [KeysName, pattern];
        IReadOnlyList<RingMember> members = routes.Ring.Members;
        var sends = new ValueTask<RespValue>[members.Count];
        for (int i = 0; i < members.Count; i++)
        {
            sends[i] = _router.SendAsync(members[i], keys, cancellationToken);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var found = new List<RespValue>();
        RespValue? failure = null;
        foreach (ValueTask<RespValue> send in sends)
        {
            RespValue reply = await ReplyOrErrorAsync(send).ConfigureAwait(false);
            if (reply.Kind != RespValueKind.Array || reply.IsNull)
            {
                failure ??= reply.IsError ? reply : RouterRespErrors.MalformedNodeReply("KEYS");
                continue;
            }

            // Latin-1 maps each byte to one char, so equal strings are equal keys.
            found.AddRange(reply.Items.Where(key => seen.Add(Encoding.Latin1.GetString(key.Bytes.Span))));
        }

        return failure ?? RespValue.Array([.. found]);
    }

    /// <summary>RANDOMKEY: a random key of the first member, in random order, that has one; nil when every member is empty.</summary>
    private async ValueTask<RespValue> RandomKeyAsync(Routes routes, CancellationToken cancellationToken)
    {
        RingMember[] members = [.. routes.Ring.Members];
        Random.Shared.Shuffle(members);
        foreach (RingMember member in members)
        {
            RespValue reply = await _router.SendAsync(member, [RandomKeyName], cancellationToken).ConfigureAwait(false);
            if (reply.IsError || !reply.IsNull)
            {
                return reply;
            }
        }

        return RespValue.NullBulkString;
    }
}
