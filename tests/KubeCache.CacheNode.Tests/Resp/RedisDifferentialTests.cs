using KubeCache.CacheNode.Hosting;
using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Resp;

/// <summary>
/// The string and keyspace family answers exactly as Redis does: each script of
/// <see cref="RedisDifferential"/> goes to a real redis-server and to a node of its own, reply by reply.
/// </summary>
public sealed class RedisDifferentialTests(RedisDifferentialTests.Servers servers) : IClassFixture<RedisDifferentialTests.Servers>
{
    [Theory]
    [MemberData(nameof(RedisDifferential.ScriptsAndProtocols), MemberType = typeof(RedisDifferential))]
    public Task Script_SameCommandsToRedisAndNode_SameReplies(string script, int protocol) =>
        RedisDifferential.AssertSameRepliesAsync(servers.Redis.EndPoint, servers.Node.RespEndPoint!, script, protocol);

    /// <summary>A redis-server and a node whose keyspaces only these tests use (each script flushes both).</summary>
    public sealed class Servers : IAsyncLifetime
    {
        private RedisServer? _redis;
        private CacheNodeServer? _node;

        public RedisServer Redis => _redis!;

        public CacheNodeServer Node => _node!;

        public async Task InitializeAsync()
        {
            _redis = await RedisServer.StartAsync();
            _node = await TestNodes.StartAsync();
        }

        public async Task DisposeAsync()
        {
            if (_node is not null)
            {
                await _node.DisposeAsync();
            }

            if (_redis is not null)
            {
                await _redis.DisposeAsync();
            }
        }
    }
}
