using System.Net;

using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Http;

/// <summary>POST /batch_set and GET or POST /batch_get.</summary>
[Collection(HttpNodeCollection.Name)]
public sealed class BatchTests(NodeFixture fixture)
{
    private readonly TestNode _node = fixture.KeyApi;

    [Fact]
    public async Task BatchSet_ItemsObject_StoresEveryItem()
    {
        string a = Key(), b = Key();

        Reply reply = await _node.PostAsync("/batch_set", $$"""{"items":[{"key":"{{a}}","value":"1"},{"Key":"{{b}}","Value":"2"}]}""");

        reply.Is(HttpStatusCode.OK, """{"status":"OK","message":"2 keys inserted/updated successfully."}""");
        Assert.Equal("1", await _node.GetValueAsync(a));
        Assert.Equal("2", await _node.GetValueAsync(b));
    }

    [Fact]
    public async Task BatchSet_BareArrayAsTheReferenceSends_StoresEveryItem()
    {
        string a = Key(), b = Key();

        Reply reply = await _node.PostAsync("/batch_set", $$"""[{"key":"{{a}}","value":"x\ty"},{"key":"{{b}}","value":""}]""");

        reply.Is(HttpStatusCode.OK, """{"status":"OK","message":"2 keys inserted/updated successfully."}""");
        Assert.Equal("x\ty", await _node.GetValueAsync(a));
        Assert.Equal("", await _node.GetValueAsync(b));
    }

    [Fact]
    public async Task BatchSet_ItemWithTtl_ExpiresWhileOthersStay()
    {
        string brief = Key(), kept = Key();

        Reply reply = await _node.PostAsync("/batch_set", $$"""[{"key":"{{brief}}","value":"b","ttl":0.2},{"key":"{{kept}}","value":"k","ttl":3600}]""");

        reply.Is(HttpStatusCode.OK, """{"status":"OK","message":"2 keys inserted/updated successfully."}""");
        (await _node.WaitForMissAsync(brief, TimeSpan.FromSeconds(10))).Is(HttpStatusCode.NotFound, Reply.Miss);
        Assert.Equal("k", await _node.GetValueAsync(kept));
    }

    [Theory]
    [InlineData("""{"key":"%K2%","value":"v","ttl":-1}""", "ttl")]
    [InlineData("""{"key":"","value":"v"}""", "key must not be empty")]
    [InlineData("""{"key":"%K2%"}""", "value is missing")]
    [InlineData("""{"key":"%K2%","value":5}""", "value must be a JSON string")]
    public async Task BatchSet_OneInvalidItem_ChangesNothing(string invalid, string hint)
    {
        string a = Key(), b = Key();
        await _node.PutAsync(a, "before");
        string body = $$"""[{"key":"{{a}}","value":"after"},{{invalid.Replace("%K2%", b, StringComparison.Ordinal)}}]""";

        Reply reply = await _node.PostAsync("/batch_set", body);

        reply.IsError(HttpStatusCode.BadRequest, hint);
        Assert.Equal("before", await _node.GetValueAsync(a));
        (await _node.GetKeyAsync(b)).Is(HttpStatusCode.NotFound, Reply.Miss);
    }

    [Fact]
    public async Task BatchSet_ElementNotAnObject_Returns400()
    {
        Reply reply = await _node.PostAsync("/batch_set", """[{"key":"k","value":"v"}, "oops"]""");

        reply.IsError(HttpStatusCode.BadRequest, "items", "object");
    }

    [Fact]
    public async Task BatchGet_PostKeys_ReturnsValuesAndMissing()
    {
        string a = Key(), b = Key(), absent = Key();
        await _node.PutAsync(a, "1");
        await _node.PutAsync(b, "two \"quoted\"");

        Reply reply = await _node.PostAsync("/batch_get", $$"""{"keys":["{{a}}","{{absent}}","{{b}}"]}""");

        reply.Is(HttpStatusCode.OK, $$"""{"status":"OK","values":{"{{a}}":"1","{{b}}":"two \"quoted\""},"missing":["{{absent}}"]}""");
    }

    [Fact]
    public async Task BatchGet_QueryKeys_ReturnsValuesAndMissing()
    {
        string a = Key(), b = Key(), absent = Key();
        await _node.PutAsync(a, "1");
        await _node.PutAsync(b, "2");

        Reply reply = await _node.GetAsync($"/batch_get?keys={a},{absent},{b}");

        reply.Is(HttpStatusCode.OK, $$"""{"status":"OK","values":{"{{a}}":"1","{{b}}":"2"},"missing":["{{absent}}"]}""");
    }

    [Fact]
    public async Task BatchGet_AllMissing_ReturnsEmptyValues()
    {
        string a = Key();

        Reply reply = await _node.GetAsync("/batch_get?keys=" + a);

        reply.Is(HttpStatusCode.OK, $$"""{"status":"OK","values":{},"missing":["{{a}}"]}""");
    }

    [Fact]
    public async Task BatchGet_MissingKeysParameter_Returns400()
    {
        Reply reply = await _node.GetAsync("/batch_get");

        reply.IsError(HttpStatusCode.BadRequest, "keys", "/batch_get?keys=a,b");
    }

    [Fact]
    public async Task BatchGet_KeysNotStrings_Returns400()
    {
        Reply reply = await _node.PostAsync("/batch_get", """{"keys":["a",1]}""");

        reply.IsError(HttpStatusCode.BadRequest, "keys", "string");
    }

    private static string Key() => Guid.NewGuid().ToString();
}
