using System.Net;
using KubeCache.Hosting.Limits;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace KubeCache.CacheNode.Tests.Limits;

/// <summary>The connection counts behind --max-connections and --max-connections-per-ip, and the Kestrel limits derived from the options.</summary>
public sealed class ConnectionGateTests
{
    private static readonly IPAddress First = IPAddress.Parse("10.0.0.1");
    private static readonly IPAddress Second = IPAddress.Parse("10.0.0.2");

    [Fact]
    public void TryEnter_PastPerAddressLimit_RefusesThatAddressOnly()
    {
        var gate = new ConnectionGate(maxConnections: 10, maxPerAddress: 2);

        Assert.Null(gate.TryEnter(First));
        Assert.Null(gate.TryEnter(First));
        Assert.Equal(RejectReason.MaxConnectionsPerIp, gate.TryEnter(First));
        Assert.Null(gate.TryEnter(Second));
        Assert.Equal(3, gate.Open);
    }

    [Fact]
    public void TryEnter_PastTotalLimit_RefusesEveryAddress()
    {
        var gate = new ConnectionGate(maxConnections: 2, maxPerAddress: 0);

        Assert.Null(gate.TryEnter(First));
        Assert.Null(gate.TryEnter(First));
        Assert.Equal(RejectReason.MaxConnections, gate.TryEnter(Second));
        Assert.Equal(RejectReason.MaxConnections, gate.TryEnter(null));
    }

    [Fact]
    public void Release_AfterRefusals_FreesExactlyTheAdmittedSlots()
    {
        var gate = new ConnectionGate(maxConnections: 3, maxPerAddress: 1);
        Assert.Null(gate.TryEnter(First));
        Assert.Equal(RejectReason.MaxConnectionsPerIp, gate.TryEnter(First));

        gate.Release(First);

        Assert.Equal(0, gate.Open);
        Assert.Null(gate.TryEnter(First));
    }

    [Fact]
    public void AddressOf_Ipv4MappedIpv6_CountsAsTheIpv4Address()
    {
        var mapped = new IPEndPoint(First.MapToIPv6(), 5000);

        Assert.Equal(First, ConnectionGate.AddressOf(mapped));
        Assert.Null(ConnectionGate.AddressOf(null));
    }

    [Fact]
    public void ApplyTo_Options_SetKestrelsLimits()
    {
        var limits = new ConnectionLimits
        {
            MaxRequestLineBytes = 1000,
            MaxHeaderBytes = 2000,
            MaxHeaderCount = 7,
            IdleTimeout = TimeSpan.FromSeconds(9),
            RequestTimeout = TimeSpan.FromSeconds(4),
            OutputTimeout = TimeSpan.FromSeconds(6),
            MinDataRate = 500,
        };
        var kestrel = new KestrelServerLimits();

        limits.ApplyTo(kestrel, maxBodyBytes: 4096);

        Assert.Equal((4096L, 1000, 2000, 7), (kestrel.MaxRequestBodySize!.Value, kestrel.MaxRequestLineSize, kestrel.MaxRequestHeadersTotalSize, kestrel.MaxRequestHeaderCount));
        Assert.Equal((TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(4)), (kestrel.KeepAliveTimeout, kestrel.RequestHeadersTimeout));
        Assert.Equal((500.0, TimeSpan.FromSeconds(4)), (kestrel.MinRequestBodyDataRate!.BytesPerSecond, kestrel.MinRequestBodyDataRate.GracePeriod));
        Assert.Equal((500.0, TimeSpan.FromSeconds(6)), (kestrel.MinResponseDataRate!.BytesPerSecond, kestrel.MinResponseDataRate.GracePeriod));
        Assert.Null(kestrel.MaxConcurrentConnections);
    }
}
