using System.Globalization;
using System.Text;
using KubeCache.ClientContract.Resp;
using KubeCache.Protocol;
using KubeCache.Router.Routing;
using KubeCache.Router.Upstream;
using KubeCache.Topology;

namespace KubeCache.Router.Resp;

/// <summary>Server commands about the whole keyspace: answered by asking every member (DBSIZE, FLUSHALL, FLUSHDB, SCAN) or by the router (INFO).</summary>
public sealed partial class RouterCommands
{
    /// <summary>A router SCAN cursor holds the member's index in its high 16 bits and that node's own cursor in the low 48.</summary>
    private const int MemberShift = 48;

    private const ulong NodeCursorMask = (1UL << MemberShift) - 1;

    private static readonly ReadOnlyMemory<byte> DbSizeName = "DBSIZE"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> ScanName = "SCAN"u8.ToArray();

    private IEnumerable<RouterCommandSpec> ClusterCommandSpecs() =>
    [
        new("INFO", -1, (_, _, _) => ValueTask.FromResult(Info())),
        new("DBSIZE", 1, (_, _, t) => DbSizeAsync(_router.CurrentRoutes, t), KeyAccess.ReadsAll),
        new("FLUSHALL", -1, Flush, KeyAccess.WritesAll),
        new("FLUSHDB", -1, Flush, KeyAccess.WritesAll),
        new("SCAN", -2, Scan, KeyAccess.ReadsAll),
    ];

    /// <summary>DBSIZE: the sum over the current members (during a rebalance a moving key may be counted at both owners).</summary>
    private async ValueTask<RespValue> DbSizeAsync(Routes routes, CancellationToken cancellationToken)
    {
        IReadOnlyList<RingMember> members = routes.Ring.Members;
        var sends = new ValueTask<RespValue>[members.Count];
        for (int i = 0; i < members.Count; i++)
        {
            sends[i] = _router.SendAsync(members[i], [DbSizeName], cancellationToken);
        }

        long total = 0;
        RespValue? failure = null;
        foreach (ValueTask<RespValue> send in sends)
        {
            RespValue reply = await ReplyOrErrorAsync(send).ConfigureAwait(false);
            if (reply.Kind == RespValueKind.Integer)
            {
                total += reply.AsInt64();
            }
            else
            {
                failure ??= reply.IsError ? reply : RouterRespErrors.MalformedNodeReply("DBSIZE");
            }
        }

        return failure ?? RespValue.Integer(total);
    }

    /// <summary>
    /// FLUSHALL / FLUSHDB [ASYNC|SYNC] in two rounds over every member of the current and previous
    /// rings (docs/topology.md, "FLUSHALL"). After each node's flush the router reads the node's
    /// ring and catches up when the node is further along, then flushes the members that ring adds:
    /// a router that lags cannot know which nodes hand keys to which. A node's flush waits for its
    /// handoff batch on the way, and a batch lands before its sender answers, so once every member
    /// has answered the first round nothing read before a flush is still moving; the second round
    /// removes what such batches delivered to nodes that had flushed earlier.
    /// </summary>
    private async ValueTask<RespValue> Flush(RespCommand command, RespClientState client, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte>[] flush = CopyArguments(command);
        var members = new Dictionary<string, RingMember>(StringComparer.Ordinal);
        RespValue? failure = null;
        for (int round = 0; round < 2; round++)
        {
            var flushed = new HashSet<string>(StringComparer.Ordinal);
            List<RingMember> next;
            while ((next = Unflushed(members, flushed)).Count > 0)
            {
                RespValue[] replies = await Task.WhenAll(next.Select(m => FlushMemberAsync(m, flush, cancellationToken))).ConfigureAwait(false);
                flushed.UnionWith(next.Select(m => m.Name));
                failure ??= replies.FirstOrDefault(reply => reply.IsError);
            }
        }

        return failure ?? RespValue.Ok;
    }

    /// <summary>Adds the members (current and previous) of the ring the router now routes by, and returns those not flushed in this round.</summary>
    private List<RingMember> Unflushed(Dictionary<string, RingMember> members, HashSet<string> flushed)
    {
        Routes routes = _router.CurrentRoutes;
        foreach (RingMember member in routes.Ring.Members.Concat(routes.Previous?.Members ?? []))
        {
            members[member.Name] = member;
        }

        return [.. members.Values.Where(m => !flushed.Contains(m.Name))];
    }

