using k8s;
using KubeCache.CacheNode.Hosting;
using KubeCache.CacheNode.Options;
using Microsoft.Extensions.Logging;

namespace KubeCache.Testing;

/// <summary>Real cache nodes started in-process on loopback, as the node's and the router's tests use them.</summary>
public static class TestNodes
{
    /// <summary>
    /// Starts a node with the test defaults (64 MiB, no logging), changed by <paramref name="configure"/>.
    /// HTTP takes an ephemeral port; --resp-port 0 means "no RESP listener", so RESP gets a port from
    /// <see cref="Ports.Free"/> (see <see cref="Ports.StartAsync"/>).
    /// <paramref name="kubernetes"/> is the API connection for --ring-configmap (a fake API server's).
    /// </summary>
    public static Task<CacheNodeServer> StartAsync(Action<NodeOptions>? configure = null, KubernetesClientConfiguration? kubernetes = null) =>
        Ports.StartAsync(() =>
        {
            var options = new NodeOptions { Bind = "127.0.0.1", HttpPort = 0, RespPort = Ports.Free(), MaxMemoryBytes = 64L << 20 };
            configure?.Invoke(options);
            return CacheNodeServer.Create(options, logging: l => l.ClearProviders(), kubernetes);
        });
}
