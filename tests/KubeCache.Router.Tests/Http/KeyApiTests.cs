using System.Net;
using System.Text.Json;
using KubeCache.Testing;

namespace KubeCache.Router.Tests.Http;

/// <summary>/put, /set, /get and /delete through the router, each key landing on its ring owner.</summary>
[Collection(SharedClusterCollection.Name)]
public sealed class KeyApiTests(ClusterFixture fixture)
{
    private readonly RouterCluster _cluster = fixture.Cluster;

    [Theory]
    [MemberData(nameof(KeyApiContract.Values), MemberType = typeof(KeyApiContract))]
    public async Task Put_ValueNeedingEscapes_StoredExactlyOnTheOwner(string value)
    {
        string key = Guid.NewGuid().ToString();

        (await _cluster.PutAsync(key, value)).Is(HttpStatusCode.OK, Reply.PutOk);

        Assert.Equal(value, _cluster.Stored(_cluster.OwnerOf(key), key));
    }

    [Fact]
    public async Task Put_ManyKeys_EachStoredOnlyAtItsOwner()
    {
        var owners = new HashSet<string>();
        for (int i = 0; i < 30; i++)
        {
            string key = $"put-owner:{Guid.NewGuid():N}";

            (await _cluster.PutAsync(key, $"v{i}")).Is(HttpStatusCode.OK, Reply.PutOk);

            string owner = _cluster.OwnerOf(key);
            owners.Add(owner);
            foreach (string node in _cluster.Members.Select(m => m.Name))
            {
                Assert.Equal(node == owner ? $"v{i}" : null, _cluster.Stored(node, key));
            }
        }

        Assert.Equal(3, owners.Count);
    }

    [Fact]
    public async Task Get_KeyStoredAtOwner_ExactHitBody()
    {
        string key = $"get-hit:{Guid.NewGuid():N}";
        _cluster.Store(_cluster.OwnerOf(key), key, "v\t1");

        Reply reply = await _cluster.GetKeyAsync(key);

        reply.Is(HttpStatusCode.OK, $$"""{"status":"OK","key":"{{key}}","value":"v\t1"}""");
    }

    [Fact]
    public async Task Get_EmptyValue_ValuePresent()
    {
        string key = $"get-empty:{Guid.NewGuid():N}";
        await _cluster.PutAsync(key, "");

        (await _cluster.GetKeyAsync(key)).Is(HttpStatusCode.OK, $$"""{"status":"OK","key":"{{key}}","value":""}""");
    }

    [Fact]
    public async Task Get_MissingKey_404MissBody()
    {
        (await _cluster.GetKeyAsync($"missing:{Guid.NewGuid():N}")).Is(HttpStatusCode.NotFound, Reply.Miss);
    }

    [Fact]
    public async Task Head_Hit_200WithoutBody()
    {
        string key = $"head:{Guid.NewGuid():N}";
        await _cluster.PutAsync(key, "v");

        Reply reply = await _cluster.SendAsync(HttpMethod.Head, "/get?key=" + key);

        Assert.Equal((HttpStatusCode.OK, ""), (reply.Status, reply.Body));
    }

    [Fact]
    public async Task Set_AliasOfPut_StoresAtOwner()
    {
        string key = $"set:{Guid.NewGuid():N}";

        (await _cluster.PostAsync("/set", $$"""{"Key":"{{key}}","Value":"x"}""")).Is(HttpStatusCode.OK, Reply.PutOk);

        Assert.Equal("x", _cluster.Stored(_cluster.OwnerOf(key), key));
    }

    [Fact]
    public async Task Put_WithTtl_ExpiresAtTheNode()
    {
        string key = $"ttl:{Guid.NewGuid():N}";

        (await _cluster.PutAsync(key, "brief", ttl: 0.2)).Is(HttpStatusCode.OK, Reply.PutOk);

        await Poll.UntilAsync(async () => (await _cluster.GetKeyAsync(key)).Status == HttpStatusCode.NotFound, "the key to expire");
    }

    [Fact]
    public async Task Get_QueryEncodedKey_DecodedLikeAForm()
    {
        string id = Guid.NewGuid().ToString("N");
        string key = $"a b/ü+{id}";
        await _cluster.PutAsync(key, "decoded");

        Reply reply = await _cluster.GetAsync($"/get?key=a+b%2F%C3%BC%2B{id}");

        reply.Is(HttpStatusCode.OK, $$"""{"status":"OK","key":"{{key}}","value":"decoded"}""");
        Assert.Equal("decoded", _cluster.Stored(_cluster.OwnerOf(key), key));
    }

    [Fact]
    public async Task Delete_ExistingKey_RemovedAtOwner()
    {
        string key = $"delete:{Guid.NewGuid():N}";
        await _cluster.PutAsync(key, "v");

        (await _cluster.SendAsync(HttpMethod.Delete, "/delete?key=" + key)).Is(HttpStatusCode.OK, """{"status":"OK","message":"Key deleted."}""");

        Assert.Null(_cluster.Stored(_cluster.OwnerOf(key), key));
        (await _cluster.GetKeyAsync(key)).Is(HttpStatusCode.NotFound, Reply.Miss);
    }

    [Fact]
    public async Task Delete_MissingKey_404MissBody()
    {
        (await _cluster.SendAsync(HttpMethod.Delete, $"/delete?key=gone:{Guid.NewGuid():N}")).Is(HttpStatusCode.NotFound, Reply.Miss);
    }

    [Fact]
    public async Task Stats_ThreeNodes_EpochMembersAndItemCounts()
    {
        Reply reply = await _cluster.GetAsync("/stats");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        using JsonDocument json = JsonDocument.Parse(reply.Body);
        JsonElement root = json.RootElement;
        Assert.Equal(["status", "epoch", "rebalancing", "members", "nodesDown", "items", "nodes"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal((1, false, 3, 0), (root.GetProperty("epoch").GetInt32(), root.GetProperty("rebalancing").GetBoolean(),
            root.GetProperty("members").GetInt32(), root.GetProperty("nodesDown").GetInt32()));
        JsonElement[] nodes = [.. root.GetProperty("nodes").EnumerateArray()];
        Assert.Equal(["node-0", "node-1", "node-2"], nodes.Select(n => n.GetProperty("name").GetString()));
        Assert.All(nodes, n => Assert.False(n.GetProperty("down").GetBoolean()));
        Assert.Equal(nodes.Sum(n => n.GetProperty("items").GetInt64()), root.GetProperty("items").GetInt64());
    }

    [Fact]
    public async Task Stats_WrongMethod_405WithAllow()
    {
        Reply reply = await _cluster.PostAsync("/stats", "{}");

        reply.IsError(HttpStatusCode.MethodNotAllowed, "POST is not allowed on /stats; use GET.");
        Assert.Equal(["GET"], reply.Allow);
    }
}
