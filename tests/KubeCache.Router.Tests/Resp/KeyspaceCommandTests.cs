using System.Globalization;
using KubeCache.Protocol;
using KubeCache.Testing;

namespace KubeCache.Router.Tests.Resp;

/// <summary>
/// Commands whose keys must share a node (RENAME, COPY, LCS, MSETNX), the keyspace-wide KEYS and
/// RANDOMKEY, TOUCH across owners, OBJECT and MEMORY (their key follows the subcommand) and TIME, on three nodes.
/// </summary>
[Collection(SharedRouterCollection.Name)]
public sealed class KeyspaceCommandTests(RouterClusterFixture fixture)
{
    private RouterCluster Cluster => fixture.Cluster;

    [Theory]
    [InlineData("RENAME")]
    [InlineData("RENAMENX")]
    [InlineData("COPY")]
    public async Task TwoKeyCommand_KeysOfDifferentOwners_CrossSlotAndNothingChanged(string command)
    {
        string source = RouterCluster.FindKey("src", _ => true);
        string destination = RouterCluster.FindKey("dst", k => Cluster.OwnerOf(k) != Cluster.OwnerOf(source));
        await using RespTestClient client = await Cluster.ConnectAsync();
        RespReply.Ok(await client.CallAsync("SET", source, "v"));

        RespReply.Error("CROSSSLOT Keys in request don't hash to the same slot", await client.CallAsync(command, source, destination));

        RespReply.Bulk("v", await client.CallAsync("GET", source));
        RespReply.Integer(0, await client.CallAsync("EXISTS", destination));
    }

    [Fact]
    public async Task Rename_KeysOfOneOwner_MovedWithItsTtl()
    {
        string source = RouterCluster.FindKey("src", _ => true);
        string destination = RouterCluster.FindKey("dst", k => Cluster.OwnerOf(k) == Cluster.OwnerOf(source));
        await using RespTestClient client = await Cluster.ConnectAsync();
        RespReply.Ok(await client.CallAsync("SET", source, "v", "EXAT", "4102444800"));

        RespReply.Ok(await client.CallAsync("RENAME", source, destination));

        RespReply.Integer(0, await client.CallAsync("EXISTS", source));
        RespReply.Bulk("v", await client.CallAsync("GET", destination));
        RespReply.Integer(4102444800, await client.CallAsync("EXPIRETIME", destination));
    }

    [Fact]
    public async Task MSetNx_KeysOfDifferentOwners_CrossSlotAndNothingWritten()
    {
        string first = RouterCluster.FindKey("msetnx", _ => true);
        string second = RouterCluster.FindKey("msetnx", k => Cluster.OwnerOf(k) != Cluster.OwnerOf(first));
        await using RespTestClient client = await Cluster.ConnectAsync();

        RespReply.Error("CROSSSLOT", await client.CallAsync("MSETNX", first, "1", second, "2"));

        RespReply.Integer(0, await client.CallAsync("EXISTS", first, second));
    }

    [Fact]
    public async Task Lcs_KeysOfOneOwner_AnsweredByIt()
    {
        string a = RouterCluster.FindKey("lcs", _ => true);
        string b = RouterCluster.FindKey("lcs", k => Cluster.OwnerOf(k) == Cluster.OwnerOf(a));
        await using RespTestClient client = await Cluster.ConnectAsync();
        RespReply.Ok(await client.CallAsync("MSET", a, "ohmytext", b, "mynewtext"));

        RespReply.Bulk("mytext", await client.CallAsync("LCS", a, b));
    }

    [Fact]
    public async Task Keys_KeysOnEveryNode_EachReturnedOnce()
    {
        string prefix = Keys.Unique("keys") + ":";
        string[] keys = [.. Cluster.Ring.Members.Select(m => RouterCluster.FindKey(prefix, k => Cluster.OwnerOf(k) == m.Name))];
        await using RespTestClient client = await Cluster.ConnectAsync();
        RespReply.Ok(await client.CallAsync(["MSET", .. keys.SelectMany(k => new[] { k, "v" })]));

        string?[] found = RespReply.Strings(await client.CallAsync("KEYS", prefix + "*"));

        Assert.Equal(keys.Order(StringComparer.Ordinal), found.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Touch_KeysOfEveryNode_SumOfEachOwnersCount()
    {
        string[] keys = [.. Cluster.Ring.Members.Select(m => RouterCluster.FindKey("touch", k => Cluster.OwnerOf(k) == m.Name))];
        await using RespTestClient client = await Cluster.ConnectAsync();
        RespReply.Ok(await client.CallAsync(["MSET", .. keys.SelectMany(k => new[] { k, "v" })]));

        RespReply.Integer(keys.Length + 1, await client.CallAsync(["TOUCH", .. keys, keys[0], Keys.Unique("touch-missing")]));
    }

    [Fact]
    public async Task Object_KeyOwnedByAnotherNodeThanTheSubcommandName_RoutedByTheKey()
    {
        string key = RouterCluster.FindKey("object", k => Cluster.OwnerOf(k) != Cluster.OwnerOf("ENCODING"));
        await using RespTestClient client = await Cluster.ConnectAsync();
        RespReply.Ok(await client.CallAsync("SET", key, "123"));

        RespReply.Bulk("int", await client.CallAsync("OBJECT", "ENCODING", key));
    }

    [Fact]
    public async Task MemoryUsage_KeyOwnedByAnotherNodeThanTheSubcommandName_RoutedByTheKey()
    {
        string key = RouterCluster.FindKey("memory", k => Cluster.OwnerOf(k) != Cluster.OwnerOf("USAGE"));
        await using RespTestClient client = await Cluster.ConnectAsync();
        RespReply.Ok(await client.CallAsync("SET", key, new string('x', 1000)));

        Assert.InRange((await client.CallAsync("MEMORY", "USAGE", key)).AsInt64(), 1000 + key.Length, 1000 + key.Length + 100);
        RespReply.Nil(await client.CallAsync("MEMORY", "USAGE", Keys.Unique("memory-missing")));
    }

    [Fact]
    public async Task Time_AskedOfTheRouter_UnixSecondsAndMicroseconds()
    {
        await using RespTestClient client = await Cluster.ConnectAsync();
        long before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        string?[] time = RespReply.Strings(await client.CallAsync("TIME"));

        Assert.Equal(2, time.Length);
        Assert.InRange(long.Parse(time[0]!, CultureInfo.InvariantCulture), before, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.InRange(long.Parse(time[1]!, CultureInfo.InvariantCulture), 0, 999_999);
    }

    [Fact]
    public async Task RandomKey_OneKeyOnOneOfThreeNodes_FoundWhicheverNodeIsAskedFirst()
    {
        await using RouterCluster cluster = await RouterCluster.StartAsync(3, fenced: false);
        await using RespTestClient client = await cluster.ConnectAsync();
        RespReply.Nil(await client.CallAsync("RANDOMKEY"));
        RespReply.Ok(await client.CallAsync("SET", "only", "v"));

        // Members are asked in random order: a few tries make each order likely to occur.
        for (int i = 0; i < 10; i++)
        {
            RespValue reply = await client.CallAsync("RANDOMKEY");
            RespReply.Bulk("only", reply);
        }
    }
}
