using k8s;
using KubeCache.Router.Hosting;
using KubeCache.Router.Options;
using Microsoft.Extensions.Logging;

namespace KubeCache.Testing;

/// <summary>Real routers started in-process on loopback, as the router's tests use them.</summary>
public static class TestRouters
{
    /// <summary>
    /// Starts a router with the test defaults (ring polled every 50 ms, a 10 s upstream timeout, no
    /// logging), changed by <paramref name="configure"/>. HTTP takes an ephemeral port; RESP gets a
    /// port that was free a moment ago, and the start is retried in the rare case another process
    /// took it meanwhile. <paramref name="kubernetes"/> is the API connection for --ring-configmap.
    /// </summary>
    public static async Task<RouterServer> StartAsync(Action<RouterOptions>? configure = null, KubernetesClientConfiguration? kubernetes = null)
    {
        for (int attempt = 1; ; attempt++)
        {
            var options = new RouterOptions
            {
                Bind = "127.0.0.1",
                HttpPort = 0,
                RespPort = Ports.Free(),
                RingPollInterval = TimeSpan.FromMilliseconds(50),
                // Generous: every test class starts at once on a loaded 2-core machine.
                UpstreamTimeout = TimeSpan.FromSeconds(10),
            };
            configure?.Invoke(options);
            RouterServer router = RouterServer.Create(options, logging: l => l.ClearProviders(), kubernetes: kubernetes);
            try
            {
                await router.StartAsync();
                return router;
            }
            catch (IOException) when (attempt < 5)
            {
                await router.DisposeAsync();
            }
        }
    }
}
