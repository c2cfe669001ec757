using KubeCache.Protocol;
using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Resp;

/// <summary>SCAN with MATCH and COUNT, on a node of its own so the key set is known exactly.</summary>
public sealed class ScanTests(NodeFixture fixture) : IClassFixture<NodeFixture>, IAsyncLifetime
{
    private const int TaggedKeys = 500;
    private const int OtherKeys = 300;

    public async Task InitializeAsync()
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Ok(await client.CallAsync("FLUSHALL"));
        var mset = new List<string> { "MSET" };
        for (int i = 0; i < TaggedKeys; i++)
        {
            mset.AddRange([$"tagged:{i}", "v"]);
        }

        for (int i = 0; i < OtherKeys; i++)
        {
            mset.AddRange([$"other:{i}", "v"]);
        }

        RespReply.Ok(await client.CallAsync([.. mset]));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData(10)]
    [InlineData(1000)]
    public async Task Scan_NoMatch_VisitsEveryKeyAndEndsAtZero(int count)
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        HashSet<string> keys = await ScanAllAsync(client, "COUNT", count.ToString());
        Assert.Equal(TaggedKeys + OtherKeys, keys.Count);
    }

    [Fact]
    public async Task Scan_Match_ReturnsOnlyMatchingKeys()
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        HashSet<string> keys = await ScanAllAsync(client, "MATCH", "tagged:*", "COUNT", "50");
        Assert.Equal(Enumerable.Range(0, TaggedKeys).Select(i => $"tagged:{i}").ToHashSet(), keys);
    }

    [Fact]
    public async Task Scan_MatchCharacterClass_ReturnsMatchingKeys()
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        HashSet<string> keys = await ScanAllAsync(client, "MATCH", "other:[12]?");
        Assert.Equal(Enumerable.Range(10, 20).Select(i => $"other:{i}").ToHashSet(), keys);
    }

    [Fact]
    public async Task Scan_InvalidCursor_Error()
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Error("ERR invalid cursor", await client.CallAsync("SCAN", "minus-one"));
    }

    [Theory]
    [InlineData("COUNT", "0")]
    [InlineData("MATCH")]
    [InlineData("LIMIT", "5")]
    public async Task Scan_BadOption_SyntaxError(params string[] options)
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Error("ERR syntax error", await client.CallAsync(["SCAN", "0", .. options]));
    }

    /// <summary>Follows the cursor from 0 until the server says 0 again; fails if that takes absurdly many calls.</summary>
    private static async Task<HashSet<string>> ScanAllAsync(RespTestClient client, params string[] options)
    {
        var keys = new HashSet<string>();
        string cursor = "0";
        for (int calls = 1; ; calls++)
        {
            Assert.True(calls < 100_000, "SCAN never returned cursor 0.");
            RespValue reply = await client.CallAsync(["SCAN", cursor, .. options]);
            Assert.Equal(2, reply.Items.Count);
            cursor = reply.Items[0].AsString()!;
            keys.UnionWith(RespReply.Strings(reply.Items[1]).OfType<string>());
            if (cursor == "0")
            {
                return keys;
            }
        }
    }
}
