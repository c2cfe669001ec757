using System.Net;
using System.Net.Sockets;
using KubeCache.Hosting;

namespace KubeCache.Router.Tests.Local;

/// <summary>
/// Ports local mode gives its node processes (and tests their servers) before they listen: taken
/// from below the kernel's ephemeral range, so no connection opened meanwhile can take one and
/// leave the node unable to bind (a scale-up then failed with the node not ready).
/// </summary>
public sealed class LoopbackPortsTests
{
    private static readonly int EphemeralStart = int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split('\t', ' ')[0], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Free_ManyTimes_GivesDistinctListenablePortsBelowTheEphemeralRange()
    {
        int[] ports = [.. Enumerable.Range(0, 200).Select(_ => LoopbackPorts.Free())];

        Assert.All(ports, port => Assert.InRange(port, LoopbackPorts.Lowest, EphemeralStart - 1));
        Assert.Equal(ports.Length, ports.Distinct().Count());
        using var listener = new TcpListener(IPAddress.Loopback, ports[^1]);
        listener.Start();
    }

    [Fact]
    public async Task Free_ConnectionsOpenedAfterwards_TakeTheirLocalPortsElsewhere()
    {
        int port = LoopbackPorts.Free();
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        var clients = new List<TcpClient>();
        try
        {
            for (int i = 0; i < 50; i++)
            {
                var client = new TcpClient();
                clients.Add(client);
                await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)server.LocalEndpoint).Port);
                Assert.NotEqual(port, ((IPEndPoint)client.Client.LocalEndPoint!).Port);
                Assert.True(((IPEndPoint)client.Client.LocalEndPoint!).Port >= EphemeralStart, "an outgoing connection took a port below the ephemeral range");
            }

            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public void Free_EveryPortBelowTheRangeReserved_GivesAnotherOne()
    {
        var reserved = Enumerable.Range(LoopbackPorts.Lowest, EphemeralStart - LoopbackPorts.Lowest).ToHashSet();

        int port = LoopbackPorts.Free(reserved);

        Assert.DoesNotContain(port, reserved);
        using var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
    }
}
