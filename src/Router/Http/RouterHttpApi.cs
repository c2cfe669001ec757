using System.Buffers;
using KubeCache.ClientContract.Http;
using KubeCache.HttpContract;
using KubeCache.Prometheus;
using KubeCache.Router.Metrics;
using KubeCache.Router.Options;
using KubeCache.Router.Routing;
using KubeCache.Router.Upstream;

namespace KubeCache.Router.Http;

/// <summary>
/// The router's HTTP side: one dispatch table holding the key API and probes every server shares
/// (over <see cref="RouterKeyBackend"/>; ready once a ring is known), the router's own endpoints
/// — <c>GET /stats</c>, the ring in use (<c>GET /ring</c>) and the epoch applied
/// (<c>GET /ring/epoch</c>, which rebalance coordinators wait on) — and those of
/// <see cref="IRouterEndpoints"/> (local mode's admin API).
/// </summary>
/// <remarks>A node that cannot answer gives 503 naming it, as does a router that has no ring yet.</remarks>
public sealed partial class RouterHttpApi
{
    private readonly RouteTable _table;
    private readonly KeyRouter _router;
    private readonly HttpEndpointTable _endpoints;

    public RouterHttpApi(
        RouteTable table, KeyRouter router, RouterOptions options, RouterMetrics metrics, PrometheusExporter exporter,
        IEnumerable<IRouterEndpoints> extra, IHostApplicationLifetime lifetime, ILogger<RouterHttpApi> logger)
    {
        _table = table;
        _router = router;
        HttpEndpoint[] own =
        [
            new("/stats", "stats", ["GET"], StatsAsync),
            new("/ring", "ring", ["GET"], RingAsync),
            new("/ring/epoch", "ring_epoch", ["GET"], EpochAsync),
        ];
        var keyEndpoints = new KeyEndpoints(new RouterKeyBackend(router), options.MissStatus);
        _endpoints = new HttpEndpointTable(
            keyEndpoints.Endpoints
                .Concat(ProbeEndpoints.Create(lifetime, exporter, () => table.Routes is null ? "no ring yet" : null))
                .Concat(own)
                .Concat(extra.SelectMany(e => e.Endpoints)),
            new HttpTableSettings
            {
                Process = "router",
                MissStatus = options.MissStatus,
                MaxBodyBytes = options.MaxBodyBytes,
                Recorder = name => (ok, _) => metrics.Request("http", name, ok),
                Translate = e => e switch
                {
                    UpstreamException u => new HttpFailure(StatusCodes.Status503ServiceUnavailable, $"node {u.NodeName} ({u.Address}) is down: {u.Cause}"),
                    NoRingException => new HttpFailure(StatusCodes.Status503ServiceUnavailable, e.Message),
                    _ => null,
                },
                Logger = logger,
            });
        HotRequests = new HotKeyRequests(keyEndpoints, _endpoints, answersAtOnce: false);
    }

    /// <summary>/get and /put for the HTTP connections' own reader, counted in the same table; each waits for its node.</summary>
    public IHotKeyRequests HotRequests { get; }

    public Task HandleAsync(HttpContext context) => _endpoints.HandleAsync(context);

    private ValueTask<int> RingAsync(HttpContext context)
    {
        if (_table.Routes is not { } routes)
        {
            return new(HttpReplies.WriteError(context, StatusCodes.Status503ServiceUnavailable, "no ring yet"));
        }

        byte[] json = routes.Document.ToUtf8Json();
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = json.Length;
        context.Response.BodyWriter.Write(json);
        return new(StatusCodes.Status200OK);
    }

    /// <summary>{"status":"OK","epoch":N,"rebalancing":bool}: the ring this router routes by now; 503 before it knows one.</summary>
    private ValueTask<int> EpochAsync(HttpContext context)
    {
        if (_table.Routes is not { } routes)
        {
            return new(HttpReplies.WriteError(context, StatusCodes.Status503ServiceUnavailable, "no ring yet"));
        }

        JsonReply reply = JsonReply.Rent();
        reply.Writer.WriteStartObject();
        reply.Writer.WriteString("status"u8, "OK"u8);
        reply.Writer.WriteNumber("epoch"u8, routes.Epoch);
        reply.Writer.WriteBoolean("rebalancing"u8, routes.Previous is not null);
        reply.Writer.WriteEndObject();
        return new(HttpReplies.Write(context, StatusCodes.Status200OK, reply));
    }
}
