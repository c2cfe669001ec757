using System.Net;
using System.Net.Sockets;

namespace KubeCache.EndToEnd.Tests.Cluster;

/// <summary>
/// Pod IPs: 127.0.0.10 to 127.0.0.250 (Linux routes all of 127/8 to lo). Shared by every
/// simulated cluster in the test process and handed out round robin, so a pod's address is not
/// reused at once by the next pod (sockets of the last one may linger in TIME_WAIT), and an
/// address whose HTTP port is still bound by something else is skipped.
/// </summary>
public static class LoopbackAddresses
{
    private const int First = 10;
    private const int Last = 250;
    private static readonly HashSet<int> InUse = [];
    private static int _next = First;

    /// <summary>A free pod address whose <paramref name="probePort"/> can be bound right now.</summary>
    public static IPAddress Allocate(int probePort)
    {
        lock (InUse)
        {
            for (int tries = 0; tries <= Last - First; tries++)
            {
                int candidate = _next;
                _next = _next == Last ? First : _next + 1;
                var address = new IPAddress([127, 0, 0, (byte)candidate]);
                if (!InUse.Contains(candidate) && CanBind(address, probePort))
                {
                    InUse.Add(candidate);
                    return address;
                }
            }
        }
        throw new InvalidOperationException("no free loopback address in 127.0.0.10-250");
    }

    public static void Release(IPAddress address)
    {
        lock (InUse)
        {
            InUse.Remove(address.GetAddressBytes()[3]);
        }
    }

    private static bool CanBind(IPAddress address, int port)
    {
        try
        {
            using var listener = new TcpListener(address, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
