using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using KubeCache.Router.Routing;

namespace KubeCache.Router.Metrics;

/// <summary>
/// The router's instruments on the <see cref="MeterName"/> meter: requests by protocol, command
/// and result, upstream requests and latency per node, ring epoch, redirects and nodes marked
/// down.
/// </summary>
public sealed class RouterMetrics : IDisposable
{
    public const string MeterName = "KubeCache.Router";

    private readonly Meter _meter;
    private readonly Histogram<double> _upstreamDuration;
    private readonly ConcurrentDictionary<(string Node, bool Ok), long> _upstream = new();
    private readonly ConcurrentDictionary<(string Protocol, string Command, bool Ok), long> _requests = new();
    private readonly ConcurrentDictionary<string, long> _redirects = new(StringComparer.Ordinal);

    public RouterMetrics(IMeterFactory meters, RouteTable table)
    {
        _meter = meters.Create(MeterName);
        _upstreamDuration = _meter.CreateHistogram<double>("kvcache.router.upstream.duration", "s", "Time from sending a request to a node to its reply, by node.");
        _meter.CreateObservableCounter("kvcache.router.requests", () => _requests.Select(r => new Measurement<long>(
            r.Value, new("protocol", r.Key.Protocol), new("command", r.Key.Command), new("result", r.Key.Ok ? "ok" : "error"))), "{request}", "Client requests by protocol, command and result.");
        _meter.CreateObservableCounter("kvcache.router.upstream.requests", () => _upstream.Select(r => new Measurement<long>(
            r.Value, new("node", r.Key.Node), new("result", r.Key.Ok ? "ok" : "error"))), "{request}", "Requests forwarded to nodes, by node and result.");
        _meter.CreateObservableGauge("kvcache.router.ring.epoch", () => table.Routes?.Epoch ?? 0, "{epoch}", "Epoch of the ring in use.");
        _meter.CreateObservableGauge("kvcache.router.rebalancing", () => table.Routes?.Previous is null ? 0 : 1, "{flag}", "1 while the ring has a previous generation (a rebalance is in progress).");
        _meter.CreateObservableCounter("kvcache.router.redirects", () => _redirects.Select(r => new Measurement<long>(r.Value, new KeyValuePair<string, object?>("node", r.Key))), "{redirect}", "Commands a node redirected because its ring and the router's differed, by node; the router catches up and sends them again.");
        _meter.CreateObservableGauge("kvcache.router.nodes.down", () => table.Pool.Clients.Count(c => c.IsDown), "{node}", "Nodes marked down after failing to answer.");
    }

    public void Request(string protocol, string command, bool ok) => _requests.AddOrUpdate((protocol, command, ok), 1, (_, n) => n + 1);

    public void Upstream(string node, bool ok, long startTimestamp)
    {
        _upstream.AddOrUpdate((node, ok), 1, (_, n) => n + 1);
        _upstreamDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, new KeyValuePair<string, object?>("node", node));
    }

    public void Redirect(string node) => _redirects.AddOrUpdate(node, 1, (_, n) => n + 1);

    public void Dispose() => _meter.Dispose();
}
