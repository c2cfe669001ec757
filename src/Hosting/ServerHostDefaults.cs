using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KubeCache.Hosting;

/// <summary>What every KubeCache server process (node, router) sets up the same way on its web host.</summary>
public static class ServerHostDefaults
{
    /// <param name="builder">The host being built.</param>
    /// <param name="logging">Replaces the console logging (tests pass one that clears providers); null keeps it.</param>
    /// <param name="shutdownTimeout">How long stopping takes at most: the shutdown delay and the drain.</param>
    public static void Apply(WebApplicationBuilder builder, Action<ILoggingBuilder>? logging, TimeSpan shutdownTimeout)
    {
        builder.Logging.ClearProviders();
        if (logging is null)
        {
            builder.Logging.AddSimpleConsole(c => c.SingleLine = true).SetMinimumLevel(LogLevel.Information);
            builder.Logging.AddFilter("Microsoft", LogLevel.Warning);

            // With any level enabled, ASP.NET Core's hosting diagnostics start an Activity per request
            // for log scopes; the servers log no per-request lines, so that category is off entirely.
            builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        }
        else
        {
            logging(builder.Logging);
        }

        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = shutdownTimeout);

        // Requests are short and never block, so they run on the socket's I/O thread instead of
        // hopping to the thread pool: one hop less per request, which is most of a cache's cost.
        // Receives go straight into a pooled 4 KiB buffer rather than first waiting with a
        // zero-byte read: one system call less per request, for 4 KiB per open connection.
        builder.WebHost.UseSockets(sockets =>
        {
            sockets.UnsafePreferInlineScheduling = true;
            sockets.WaitForDataBeforeAllocatingBuffer = false;
        });
    }
}
