using KubeCache.Hosting.Transport;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace KubeCache.Router.Tests.Support;

/// <summary>The transports an upstream connection can run on, for tests that run the same cases on each.</summary>
internal static class TestTransports
{
    /// <summary>One event loop, shared by the test process, as a router with --io-threads 1 has.</summary>
    public static EpollTransportFactory EventLoop { get; } = new(Microsoft.Extensions.Options.Options.Create(new SocketTransportOptions()), threads: 1, pools: null);
}
