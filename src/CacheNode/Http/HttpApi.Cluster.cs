using KubeCache.CacheNode.Cluster;

using KubeCache.HttpContract;

namespace KubeCache.CacheNode.Http;

/// <summary>What the node knows of its cluster: the ring in use and the progress of its handoff.</summary>
public sealed partial class HttpApi
{
    private readonly ClusterMembership _cluster;
    private readonly HandoffProgress _handoff;

    /// <summary>GET /cluster/handoff: {"epoch","state","keysSent","keysLeft","keysDropped"} and "lastError" while retrying, as the rebalance coordinator reads it.</summary>
    private ValueTask<int> HandoffAsync(HttpContext context)
    {
        JsonReply reply = JsonReply.Rent();
        reply.Writer.WriteStartObject();
        reply.Writer.WriteString("status"u8, "OK"u8);
        reply.Writer.WriteString("node"u8, _cluster.NodeName);
        reply.Writer.WriteNumber("epoch"u8, _handoff.Epoch);
        reply.Writer.WriteString("state"u8, _handoff.State.ToString().ToLowerInvariant());
        reply.Writer.WriteNumber("keysSent"u8, _handoff.KeysSent);
        reply.Writer.WriteNumber("keysLeft"u8, _handoff.KeysLeft);
        reply.Writer.WriteNumber("keysDropped"u8, _handoff.KeysDropped);
        if (_handoff.LastError is { } error)
        {
            reply.Writer.WriteString("lastError"u8, error);
        }

        reply.Writer.WriteEndObject();
        return WriteAsync(context, StatusCodes.Status200OK, reply);
    }

    /// <summary>GET /cluster/ring: the ring document in use; 404 when the node runs alone or has not read a ring yet.</summary>
    private ValueTask<int> RingAsync(HttpContext context)
    {
        if (_cluster.Current is not { } document)
        {
            return WriteErrorAsync(context, StatusCodes.Status404NotFound, _cluster.Source is { } source
                ? $"No ring read yet from {source.Description}."
                : "This node runs alone: start it with --ring-configmap or --ring-file to join a ring.");
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        byte[] json = document.ToUtf8Json();
        context.Response.ContentLength = json.Length;
        context.Response.BodyWriter.Write(json);
        return new ValueTask<int>(StatusCodes.Status200OK);
    }
}
