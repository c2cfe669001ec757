using System.Buffers;
using KubeCache.HttpContract;
using KubeCache.Prometheus;
using KubeCache.Router.Routing;

namespace KubeCache.Router.Http;

/// <summary>
/// The router's HTTP side: the endpoint groups registered as <see cref="IRouterEndpoints"/>, then
/// health, readiness (ready once a ring is known), the ring in use (<c>GET /ring</c>), the epoch
/// applied (<c>GET /ring/epoch</c>, which rebalance coordinators wait on) and Prometheus metrics.
/// </summary>
public sealed partial class RouterHttpApi(
    RouteTable table, PrometheusExporter exporter, IEnumerable<IRouterEndpoints> endpoints, IHostApplicationLifetime lifetime)
{
    private readonly IRouterEndpoints[] _endpoints = [.. endpoints];

    public Task HandleAsync(HttpContext context)
    {
        foreach (IRouterEndpoints group in _endpoints)
        {
            if (group.TryHandle(context, out Task handled))
            {
                return handled;
            }
        }

        return HandleOwnAsync(context);
    }

    private Task HandleOwnAsync(HttpContext context) => (context.Request.Path.Value ?? "/") switch
    {
        "/health" or "/healthz" => WriteAsync(context, StatusCodes.Status200OK, "OK", "healthy"),
        "/readyz" => table.Routes is null || lifetime.ApplicationStopping.IsCancellationRequested
            ? WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "ERROR", table.Routes is null ? "no ring yet" : "shutting down")
            : WriteAsync(context, StatusCodes.Status200OK, "OK", "ready"),
        "/ring" => RingAsync(context),
        "/ring/epoch" => EpochAsync(context),
        "/metrics" => MetricsAsync(context),
        string path => WriteAsync(context, StatusCodes.Status404NotFound, "ERROR", $"No endpoint {path}; see the README for the API."),
    };

    private Task RingAsync(HttpContext context)
    {
        if (table.Routes is not { } routes)
        {
            return WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "ERROR", "no ring yet");
        }

        byte[] json = routes.Document.ToUtf8Json();
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = json.Length;
        context.Response.BodyWriter.Write(json);
        return Task.CompletedTask;
    }

    /// <summary>{"status":"OK","epoch":N,"rebalancing":bool}: the ring this router routes by now; 503 before it knows one.</summary>
    private Task EpochAsync(HttpContext context)
    {
        if (table.Routes is not { } routes)
        {
            return WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "ERROR", "no ring yet");
        }

        using JsonReply reply = JsonReply.Rent();
        reply.Writer.WriteStartObject();
        reply.Writer.WriteString("status"u8, "OK"u8);
        reply.Writer.WriteNumber("epoch"u8, routes.Epoch);
        reply.Writer.WriteBoolean("rebalancing"u8, routes.Previous is not null);
        reply.Writer.WriteEndObject();
        _ = HttpReplies.Write(context, StatusCodes.Status200OK, reply);
        return Task.CompletedTask;
    }

    private Task MetricsAsync(HttpContext context)
    {
        context.Response.ContentType = PrometheusExporter.ContentType;
        exporter.Write(context.Response.BodyWriter);
        return Task.CompletedTask;
    }

    private static Task WriteAsync(HttpContext context, int status, string result, string message)
    {
        _ = result == "OK" ? HttpReplies.WriteOk(context, message) : HttpReplies.WriteError(context, status, message);
        return Task.CompletedTask;
    }
}