    /// <summary>Flushes one member, then takes its ring if it is further along than the router's.</summary>
    private async Task<RespValue> FlushMemberAsync(RingMember member, ReadOnlyMemory<byte>[] flush, CancellationToken cancellationToken)
    {
        RespValue reply = await ReplyOrErrorAsync(_router.SendAsync(member, flush, cancellationToken)).ConfigureAwait(false);
        if (!reply.IsError)
        {
            try
            {
                await _router.LearnAsync(member, cancellationToken).ConfigureAwait(false);
            }
            catch (UpstreamException e)
            {
                return RouterRespErrors.From(e);
            }
        }

        return reply;
    }

    /// <summary>
    /// SCAN cursor [MATCH p] [COUNT n] [TYPE t]: walks the current members in ring order, one node
    /// at a time, passing the options on; the cursor is 0 when the last member's is.
    /// </summary>
    private ValueTask<RespValue> Scan(RespCommand command, RespClientState client, CancellationToken cancellationToken)
    {
        if (!ulong.TryParse(command[1], NumberStyles.None, CultureInfo.InvariantCulture, out ulong cursor))
        {
            return ValueTask.FromResult(RespErrorReplies.InvalidCursor);
        }

        IReadOnlyList<RingMember> members = _router.CurrentRoutes.Ring.Members;
        int member = (int)Math.Min(cursor >> MemberShift, int.MaxValue);
        if (member >= members.Count)
        {
            return ValueTask.FromResult(RespValue.Array(RespValue.BulkString("0"), RespValue.Array()));
        }

        ReadOnlyMemory<byte>[] scan = CopyArguments(command);
        scan[0] = ScanName;
        scan[1] = Encoding.ASCII.GetBytes((cursor & NodeCursorMask).ToString(CultureInfo.InvariantCulture));
        return ScanAsync(members, member, scan, cancellationToken);
    }

    private async ValueTask<RespValue> ScanAsync(IReadOnlyList<RingMember> members, int member, ReadOnlyMemory<byte>[] scan, CancellationToken cancellationToken)
    {
        RespValue reply = await _router.SendAsync(members[member], scan, cancellationToken).ConfigureAwait(false);
        if (reply.IsError)
        {
            return reply;
        }

        if (reply.Items.Count != 2 || !ulong.TryParse(reply.Items[0].AsString(), CultureInfo.InvariantCulture, out ulong next) || next > NodeCursorMask)
        {
            return RouterRespErrors.MalformedNodeReply("SCAN");
        }

        if (next == 0)
        {
            member++;
        }

        ulong cursor = member >= members.Count ? 0 : ((ulong)member << MemberShift) | next;
        return RespValue.Array(RespValue.BulkString(cursor.ToString(CultureInfo.InvariantCulture)), reply.Items[1]);
    }

    /// <summary>INFO [section]: the server section a client expects, then the router's view of the ring and its nodes.</summary>
    private RespValue Info()
    {
        Routes? routes = _table.Routes;
        List<NodeClient> down = [.. _table.Pool.Clients.Where(c => c.IsDown)];
        var text = new StringBuilder();
        text.AppendServerSection(typeof(RouterCommands).Assembly, role: "router")
            .Append("\r\n# Router\r\n")
            .Append("ring_cluster:").Append(routes?.Document.Cluster ?? "").Append("\r\n")
            .Append("ring_epoch:").Append(routes?.Epoch ?? 0).Append("\r\n")
            .Append("ring_members:").Append(routes?.Ring.Members.Count ?? 0).Append("\r\n")
            .Append("ring_member_names:").AppendJoin(',', routes?.Ring.Members.Select(m => m.Name) ?? []).Append("\r\n")
            .Append("rebalancing:").Append(routes?.Previous is null ? 0 : 1).Append("\r\n");
        if (routes?.Document.Previous is { } previous)
        {
            text.Append("ring_previous_epoch:").Append(previous.Epoch).Append("\r\n")
                .Append("ring_previous_members:").Append(previous.Members.Count).Append("\r\n");
        }

        text.Append("nodes_down:").Append(down.Count).Append("\r\n")
            .Append("nodes_down_names:").AppendJoin(',', down.Select(c => c.Name)).Append("\r\n");
        return RespValue.VerbatimString(text.ToString());
    }
}
