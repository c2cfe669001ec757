using System.Net;

namespace KubeCache.Testing;

/// <summary>
/// The string and keyspace family answers exactly as Redis does, on every front that speaks RESP:
/// each script of <see cref="RedisDifferential"/> goes to a real redis-server and to the front
/// that <typeparamref name="TServers"/> starts, reply by reply. A node's test project and a
/// router's each bind it through a subclass.
/// </summary>
public abstract class RedisDifferentialContract<TServers>(TServers servers)
    where TServers : RedisDifferentialServers
{
    [Theory]
    [MemberData(nameof(RedisDifferential.ScriptsAndProtocols), MemberType = typeof(RedisDifferential))]
    public Task Script_SameCommandsToRedisAndKubeCache_SameReplies(string script, int protocol) =>
        RedisDifferential.AssertSameRepliesAsync(servers.Redis.EndPoint, servers.Subject, script, protocol);
}

/// <summary>A redis-server and a KubeCache front whose keyspaces only the differential scripts use (each script flushes both).</summary>
public abstract class RedisDifferentialServers : IAsyncLifetime
{
    private RedisServer? _redis;
    private IAsyncDisposable? _front;

    public RedisServer Redis => _redis ?? throw new InvalidOperationException("The fixture is not initialised.");

    /// <summary>The RESP endpoint of the front under test.</summary>
    public IPEndPoint Subject { get; private set; } = null!;

    /// <summary>Starts the front under test; it is disposed with the fixture.</summary>
    protected abstract Task<(IAsyncDisposable Front, IPEndPoint Resp)> StartFrontAsync();

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        (_front, Subject) = await StartFrontAsync();
    }

    public async Task DisposeAsync()
    {
        if (_front is not null)
        {
            await _front.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }
}
