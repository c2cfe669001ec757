using KubeCache.Testing;

namespace KubeCache.Router.Tests.Resp;

/// <summary>
/// Through a router, the string and keyspace family answers exactly as Redis does: each script of
/// <see cref="RedisDifferential"/> goes to a real redis-server and to a router over one node of its own.
/// </summary>
public sealed class RedisDifferentialTests(RedisDifferentialTests.Servers servers) : IClassFixture<RedisDifferentialTests.Servers>
{
    [Theory]
    [MemberData(nameof(RedisDifferential.ScriptsAndProtocols), MemberType = typeof(RedisDifferential))]
    public Task Script_SameCommandsToRedisAndRouter_SameReplies(string script, int protocol) =>
        RedisDifferential.AssertSameRepliesAsync(servers.Redis.EndPoint, servers.Cluster.Resp, script, protocol);

    /// <summary>A redis-server and a one-node cluster whose keyspaces only these tests use (each script flushes both).</summary>
    public sealed class Servers : IAsyncLifetime
    {
        private RedisServer? _redis;
        private RouterCluster? _cluster;

        public RedisServer Redis => _redis!;

        public RouterCluster Cluster => _cluster!;

        public async Task InitializeAsync()
        {
            _redis = await RedisServer.StartAsync();
            _cluster = await RouterCluster.StartAsync(1, fenced: false);
        }

        public async Task DisposeAsync()
        {
            if (_cluster is not null)
            {
                await _cluster.DisposeAsync();
            }

            if (_redis is not null)
            {
                await _redis.DisposeAsync();
            }
        }
    }
}
