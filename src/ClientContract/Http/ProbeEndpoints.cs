using KubeCache.HttpContract;
using KubeCache.Prometheus;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace KubeCache.ClientContract.Http;

/// <summary>/health, /healthz, /readyz and /metrics, which every server answers the same way.</summary>
public static class ProbeEndpoints
{
    /// <summary>
    /// The probe endpoints. /readyz is 503 "shutting down" once <paramref name="lifetime"/> is
    /// stopping, else 503 with the reason <paramref name="notReady"/> gives (null: ready).
    /// </summary>
    public static IEnumerable<HttpEndpoint> Create(IHostApplicationLifetime lifetime, PrometheusExporter exporter, Func<string?>? notReady = null) =>
        Create(() => lifetime.ApplicationStopping.IsCancellationRequested ? "shutting down" : notReady?.Invoke(), exporter);

    private static IEnumerable<HttpEndpoint> Create(Func<string?> notReady, PrometheusExporter exporter) =>
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
