using System.Diagnostics.Metrics;

namespace KubeCache.Hosting.Transport;

/// <summary>
/// <c>kvcache_connections_inline{protocol}</c>: the connections served on the event loop's thread
/// now (<see cref="IInlineServingFeature"/>), by protocol. Beside <c>kvcache_connections</c> it
/// tells how much of the traffic takes the short path; the rest is served from the connections' pipes.
/// </summary>
public sealed class InlineServingMetrics
{
    private long _resp;
    private long _http;

    /// <param name="meter">The process's meter; the gauge is created on it.</param>
    public InlineServingMetrics(Meter meter) =>
        meter.CreateObservableGauge("kvcache.connections.inline", Observe, "{connection}",
            "Connections served on the event loop's thread now, with no pipes between the socket and the reply, by protocol.");

    private long Count(bool resp) => Volatile.Read(ref resp ? ref _resp : ref _http);

    /// <summary>Counts a connection from now until the returned scope is disposed.</summary>
    public Scope Serving(bool resp)
    {
        Interlocked.Increment(ref resp ? ref _resp : ref _http);
        return new Scope(this, resp);
    }

    private IEnumerable<Measurement<long>> Observe()
    {
        yield return new(Count(resp: true), new KeyValuePair<string, object?>("protocol", "resp"));
        yield return new(Count(resp: false), new KeyValuePair<string, object?>("protocol", "http"));
    }

    public readonly struct Scope(InlineServingMetrics metrics, bool resp) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref resp ? ref metrics._resp : ref metrics._http);
    }
}
