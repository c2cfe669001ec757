using k8s;
using KubeCache.Router.Hosting;
using KubeCache.Router.Options;
using Microsoft.Extensions.Logging;

namespace KubeCache.Testing;

/// <summary>Real routers started in-process on loopback, as the router's tests use them.</summary>
public static class TestRouters
{
    /// <summary>
    /// The upstream request timeout of routers in tests: generous, because every test class starts
    /// at once on a loaded 2-core machine, and nodes started in the test process share its thread
    /// pool with the tests running beside it.
    /// </summary>
    public static readonly TimeSpan UpstreamTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The upstream connect timeout of routers in tests, generous for the same reason: a connect
    /// to a loopback listener completes at once in the kernel, but its continuation can wait on a
    /// busy thread pool longer than the default 500 ms.
    /// </summary>
    public static readonly TimeSpan UpstreamConnectTimeout = TimeSpan.FromSeconds(5);

    /// <summary><see cref="UpstreamTimeout"/> and <see cref="UpstreamConnectTimeout"/> as a router process's flags.</summary>
    public static readonly string[] UpstreamTimeoutFlags =
        ["--upstream-timeout", $"{UpstreamTimeout.TotalSeconds}s", "--upstream-connect-timeout", $"{UpstreamConnectTimeout.TotalSeconds}s"];

    /// <summary>
    /// Starts a router with the test defaults (ring polled every 50 ms, the upstream timeouts above, no
    /// logging), changed by <paramref name="configure"/>. HTTP takes an ephemeral port; RESP gets a
    /// port from <see cref="Ports.Free"/> (see <see cref="Ports.StartAsync"/>).
    /// <paramref name="kubernetes"/> is the API connection for --ring-configmap.
    /// </summary>
    public static Task<RouterServer> StartAsync(Action<RouterOptions>? configure = null, KubernetesClientConfiguration? kubernetes = null) =>
        Ports.StartAsync(() =>
        {
            var options = new RouterOptions
            {
                Bind = "127.0.0.1",
                HttpPort = 0,
                RespPort = Ports.Free(),
                RingPollInterval = TimeSpan.FromMilliseconds(50),
                UpstreamTimeout = UpstreamTimeout,
                UpstreamConnectTimeout = UpstreamConnectTimeout,
            };
            configure?.Invoke(options);
            return RouterServer.Create(options, logging: l => l.ClearProviders(), kubernetes: kubernetes);
        });
}
