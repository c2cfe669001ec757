using System.Net;
using System.Net.Sockets;

namespace KubeCache.Testing;

/// <summary>Loopback ports for servers that tests start.</summary>
public static class Ports
{
    /// <summary>A loopback port nothing listens on (it was free a moment ago).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
