using KubeCache.HttpContract;
using KubeCache.Prometheus;
using Microsoft.AspNetCore.Http;

namespace KubeCache.ClientContract.Http;

/// <summary>/health, /healthz, /readyz and /metrics, which every server answers the same way.</summary>
public static class ProbeEndpoints
{
    /// <summary>
    /// The probe endpoints; <paramref name="notReady"/> gives the reason the process is not ready
    /// (503 with it), or null when it is.
    /// </summary>
    public static IEnumerable<HttpEndpoint> Create(Func<string?> notReady, PrometheusExporter exporter) =>
    [
        new("/health", "health", ["GET", "HEAD"], Healthy),
        new("/healthz", "healthz", ["GET", "HEAD"], Healthy),
        new("/readyz", "readyz", ["GET", "HEAD"], context => new(notReady() is { } reason
            ? HttpReplies.WriteError(context, StatusCodes.Status503ServiceUnavailable, reason)
            : HttpReplies.WriteOk(context, "ready"))),
        new("/metrics", "metrics", ["GET"], context => MetricsAsync(context, exporter)),
    ];

    private static ValueTask<int> Healthy(HttpContext context) => new(HttpReplies.WriteOk(context, "healthy"));

    private static async ValueTask<int> MetricsAsync(HttpContext context, PrometheusExporter exporter)
    {
        context.Response.ContentType = PrometheusExporter.ContentType;
        exporter.Write(context.Response.BodyWriter);
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        return StatusCodes.Status200OK;
    }
}
