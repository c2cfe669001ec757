using System.Net;

using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Http;

/// <summary>DELETE /delete?key=K.</summary>
[Collection(HttpNodeCollection.Name)]
public sealed class DeleteTests(NodeFixture fixture)
{
    private const string Deleted = """{"status":"OK","message":"Key deleted."}""";

    private readonly TestNode _node = fixture.KeyApi;

    [Fact]
    public async Task Delete_ExistingKey_Returns200ThenGetMisses()
    {
        string key = Guid.NewGuid().ToString();
        await _node.PutAsync(key, "v");

        Reply reply = await _node.SendAsync(HttpMethod.Delete, "/delete?key=" + key);

        reply.Is(HttpStatusCode.OK, Deleted);
        (await _node.GetKeyAsync(key)).Is(HttpStatusCode.NotFound, Reply.Miss);
    }

    [Fact]
    public async Task Delete_Twice_SecondReturns404()
    {
        string key = Guid.NewGuid().ToString();
        await _node.PutAsync(key, "v");
        (await _node.SendAsync(HttpMethod.Delete, "/delete?key=" + key)).Is(HttpStatusCode.OK, Deleted);

        Reply second = await _node.SendAsync(HttpMethod.Delete, "/delete?key=" + key);

        second.Is(HttpStatusCode.NotFound, Reply.Miss);
    }

    [Fact]
    public async Task Delete_Utf8KeyPercentEncoded_DeletesIt()
    {
        string key = "漢字 " + Guid.NewGuid();
        await _node.PutAsync(key, "v");

        Reply reply = await _node.SendAsync(HttpMethod.Delete, "/delete?key=" + Uri.EscapeDataString(key));

        reply.Is(HttpStatusCode.OK, Deleted);
        (await _node.GetKeyAsync(key)).Is(HttpStatusCode.NotFound, Reply.Miss);
    }

    [Fact]
    public async Task Delete_MissingKeyParameter_Returns400()
    {
        Reply reply = await _node.SendAsync(HttpMethod.Delete, "/delete");

        reply.IsError(HttpStatusCode.BadRequest, "key", "/delete?key=");
    }

    [Fact]
    public async Task Delete_OtherKeys_AreUntouched()
    {
        string key = Guid.NewGuid().ToString(), other = Guid.NewGuid().ToString();
        await _node.PutAsync(key, "v");
        await _node.PutAsync(other, "kept");

        (await _node.SendAsync(HttpMethod.Delete, "/delete?key=" + key)).Is(HttpStatusCode.OK, Deleted);

        Assert.Equal("kept", await _node.GetValueAsync(other));
    }
}
