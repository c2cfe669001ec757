using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace KubeCache.Hosting;

/// <summary>
/// Loopback ports for servers that are named before they listen (local mode's node processes,
/// which must be told their ports when they are started). A port the kernel hands out as free
/// (bind to port 0) comes from its ephemeral range (<c>net.ipv4.ip_local_port_range</c>), from
/// which every outgoing connection also takes its local port: between the moment it was free
/// and the server's bind, any connection on the machine may take it, and the server then cannot
/// listen. These ports come from below that range, where no connection takes one, and none is
/// handed out twice by one process.
/// </summary>
public static class LoopbackPorts
{
    /// <summary>The lowest port handed out: above the ports well-known services and most developer tools listen on.</summary>
    public const int Lowest = 20_000;

    /// <summary>Where the ephemeral range starts when the kernel does not say (Linux's default; macOS and Windows start higher).</summary>
    private const int DefaultEphemeralStart = 32_768;

    private static readonly Lock s_lock = new();
    private static readonly HashSet<int> s_given = [];
    private static readonly int s_ephemeralStart = ReadEphemeralStart();

    /// <summary>
    /// A loopback port below the ephemeral range that nothing listens on now, not in
    /// <paramref name="reserved"/> and not handed out before by this process; when that part of
    /// the range is too small or used up, one the kernel picks, as before.
    /// </summary>
    public static int Free(IReadOnlySet<int>? reserved = null)
    {
        for (int attempt = 0; attempt < 1_000 && s_ephemeralStart - Lowest >= 1_000; attempt++)
        {
            int port = Random.Shared.Next(Lowest, s_ephemeralStart);
            if (reserved?.Contains(port) == true || !Take(port))
            {
                continue;
            }

            if (CanListen(port))
            {
                return port;
            }
        }

        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            if (reserved?.Contains(port) != true && Take(port))
            {
                return port;
            }
        }
    }

    /// <summary>The start of the kernel's ephemeral port range, from /proc on Linux.</summary>
    private static int ReadEphemeralStart()
    {
        try
        {
            string range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range");
            string first = range.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0];
            return int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out int start) ? start : DefaultEphemeralStart;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or IndexOutOfRangeException)
        {
            return DefaultEphemeralStart;
        }
    }

    private static bool Take(int port)
    {
        lock (s_lock)
        {
            return s_given.Add(port);
        }
    }

    private static bool CanListen(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
