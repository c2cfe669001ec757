using System.Net;

using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Http;

/// <summary>POST /put and its alias /set, as the reference clients send them.</summary>
[Collection(HttpNodeCollection.Name)]
public sealed class PutTests(NodeFixture fixture)
{
    private readonly TestNode _node = fixture.KeyApi;

    [Fact]
    public async Task PutGet_ValueOfExactlyMaxValueBytes_RoundTrips()
    {
        string key = Key();
        string value = new('x', _node.Server.Options.MaxValueBytes);

        (await _node.PutAsync(key, value)).Is(HttpStatusCode.OK, Reply.PutOk);

        Assert.Equal(value, await _node.GetValueAsync(key));
    }

    [Theory]
    [InlineData("/put")]
    [InlineData("/set")]
    public async Task Put_LowerCaseNamesWithoutContentType_StoresValue(string path)
    {
        string key = Key();

        Reply reply = await _node.PostAsync(path, $$"""{"key":"{{key}}","value":"v1"}""");

        reply.Is(HttpStatusCode.OK, Reply.PutOk);
        Assert.Equal("v1", await _node.GetValueAsync(key));
    }

    [Theory]
    [InlineData("/put")]
    [InlineData("/set")]
    public async Task Put_PascalCaseNamesAsTheLocustProfileSends_StoresValue(string path)
    {
        string key = Key();

        Reply reply = await _node.PostAsync(path, $$"""{"Key":"{{key}}","Value":"v2"}""");

        reply.Is(HttpStatusCode.OK, Reply.PutOk);
        Assert.Equal("v2", await _node.GetValueAsync(key));
    }

    [Fact]
    public async Task Put_WithStringContentWhoseTypeIsRemoved_StoresValue()
    {
        string key = Key();
        using var content = new StringContent($$"""{"key":"{{key}}","value":"plain"}""");
        content.Headers.ContentType = null;

        using HttpResponseMessage response = await _node.Client.PostAsync("/put", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Reply.PutOk, await response.Content.ReadAsStringAsync());
        Assert.Equal("plain", await _node.GetValueAsync(key));
    }

    [Fact]
    public async Task Put_ExistingKey_ReplacesValue()
    {
        string key = Key();
        (await _node.PutAsync(key, "first")).Is(HttpStatusCode.OK, Reply.PutOk);

        (await _node.PutAsync(key, "second")).Is(HttpStatusCode.OK, Reply.PutOk);

        Assert.Equal("second", await _node.GetValueAsync(key));
    }

    [Fact]
    public async Task Put_UnknownPropertiesAndWhitespace_AreIgnored()
    {
        string key = Key();

        Reply reply = await _node.PostAsync("/put", $$"""  { "id": [1, {"x": null}], "key" : "{{key}}", "value" : "v", "ttl": null }  """);

        reply.Is(HttpStatusCode.OK, Reply.PutOk);
        Assert.Equal("v", await _node.GetValueAsync(key));
    }

    [Theory]
    [InlineData("/put")]
    [InlineData("/set")]
    public async Task Put_ShortTtl_ExpiresAndThenMisses(string path)
    {
        string key = Key();

        Reply reply = await _node.PostAsync(path, $$"""{"key":"{{key}}","value":"brief","ttl":0.2}""");

        reply.Is(HttpStatusCode.OK, Reply.PutOk);
        (await _node.WaitForMissAsync(key, TimeSpan.FromSeconds(10))).Is(HttpStatusCode.NotFound, Reply.Miss);
    }

    [Fact]
    public async Task Put_LongTtl_StaysReadable()
    {
        string key = Key();

        (await _node.PutAsync(key, "lasting", ttl: 3600)).Is(HttpStatusCode.OK, Reply.PutOk);

        Assert.Equal("lasting", await _node.GetValueAsync(key));
    }

    [Fact]
    public async Task Put_WithoutTtlAfterShortTtl_ClearsTheExpiry()
    {
        string key = Key();
        (await _node.PutAsync(key, "brief", ttl: 0.2)).Is(HttpStatusCode.OK, Reply.PutOk);
        (await _node.PutAsync(key, "kept")).Is(HttpStatusCode.OK, Reply.PutOk);

        Reply afterTtl = await _node.WaitForMissAsync(key, TimeSpan.FromSeconds(0.6));

        Assert.Equal(HttpStatusCode.OK, afterTtl.Status);
        Assert.Equal("kept", await _node.GetValueAsync(key));
    }

    [Fact]
    public async Task Put_WithPutMethod_IsAccepted()
    {
        string key = Key();

        Reply reply = await _node.SendAsync(HttpMethod.Put, "/put", $$"""{"key":"{{key}}","value":"v"}""");

        reply.Is(HttpStatusCode.OK, Reply.PutOk);
    }

    private static string Key() => Guid.NewGuid().ToString();
}
