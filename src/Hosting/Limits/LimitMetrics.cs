using System.Diagnostics.Metrics;

namespace KubeCache.Hosting.Limits;

/// <summary>Why the server closed an open connection.</summary>
public enum CloseReason
{
    /// <summary>No request arrived for --idle-timeout.</summary>
    Idle,

    /// <summary>A request took longer than --request-timeout (plus its size over --min-data-rate) to arrive.</summary>
    SlowRequest,

    /// <summary>Replies waited longer than --output-timeout (or their size over --min-data-rate) for the client to read them.</summary>
    SlowResponse,
}

/// <summary>A request refused for its size.</summary>
public enum RequestLimit
{
    /// <summary>HTTP request line over --max-request-line-bytes (414), or malformed (400): Kestrel reports both alike.</summary>
    RequestLine,

    /// <summary>HTTP headers over --max-header-bytes (431).</summary>
    HeaderBytes,

    /// <summary>More HTTP headers than --max-header-count (431).</summary>
    HeaderCount,

    /// <summary>HTTP body over --max-body-bytes (413).</summary>
    Body,

    /// <summary>RESP bulk over --resp-max-bulk-bytes, array over --resp-max-array-length, or an inline command over 64 KiB.</summary>
    RespFrame,

    /// <summary>RESP frame from a connection not yet authenticated over --auth-preauth-max-arguments or --auth-preauth-max-bulk-bytes.</summary>
    RespUnauthenticated,
}

/// <summary>
/// Counts every limit of <see cref="ConnectionLimits"/> that triggers, under the same names in
/// every process (on that process's meter): <c>kvcache_connections_rejected_total{reason}</c>,
/// <c>kvcache_connections_closed_total{protocol,reason}</c>,
/// <c>kvcache_requests_rejected_total{protocol,reason}</c>, and the reply bytes waiting for
/// clients that do not read them, <c>kvcache_connections_output_pending_bytes</c> (now) and
/// <c>…_pending_peak_bytes</c> (the most one connection ever had waiting).
/// </summary>
public sealed class LimitMetrics
{
    private static readonly string[] RejectLabels = ["max_connections", "max_connections_per_ip"];
    private static readonly string[] CloseLabels = ["idle", "slow_request", "slow_response"];
    private static readonly string[] RequestLabels = ["request_line", "header_bytes", "header_count", "body_bytes", "resp_frame", "resp_unauthenticated"];

    private readonly long[] _rejected = new long[RejectLabels.Length];
    private readonly long[] _closedResp = new long[CloseLabels.Length];
    private readonly long[] _closedHttp = new long[CloseLabels.Length];
    private readonly long[] _requests = new long[RequestLabels.Length];
    private long _pendingOutput;
    private long _peakOutput;

    /// <param name="meter">The process's meter; the instruments are created on it.</param>
    public LimitMetrics(Meter meter)
    {
        meter.CreateObservableCounter("kvcache.connections.rejected", () => Observe(_rejected, RejectLabels, null), "{connection}",
            "Connections refused when opened, by the limit reached: max_connections or max_connections_per_ip.");
        meter.CreateObservableCounter("kvcache.connections.closed", ObserveClosed, "{connection}",
            "Open connections the server closed for a limit, by protocol and reason: idle, slow_request, slow_response.");
        meter.CreateObservableCounter("kvcache.requests.rejected", ObserveRequests, "{request}",
            "Requests refused for their size, by protocol and the limit exceeded.");
        meter.CreateObservableGauge("kvcache.connections.output.pending", () => Volatile.Read(ref _pendingOutput), "By",
            "Reply bytes being flushed to clients that have not taken them yet.");
        meter.CreateObservableGauge("kvcache.connections.output.pending.peak", () => Volatile.Read(ref _peakOutput), "By",
            "The most reply bytes one connection has had waiting in one flush since start.");
    }

    /// <summary>Reply bytes being flushed now, summed over connections.</summary>
    public long PendingOutputBytes => Volatile.Read(ref _pendingOutput);

    /// <summary>The largest flush one connection has had waiting since start.</summary>
    public long PeakOutputBytes => Volatile.Read(ref _peakOutput);

    public void Rejected(RejectReason reason) => Interlocked.Increment(ref _rejected[(int)reason]);

    public void Closed(bool resp, CloseReason reason) => Interlocked.Increment(ref (resp ? _closedResp : _closedHttp)[(int)reason]);

    public void RequestRejected(RequestLimit limit) => Interlocked.Increment(ref _requests[(int)limit]);

    public long RejectedCount(RejectReason reason) => Volatile.Read(ref _rejected[(int)reason]);

    public long ClosedCount(bool resp, CloseReason reason) => Volatile.Read(ref (resp ? _closedResp : _closedHttp)[(int)reason]);

    public long RequestsRejectedCount(RequestLimit limit) => Volatile.Read(ref _requests[(int)limit]);

    /// <summary>Counts <paramref name="bytes"/> as waiting for a client until <see cref="OutputTaken"/>.</summary>
    public void OutputWaiting(long bytes)
    {
        Interlocked.Add(ref _pendingOutput, bytes);
        long peak = Volatile.Read(ref _peakOutput);
        while (bytes > peak)
        {
            long seen = Interlocked.CompareExchange(ref _peakOutput, bytes, peak);
            if (seen == peak)
            {
                break;
            }

            peak = seen;
        }
    }

    public void OutputTaken(long bytes) => Interlocked.Add(ref _pendingOutput, -bytes);

    private IEnumerable<Measurement<long>> ObserveClosed() =>
        Observe(_closedResp, CloseLabels, "resp").Concat(Observe(_closedHttp, CloseLabels, "http"));

    private IEnumerable<Measurement<long>> ObserveRequests()
    {
        for (int i = 0; i < RequestLabels.Length; i++)
        {
            string protocol = i >= (int)RequestLimit.RespFrame ? "resp" : "http";
            yield return new(Volatile.Read(ref _requests[i]), new("protocol", protocol), new("reason", RequestLabels[i]));
        }
    }

    private static IEnumerable<Measurement<long>> Observe(long[] counts, string[] labels, string? protocol)
    {
        for (int i = 0; i < counts.Length; i++)
        {
            yield return protocol is null
                ? new(Volatile.Read(ref counts[i]), new KeyValuePair<string, object?>("reason", labels[i]))
                : new(Volatile.Read(ref counts[i]), new("protocol", protocol), new("reason", labels[i]));
        }
    }
}
