using KubeCache.HttpContract;
using KubeCache.Protocol;
using KubeCache.Router.Routing;
using KubeCache.Router.Upstream;
using KubeCache.Topology;

namespace KubeCache.Router.Http;

/// <summary>GET /stats: the router's view of the cluster.</summary>
public sealed partial class RouterHttpApi
{
    private static readonly ReadOnlyMemory<byte> DbSize = "DBSIZE"u8.ToArray();

    /// <summary>
    /// Answers with the ring in use and each current member's key count (its <c>DBSIZE</c>, asked
    /// of all members at once), rather than the nodes' own <c>/stats</c>, which the router cannot
    /// reach since it speaks RESP to them:
    /// <c>{"status":"OK","epoch":7,"rebalancing":false,"members":3,"nodesDown":0,"items":1200,
    /// "nodes":[{"name":"demo-0","address":"10.1.2.3:6379","down":false,"items":400},…]}</c>.
    /// A node that cannot answer has <c>"down":true</c>, <c>"items":null</c> and an <c>"error"</c>
    /// saying why; <c>items</c> at the top is the sum over the nodes that answered. Always 200
    /// once a ring is known, since a node being down is what the document reports.
    /// </summary>
    private async ValueTask<int> StatsAsync(HttpContext context)
    {
        Routes routes = _router.CurrentRoutes;
        IReadOnlyList<RingMember> members = routes.Ring.Members;
        (long? Items, string? Error)[] counts = await Task.WhenAll(members.Select(m => CountAsync(m, context.RequestAborted))).ConfigureAwait(false);

        JsonReply reply = JsonReply.Rent();
        reply.Writer.WriteStartObject();
        reply.Writer.WriteString("status"u8, "OK"u8);
        reply.Writer.WriteNumber("epoch"u8, routes.Epoch);
        reply.Writer.WriteBoolean("rebalancing"u8, routes.Previous is not null);
        reply.Writer.WriteNumber("members"u8, members.Count);
        reply.Writer.WriteNumber("nodesDown"u8, counts.Count(c => c.Error is not null));
        reply.Writer.WriteNumber("items"u8, counts.Sum(c => c.Items ?? 0));
        reply.Writer.WriteStartArray("nodes"u8);
        for (int i = 0; i < members.Count; i++)
        {
            reply.Writer.WriteStartObject();
            reply.Writer.WriteString("name"u8, members[i].Name);
            reply.Writer.WriteString("address"u8, members[i].Resp);
            reply.Writer.WriteBoolean("down"u8, counts[i].Error is not null);
            if (counts[i].Items is { } items)
            {
                reply.Writer.WriteNumber("items"u8, items);
            }
            else
            {
                reply.Writer.WriteNull("items"u8);
                reply.Writer.WriteString("error"u8, counts[i].Error);
            }

            reply.Writer.WriteEndObject();
        }

        reply.Writer.WriteEndArray();
        reply.Writer.WriteEndObject();
        return HttpReplies.Write(context, StatusCodes.Status200OK, reply);
    }

    private async Task<(long? Items, string? Error)> CountAsync(RingMember member, CancellationToken cancellationToken)
    {
        try
        {
            RespValue reply = await _router.SendAsync(member, [DbSize], cancellationToken).ConfigureAwait(false);
            return reply.Kind == RespValueKind.Integer ? (reply.AsInt64(), null) : (null, $"DBSIZE answered {reply}");
        }
        catch (UpstreamException e)
        {
            return (null, e.Cause);
        }
    }
}
