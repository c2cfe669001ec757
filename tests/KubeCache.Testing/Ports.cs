using KubeCache.Hosting;

namespace KubeCache.Testing;

/// <summary>Loopback ports for servers that tests start.</summary>
public static class Ports
{
    /// <summary>A loopback port nothing listens on (it was free a moment ago), outside the range connections take theirs from (<see cref="LoopbackPorts"/>).</summary>
    public static int Free() => LoopbackPorts.Free();

    /// <summary>
    /// Creates and starts a server that listens on ports from <see cref="Free"/>: such a port was
    /// free a moment ago, so in the rare case another process took it meanwhile the server is
    /// created again (<paramref name="create"/> draws new ports) and started, up to 5 times.
    /// </summary>
    public static async Task<T> StartAsync<T>(Func<T> create)
        where T : KubeCacheServer
    {
        for (int attempt = 1; ; attempt++)
        {
            T server = create();
            try
            {
                await server.StartAsync();
                return server;
            }
            catch (IOException) when (attempt < 5)
            {
                await server.DisposeAsync();
            }
        }
    }
}
