using KubeCache.Router.Upstream;
using Microsoft.AspNetCore.Connections;

namespace KubeCache.Router.Tests.Support;

/// <summary>Upstream options for tests, with shorter intervals where a test waits for them.</summary>
internal static class TestOptions
{
    /// <summary>
    /// Connect timeout for tests that do not test it: a first connection on a loaded 2-core machine,
    /// with every test class starting at once, can take longer than the 500 ms default.
    /// </summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Options with the given request timeout, mark-down intervals and connections per node; <paramref name="transport"/> opens the connections on an event loop (<see cref="TestTransports.EventLoop"/>), null on .NET's sockets.</summary>
    public static UpstreamOptions Create(int requestMs = 10_000, int markDownMs = 100, int maxMarkDownMs = 5_000, int connections = 2, IConnectionFactory? transport = null) => new()
    {
        Connections = transport,
        ConnectionsPerNode = connections,
        ConnectTimeout = ConnectTimeout,
        RequestTimeout = TimeSpan.FromMilliseconds(requestMs),
        MarkDownInterval = TimeSpan.FromMilliseconds(markDownMs),
        MaxMarkDownInterval = TimeSpan.FromMilliseconds(Math.Max(markDownMs, maxMarkDownMs)),
    };
}
