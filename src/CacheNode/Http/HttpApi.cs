using System.Diagnostics;
using KubeCache.CacheNode.Cluster;
using KubeCache.CacheNode.Metrics;
using KubeCache.CacheNode.Options;
using KubeCache.CacheNode.Storage;
using KubeCache.HttpContract;
using KubeCache.Prometheus;

namespace KubeCache.CacheNode.Http;

/// <summary>
/// The reference-compatible HTTP API. One terminal handler routes by path without the routing
/// middleware, since the API is a handful of fixed paths and this is the hot path.
/// </summary>
public sealed partial class HttpApi
{
    private readonly CacheStore _store;
    private readonly NodeOptions _options;
    private readonly NodeMetrics _metrics;
    private readonly ILogger<HttpApi> _logger;
    private readonly Dictionary<string, Endpoint> _endpoints;
    private readonly RequestSeries _notFound;

    public HttpApi(
        CacheStore store, NodeOptions options, NodeMetrics metrics, PrometheusExporter exporter, ClusterMembership cluster, HandoffProgress handoff,
        NodeRing ring, KeyPuller puller, IHostApplicationLifetime lifetime, ILogger<HttpApi> logger)
    {
        _ring = ring;
        _puller = puller;
        _store = store;
        _options = options;
        _metrics = metrics;
        _logger = logger;
        _lifetime = lifetime;
        _exporter = exporter;
        _cluster = cluster;
        _handoff = handoff;
        _endpoints = new Dictionary<string, Endpoint>(StringComparer.Ordinal)
        {
            ["/put"] = new("put", ["POST", "PUT"], PutAsync),
            ["/set"] = new("set", ["POST", "PUT"], PutAsync),
            ["/get"] = new("get", ["GET", "HEAD"], GetAsync),
            ["/delete"] = new("delete", ["DELETE", "POST"], DeleteAsync),
            ["/batch_set"] = new("batch_set", ["POST", "PUT"], BatchSetAsync),
            ["/batch_get"] = new("batch_get", ["GET", "POST"], BatchGetAsync),
            ["/health"] = new("health", ["GET", "HEAD"], HealthAsync),
            ["/healthz"] = new("healthz", ["GET", "HEAD"], HealthAsync),
            ["/readyz"] = new("readyz", ["GET", "HEAD"], ReadyAsync),
            ["/stats"] = new("stats", ["GET"], StatsAsync),
            ["/metrics"] = new("metrics", ["GET"], MetricsAsync),
            ["/cluster/handoff"] = new("cluster_handoff", ["GET"], HandoffAsync),
            ["/cluster/ring"] = new("cluster_ring", ["GET"], RingAsync),
            ["/cluster/prestop"] = new("cluster_prestop", ["GET"], PrestopAsync),
        };
        foreach (Endpoint endpoint in _endpoints.Values)
        {
            endpoint.Series = metrics.Series("http", endpoint.Name);
        }

        _notFound = metrics.Series("http", "unknown");
    }

    private delegate ValueTask<int> EndpointHandler(HttpContext context);

    private sealed record Endpoint(string Name, string[] Methods, EndpointHandler Handler)
    {
        public RequestSeries? Series { get; set; }

        public string Allow { get; } = string.Join(", ", Methods);
    }

    public async Task HandleAsync(HttpContext context)
    {
        long started = Stopwatch.GetTimestamp();
        string path = context.Request.Path.Value ?? "/";
        if (!_endpoints.TryGetValue(path, out Endpoint? endpoint))
        {
            await WriteErrorAsync(context, StatusCodes.Status404NotFound, $"No endpoint {path}; see the README for the API.").ConfigureAwait(false);
            _notFound.Record(ok: false, started);
            return;
        }

        int status;
        if (Array.IndexOf(endpoint.Methods, context.Request.Method) < 0)
        {
            context.Response.Headers.Allow = endpoint.Allow;
            status = StatusCodes.Status405MethodNotAllowed;
            await WriteErrorAsync(context, status, $"{context.Request.Method} is not allowed on {path}; use {endpoint.Allow}.").ConfigureAwait(false);
        }
        else
        {
            status = await RunAsync(endpoint, context).ConfigureAwait(false);
        }

        endpoint.Series!.Record(status < 400 || status == _options.MissStatus, started);
    }

    private async ValueTask<int> RunAsync(Endpoint endpoint, HttpContext context)
    {
        try
        {
            return await endpoint.Handler(context).ConfigureAwait(false);
        }
        catch (JsonRequestException e)
        {
            return await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "Invalid request: " + e.Message + ".").ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            string message = e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? $"The request body is larger than {_options.MaxBodyBytes} bytes (--max-body-bytes)."
                : "Bad request: " + e.Message;
            return await WriteErrorAsync(context, e.StatusCode, message).ConfigureAwait(false);
        }
    }

    private static Task<T> ReadBodyAsync<T>(HttpContext context, Func<ReadOnlySequence<byte>, T> parse) => HttpReplies.ReadBodyAsync(context, parse);

    private static ValueTask<int> WriteAsync(HttpContext context, int status, JsonReply reply) => new(HttpReplies.Write(context, status, reply));

    private static ValueTask<int> WriteErrorAsync(HttpContext context, int status, string message) => new(HttpReplies.WriteError(context, status, message));

    private static ValueTask<int> WriteOkAsync(HttpContext context, string message) => new(HttpReplies.WriteOk(context, message));
}
