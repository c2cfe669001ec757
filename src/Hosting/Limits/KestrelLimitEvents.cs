using System.Diagnostics.Metrics;

namespace KubeCache.Hosting.Limits;

/// <summary>
/// Counts the HTTP limits Kestrel enforces itself (request line, headers, timeouts, data rates)
/// in <see cref="LimitMetrics"/>. Kestrel ends such a connection before the application sees a
/// request, but records why on its <c>kestrel.connection.duration</c> histogram (<c>error.type</c>);
/// this listens to that instrument on the host's own meters only, so hosts sharing a process (tests)
/// do not count each other's connections.
/// </summary>
internal sealed class KestrelLimitEvents : IDisposable
{
    private const string KestrelMeter = "Microsoft.AspNetCore.Server.Kestrel";
    private const string ConnectionDuration = "kestrel.connection.duration";

    private readonly MeterListener _listener = new();
    private readonly LimitMetrics _metrics;

    public KestrelLimitEvents(IMeterFactory scope, LimitMetrics metrics)
    {
        _metrics = metrics;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == KestrelMeter && ReferenceEquals(instrument.Meter.Scope, scope) && instrument.Name == ConnectionDuration)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, _, tags, _) => Ended(tags));
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();

    private void Ended(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            if (tag.Key == "error.type" && tag.Value is string error)
            {
                Count(error);
                return;
            }
        }
    }

    private void Count(string error)
    {
        switch (error)
        {
            case "keep_alive_timeout":
                _metrics.Closed(resp: false, CloseReason.Idle);
                break;
            case "request_headers_timeout" or "min_request_body_data_rate":
                _metrics.Closed(resp: false, CloseReason.SlowRequest);
                break;
            case "min_response_data_rate":
                _metrics.Closed(resp: false, CloseReason.SlowResponse);
                break;

            // Kestrel reports a request line over the limit (414) and a malformed one (400) alike.
            case "invalid_request_line":
                _metrics.RequestRejected(RequestLimit.RequestLine);
                break;
            case "max_request_headers_total_size_exceeded":
                _metrics.RequestRejected(RequestLimit.HeaderBytes);
                break;
            case "max_request_header_count_exceeded":
                _metrics.RequestRejected(RequestLimit.HeaderCount);
                break;
            case "max_request_body_size_exceeded":
                _metrics.RequestRejected(RequestLimit.Body);
                break;
        }
    }
}
