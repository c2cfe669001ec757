using KubeCache.Hosting.Options;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KubeCache.Hosting;

/// <summary>
/// The first step of a server's stop, before Kestrel's: /readyz turns 503 ("shutting down", from
/// <see cref="IHostApplicationLifetime.ApplicationStopping"/>) while every listener keeps serving
/// for <see cref="ServerOptions.ShutdownDelay"/>, so that a Service's endpoints drop the pod
/// before it stops accepting. Meanwhile every HTTP response says <c>Connection: close</c>, so a
/// keep-alive client opens its next connection through the Service (to another pod) instead of
/// sending on one the drain will close under it. Kestrel then stops listening and drains for
/// <see cref="ServerOptions.ShutdownTimeout"/>: an HTTP/1.1 connection closes after its current
/// response (Connection: close), a RESP connection after the batch it is serving
/// (<see cref="Resp.RespConnectionLoop{TConnection}"/>), and what is still open at the end is closed.
/// </summary>
internal sealed class ShutdownDrain(ServerOptions options, IHostApplicationLifetime lifetime, ILogger<ShutdownDrain> logger) : IHostedLifecycleService
{
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        // Stopping through StopAsync (tests, local mode) as well as SIGTERM fails readiness first.
        lifetime.StopApplication();
        if (options.ShutdownDelay <= TimeSpan.Zero)
        {
            return;
        }

        Log.ShutdownDelayed(logger, options.ShutdownDelay.TotalSeconds, options.ShutdownTimeout.TotalSeconds);
        try
        {
            await Task.Delay(options.ShutdownDelay, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The host's own stop deadline ended the delay: drain now.
        }
    }

    /// <summary>Middleware: once <paramref name="stopping"/> fires, each response closes its connection after it is sent.</summary>
    public static Func<RequestDelegate, RequestDelegate> CloseWhileStopping(CancellationToken stopping) => next => context =>
    {
        if (stopping.IsCancellationRequested)
        {
            context.Response.Headers.Connection = "close";
        }

        return next(context);
    };

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
