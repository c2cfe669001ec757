using System.Buffers;
using System.Net;
using KubeCache.ClientContract.Http;
using KubeCache.HttpContract;
using KubeCache.Router.Http;

namespace KubeCache.Local;

/// <summary>
/// Local mode's admin API. Changes answer once the rebalance has finished; while one change runs,
/// another gets 409 at once rather than queueing behind a rebalance that can take minutes.
/// <list type="bullet">
/// <item><c>GET /admin/nodes</c> → 200 <c>[{"name","http","resp","items","running"}]</c></item>
/// <item><c>POST /admin/nodes</c> → 201 with the new node</item>
/// <item><c>DELETE /admin/nodes/{name}</c> → 200 with the removed node; 404 unknown, 400 the last node</item>
/// <item><c>POST /admin/nodes/{name}/restart</c> → 200 once a node whose process ended serves again (same ports)</item>
/// </list>
/// Only loopback clients get it unless --local-admin-remote is set: the router listens on every
/// address by default, and adding a node starts a process.
/// </summary>
public sealed class LocalAdminEndpoints(LocalCluster cluster, LocalOptions options) : IRouterEndpoints
{
    private const string Prefix = "/admin/nodes";

    /// <summary>The list and add path, and everything below it; each checks its own methods, since the 405 names what the path takes.</summary>
    public IEnumerable<HttpEndpoint> Endpoints =>
    [
        new(Prefix, "admin_nodes", null, HandleAsync),
        new(Prefix + "/", "admin_nodes", null, HandleAsync),
    ];

    private async ValueTask<int> HandleAsync(HttpContext context)
    {
        string path = context.Request.Path.Value ?? "/";
        string method = context.Request.Method;
        if (!options.LocalAdminRemote && !IsLoopback(context.Connection.RemoteIpAddress))
        {
            await WriteErrorAsync(context, StatusCodes.Status403Forbidden,
                $"{Prefix} answers loopback clients only; start the router with --local-admin-remote true to let other hosts start and stop nodes.").ConfigureAwait(false);
            return StatusCodes.Status403Forbidden;
        }

        if (path.TrimEnd('/') == Prefix)
        {
            await (method switch
            {
                "GET" => ListAsync(context),
                "POST" => ReplyAsync(context, cluster.AddNodeAsync(), StatusCodes.Status201Created),
                _ => WriteErrorAsync(context, StatusCodes.Status405MethodNotAllowed, $"{Prefix} takes GET (list) or POST (add a node)."),
            }).ConfigureAwait(false);
            return context.Response.StatusCode;
        }

        string[] rest = path[(Prefix.Length + 1)..].Split('/', StringSplitOptions.RemoveEmptyEntries);
        await ((method, rest) switch
        {
            ("DELETE", [string name]) => ReplyAsync(context, cluster.RemoveNodeAsync(name), StatusCodes.Status200OK),
            ("POST", [string name, "restart"]) => ReplyAsync(context, cluster.RestartNodeAsync(name), StatusCodes.Status200OK),
            _ => WriteErrorAsync(context, StatusCodes.Status404NotFound,
                $"No endpoint {method} {path}; use DELETE {Prefix}/<name> or POST {Prefix}/<name>/restart."),
        }).ConfigureAwait(false);
        return context.Response.StatusCode;
    }

    private static bool IsLoopback(IPAddress? remote) =>
        remote is not null && IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote);

    private async Task ListAsync(HttpContext context)
    {
        IReadOnlyList<LocalNode> nodes = cluster.Nodes;
        long?[] items = await Task.WhenAll(nodes.Select(n => cluster.GetItemCountAsync(n, context.RequestAborted))).ConfigureAwait(false);
        using JsonReply reply = JsonReply.Rent();
        reply.Writer.WriteStartArray();
        for (int i = 0; i < nodes.Count; i++)
        {
            WriteNode(reply, nodes[i], items[i]);
        }

        reply.Writer.WriteEndArray();
        Write(context, StatusCodes.Status200OK, reply);
    }

    private static async Task ReplyAsync(HttpContext context, Task<LocalChange> change, int doneStatus)
    {
        LocalChange result = await change.ConfigureAwait(false);
        if (result.Status != LocalChangeStatus.Done)
        {
            await WriteErrorAsync(context, StatusFor(result.Status), result.Message ?? result.Status.ToString()).ConfigureAwait(false);
            return;
        }

        using JsonReply reply = JsonReply.Rent();
        WriteNode(reply, result.Node!, items: null);
        Write(context, doneStatus, reply);
    }

    private static int StatusFor(LocalChangeStatus status) => status switch
    {
        LocalChangeStatus.Busy or LocalChangeStatus.StillRunning => StatusCodes.Status409Conflict,
        LocalChangeStatus.UnknownNode => StatusCodes.Status404NotFound,
        LocalChangeStatus.LastNode => StatusCodes.Status400BadRequest,
        _ => StatusCodes.Status500InternalServerError,
    };

    private static void WriteNode(JsonReply reply, LocalNode node, long? items)
    {
        reply.Writer.WriteStartObject();
        reply.Writer.WriteString("name"u8, node.Name);
        reply.Writer.WriteString("http"u8, node.Member.Http);
        reply.Writer.WriteString("resp"u8, node.Member.Resp);
        if (items is { } count)
        {
            reply.Writer.WriteNumber("items"u8, count);
        }
        else
        {
            reply.Writer.WriteNull("items"u8);
        }

        reply.Writer.WriteBoolean("running"u8, node.IsRunning);
        reply.Writer.WriteString("log"u8, node.LogPath);
        reply.Writer.WriteEndObject();
    }

    private static Task WriteErrorAsync(HttpContext context, int status, string message)
    {
        using JsonReply reply = JsonReply.Rent();
        reply.Writer.WriteStartObject();
        reply.Writer.WriteString("status"u8, "ERROR"u8);
        reply.Writer.WriteString("message"u8, message);
        reply.Writer.WriteEndObject();
        Write(context, status, reply);
        return Task.CompletedTask;
    }

    private static void Write(HttpContext context, int status, JsonReply reply)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        ReadOnlySpan<byte> body = reply.Body;
        context.Response.ContentLength = body.Length;
        context.Response.BodyWriter.Write(body);
    }
}
