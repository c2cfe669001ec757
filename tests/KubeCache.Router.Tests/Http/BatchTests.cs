using System.Net;
using System.Text.Json;
using KubeCache.Testing;

namespace KubeCache.Router.Tests.Http;

/// <summary>/batch_set and /batch_get split across owners and merged back in request order.</summary>
[Collection(SharedClusterCollection.Name)]
public sealed class BatchTests(ClusterFixture fixture)
{
    private readonly RouterCluster _cluster = fixture.Cluster;

    [Fact]
    public async Task BatchSet_ItemsAcrossNodes_EachStoredAtItsOwner()
    {
        string[] keys = [.. Enumerable.Range(0, 24).Select(i => $"bs{i}:{Guid.NewGuid():N}")];
        string items = string.Join(",", keys.Select((k, i) => $$"""{"key":"{{k}}","value":"v{{i}}"}"""));

        Reply reply = await _cluster.PostAsync("/batch_set", $$"""{"items":[{{items}}]}""");

        reply.Is(HttpStatusCode.OK, """{"status":"OK","message":"24 keys inserted/updated successfully."}""");
        Assert.Equal(3, keys.Select(_cluster.OwnerOf).Distinct().Count());
        for (int i = 0; i < keys.Length; i++)
        {
            Assert.Equal($"v{i}", _cluster.Stored(_cluster.OwnerOf(keys[i]), keys[i]));
        }
    }

    [Fact]
    public async Task BatchSet_BareArrayWithTtl_StoresAndExpires()
    {
        string brief = $"brief:{Guid.NewGuid():N}", kept = $"kept:{Guid.NewGuid():N}";

        Reply reply = await _cluster.PostAsync("/batch_set", $$"""[{"key":"{{brief}}","value":"b","ttl":0.2},{"key":"{{kept}}","value":"x\ty"}]""");

        reply.Is(HttpStatusCode.OK, """{"status":"OK","message":"2 keys inserted/updated successfully."}""");
        Assert.Equal("x\ty", await _cluster.GetValueAsync(kept));
        await Poll.UntilAsync(async () => (await _cluster.GetKeyAsync(brief)).Status == HttpStatusCode.NotFound, "the brief key to expire");
    }

    [Theory]
    [InlineData("""{"key":"%K2%","value":"v","ttl":-1}""", "items[1]: ttl must be a positive number of seconds.")]
    [InlineData("""{"key":"","value":"v"}""", "items[1]: key must not be empty.")]
    [InlineData("""{"key":"%K2%"}""", "items[1]: value is missing")]
    [InlineData("""{"key":"%K2%","value":5}""", "value must be a JSON string")]
    public async Task BatchSet_OneInvalidItem_ChangesNothing(string invalid, string hint)
    {
        string a = $"bad-batch:{Guid.NewGuid():N}", b = $"bad-batch:{Guid.NewGuid():N}";
        await _cluster.PutAsync(a, "before");
        string body = $$"""[{"key":"{{a}}","value":"after"},{{invalid.Replace("%K2%", b, StringComparison.Ordinal)}}]""";

        (await _cluster.PostAsync("/batch_set", body)).IsError(HttpStatusCode.BadRequest, hint);

        Assert.Equal("before", await _cluster.GetValueAsync(a));
        Assert.Null(_cluster.Stored(_cluster.OwnerOf(b), b));
    }

    [Fact]
    public async Task BatchGet_PostAcrossNodes_ValuesInRequestOrderAndMissingInOrder()
    {
        string[] keys = [.. Enumerable.Range(0, 12).Select(i => $"bg{i}:{Guid.NewGuid():N}")];
        for (int i = 0; i < keys.Length; i += 2)
        {
            await _cluster.PutAsync(keys[i], $"v{i}");
        }

        Reply reply = await _cluster.PostAsync("/batch_get", JsonSerializer.Serialize(new { keys }));

        string values = string.Join(",", keys.Where((_, i) => i % 2 == 0).Select((k, j) => $"\"{k}\":\"v{j * 2}\""));
        string missing = string.Join(",", keys.Where((_, i) => i % 2 == 1).Select(k => $"\"{k}\""));
        reply.Is(HttpStatusCode.OK, $$"""{"status":"OK","values":{{{values}}},"missing":[{{missing}}]}""");
    }

    [Fact]
    public async Task BatchGet_QueryKeys_DecodedAndInOrder()
    {
        string a = $"q a:{Guid.NewGuid():N}", b = $"q-b:{Guid.NewGuid():N}", c = $"q-c:{Guid.NewGuid():N}";
        await _cluster.PutAsync(a, "1");
        await _cluster.PutAsync(c, "3");

        Reply reply = await _cluster.GetAsync($"/batch_get?keys={c},{a.Replace(' ', '+')},{b}");

        reply.Is(HttpStatusCode.OK, $$"""{"status":"OK","values":{"{{c}}":"3","{{a}}":"1"},"missing":["{{b}}"]}""");
    }

    [Fact]
    public async Task BatchGet_EmptyList_EmptyValuesAndMissing()
    {
        (await _cluster.PostAsync("/batch_get", """{"keys":[]}""")).Is(HttpStatusCode.OK, """{"status":"OK","values":{},"missing":[]}""");
    }

    [Fact]
    public async Task BatchGet_EmptyKeyInQuery_400()
    {
        (await _cluster.GetAsync("/batch_get?keys=a,,b")).IsError(HttpStatusCode.BadRequest, "key must not be empty.");
    }

    [Fact]
    public async Task BatchGet_NoKeysParameter_400()
    {
        (await _cluster.GetAsync("/batch_get")).IsError(HttpStatusCode.BadRequest, "Query parameter keys is missing; use /batch_get?keys=a,b.");
    }
}
