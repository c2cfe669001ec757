using System.Net;
using StackExchange.Redis;

namespace KubeCache.Testing;

/// <summary>
/// Real Redis client libraries, each with its default options, against every front that speaks
/// RESP: StackExchange.Redis in-process (RESP2 and RESP3), redis-py (Debian's python3-redis, with
/// /usr/bin/python3), ioredis and node-redis (npm, tests/clients, which scripts/install-tools.sh
/// installs). Each connects, writes strings with expiry, pipelines, runs transactions (with a
/// WATCH that sees another client's write), scans, and writes and reads a hash (in a transaction
/// with its expiry, as ASP.NET Core's distributed cache does).
/// </summary>
public abstract class ClientLibraryContract
{
    /// <summary>The RESP endpoint of the front under test.</summary>
    protected abstract IPEndPoint Resp { get; }

    [Theory]
    [InlineData(RedisProtocol.Resp2)]
    [InlineData(RedisProtocol.Resp3)]
    public async Task StackExchangeRedis_DefaultOptions_StringsPipelinesTransactionsScan(RedisProtocol protocol)
    {
        var options = ConfigurationOptions.Parse($"{Resp.Address}:{Resp.Port}");
        options.Protocol = protocol;
        await using ConnectionMultiplexer connection = await ConnectionMultiplexer.ConnectAsync(options);
        IDatabase db = connection.GetDatabase();
        string prefix = "se:" + Guid.NewGuid().ToString("N");

        Assert.True(await db.StringSetAsync($"{prefix}:ex", "value", TimeSpan.FromSeconds(100)));
        Assert.Equal("value", (string?)await db.StringGetAsync($"{prefix}:ex"));
        TimeSpan? ttl = await db.KeyTimeToLiveAsync($"{prefix}:ex");
        Assert.InRange(ttl!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(100));
        Assert.True((await db.StringGetAsync($"{prefix}:missing")).IsNull);

        IBatch batch = db.CreateBatch();
        Task<bool>[] sets = [.. Enumerable.Range(0, 20).Select(i => batch.StringSetAsync($"{prefix}:p{i}", i))];
        Task<RedisValue>[] gets = [.. Enumerable.Range(0, 20).Select(i => batch.StringGetAsync($"{prefix}:p{i}"))];
        batch.Execute();
        Assert.All(await Task.WhenAll(sets), Assert.True);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (RedisValue)i), await Task.WhenAll(gets));

        string counter = $"{prefix}:counter";
        ITransaction transaction = db.CreateTransaction();
        Task<long> incremented = transaction.StringIncrementAsync(counter);
        Task<bool> expired = transaction.KeyExpireAsync(counter, TimeSpan.FromSeconds(60));
        Assert.True(await transaction.ExecuteAsync());
        Assert.Equal(1, await incremented);
        Assert.True(await expired);

        ITransaction conditional = db.CreateTransaction();
        conditional.AddCondition(Condition.StringEqual(counter, 1));
        _ = conditional.StringIncrementAsync(counter);
        Assert.True(await conditional.ExecuteAsync());

        ITransaction refused = db.CreateTransaction();
        refused.AddCondition(Condition.StringEqual(counter, 1));
        _ = refused.StringIncrementAsync(counter, 100);
        Assert.False(await refused.ExecuteAsync());
        Assert.Equal(2, (long)await db.StringGetAsync(counter));

        IServer server = connection.GetServer(connection.GetEndPoints()[0]);
        List<RedisKey> keys = await server.KeysAsync(pattern: $"{prefix}:p*", pageSize: 7).ToListAsync();
        Assert.Equal(20, keys.Count);

        await HashStepsAsync(db, $"{prefix}:hash");
    }

    private static async Task HashStepsAsync(IDatabase db, string hash)
    {
        await db.HashSetAsync(hash, [new("a", "1"), new("b", "2")]);
        Assert.Equal([new("a", "1"), new("b", "2")], await db.HashGetAllAsync(hash));
        Assert.Equal(["1", RedisValue.Null], await db.HashGetAsync(hash, ["a", "missing"]));
        Assert.Equal(6, await db.HashIncrementAsync(hash, "a", 5));
        Assert.True(await db.HashDeleteAsync(hash, "b"));

        ITransaction transaction = db.CreateTransaction();
        Task<bool> set = transaction.HashSetAsync(hash, "c", "3");
        Task<bool> expire = transaction.KeyExpireAsync(hash, TimeSpan.FromSeconds(60));
        Task<HashEntry[]> all = transaction.HashGetAllAsync(hash);
        Assert.True(await transaction.ExecuteAsync());
        Assert.True(await set && await expire);
        Assert.Equal([new("a", "6"), new("c", "3")], await all);

        Assert.Equal([new("c", "3")], await db.HashScanAsync(hash, "c*", pageSize: 7).ToListAsync());
        RedisServerException wrongType = await Assert.ThrowsAsync<RedisServerException>(() => db.StringGetAsync(hash));
        Assert.StartsWith("WRONGTYPE", wrongType.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RedisPy_DefaultOptions_StringsPipelinesTransactionsScan() =>
        await RunCheckAsync("/usr/bin/python3", [ClientScripts.Path("redis_py_check.py")], "redis-py");

    [Fact]
    public async Task Ioredis_DefaultOptions_StringsPipelinesTransactionsScan() =>
        await RunCheckAsync("node", [ClientScripts.Path("check.mjs"), "ioredis"], "ioredis");

    [Fact]
    public async Task NodeRedis_DefaultOptionsResp3_StringsPipelinesTransactionsScan() =>
        await RunCheckAsync("node", [ClientScripts.Path("check.mjs"), "node-redis"], "node-redis");

    private async Task RunCheckAsync(string program, string[] arguments, string library)
    {
        ClientScripts.RequireInstalled(program);
        ProcessOutput output = await RedisTools.RunAsync(program, [.. arguments, Resp.Address.ToString(), Resp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.True(output.ExitCode == 0 && output.StandardOutput.Contains("PASS " + library, StringComparison.Ordinal), $"{library}: {output}");
    }
}
