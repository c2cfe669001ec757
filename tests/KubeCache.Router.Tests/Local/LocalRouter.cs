using System.Net;
using KubeCache.Local;
using KubeCache.Router.Hosting;
using KubeCache.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KubeCache.Router.Tests.Local;

/// <summary>A router in local mode, in-process, with its nodes as child processes run from the test's output directory.</summary>
internal sealed class LocalRouter : IAsyncDisposable
{
    private LocalRouter(RouterServer server)
    {
        Server = server;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.Options.HttpPort}"), Timeout = TimeSpan.FromSeconds(120) };
    }

    public RouterServer Server { get; }

    public HttpClient Http { get; }

    public LocalCluster Cluster => Server.Services.GetRequiredService<LocalCluster>();

    public IPEndPoint RespEndPoint => new(IPAddress.Loopback, Server.Options.RespPort);

    /// <param name="nodes">Local nodes to start.</param>
    /// <param name="upstreamTimeout">
    /// How long a node may take to answer; default the router's (1 s). Tests about losing nothing
    /// raise it: on two shared cores a node receiving a handoff while it is still compiling its hot
    /// paths can take longer than a second, which is a slow reply, not a lost key.
    /// </param>
    /// <param name="configure">Changes the router's options before it starts (security settings).</param>
    /// <param name="output">Where the router's warnings go (<see cref="TestOutputLogging"/>); nowhere when null.</param>
    public static async Task<LocalRouter> StartAsync(
        int nodes, TimeSpan? upstreamTimeout = null, Action<LocalOptions>? configure = null, Xunit.Abstractions.ITestOutputHelper? output = null)
    {
        var options = new LocalOptions
        {
            Bind = "127.0.0.1",
            HttpPort = Ports.Free(),
            RespPort = Ports.Free(),
            LocalNodes = nodes,
            LocalNodeMemoryBytes = 256L << 20,
            HandoffDeadline = TimeSpan.FromSeconds(60),
        };
        if (upstreamTimeout is { } timeout)
        {
            options.UpstreamTimeout = timeout;
        }

        configure?.Invoke(options);

        RouterServer server = LocalMode.Create(options, logging: output is null ? l => l.ClearProviders() : TestOutputLogging.For(output));
        try
        {
            using var startup = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await server.StartAsync(startup.Token);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return new LocalRouter(server);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await Server.StopAsync(timeout.Token);
        await Server.DisposeAsync();
    }
}

/// <summary>Tests that start real node processes: one at a time, so two cores are not shared by fifteen processes.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LocalClusterCollection
{
    public const string Name = "Local cluster processes";
}
