using System.Net;

namespace KubeCache.Testing;

/// <summary>
/// A real redis-server (Debian package redis-server) on a free loopback port, for differential tests
/// that send the same commands to Redis and to KubeCache. It runs as KubeCache does: no persistence,
/// evicting by LRU over all keys.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private RedisServer(ChildProcess process, IPEndPoint endPoint)
    {
        _process = process;
        EndPoint = endPoint;
    }

    public IPEndPoint EndPoint { get; }

    public static async Task<RedisServer> StartAsync()
    {
        int port = Ports.Free();
        string log = Path.Combine(Path.GetTempPath(), $"kubecache-redis-server-{port}.log");
        ChildProcess process = ChildProcess.Start(
            RedisTools.Find("redis-server"),
            ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--maxmemory", "64mb", "--maxmemory-policy", "allkeys-lru"],
            new Dictionary<string, string>(),
            log);
        var server = new RedisServer(process, new IPEndPoint(IPAddress.Loopback, port));
        await Poll.UntilAsync(
            async () =>
            {
                Assert.False(process.HasExited, $"redis-server exited: {ChildProcess.Tail(log)}");
                try
                {
                    await using RespTestClient client = await RespTestClient.ConnectAsync(server.EndPoint);
                    return (await client.CallAsync("PING")).AsString() == "PONG";
                }
                catch (System.Net.Sockets.SocketException)
                {
                    return false;
                }
            },
            "redis-server to answer PING",
            TimeSpan.FromSeconds(30));
        return server;
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
