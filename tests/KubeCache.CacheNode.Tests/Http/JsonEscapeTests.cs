using System.Net;
using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Http;

/// <summary>
/// /put bodies whose strings need unescaping: names are compared where they lie (or unescaped on
/// the stack), values are unescaped on the stack or, past a few hundred bytes, in a pooled
/// buffer; each must read exactly as written, and bytes that are not text must still be refused.
/// </summary>
[Collection(HttpNodeCollection.Name)]
public sealed class JsonEscapeTests(NodeFixture fixture)
{
    private readonly TestNode _node = fixture.KeyApi;

    [Fact]
    public async Task Put_EscapedPropertyNames_MatchLikePlainOnes()
    {
        (await _node.PostAsync("/put", """{"\u006bey":"escaped-names","V\u0061LUE":"v1"}""")).Is(HttpStatusCode.OK, Reply.PutOk);

        Assert.Equal("v1", await _node.GetValueAsync("escaped-names"));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(300)]
    [InlineData(5000)]
    public async Task Put_ValueWithEscapes_ReadsBackExactly(int repeats)
    {
        string value = string.Concat(Enumerable.Repeat("a\"b\\c\td\né€", repeats));
        string key = $"escaped-value-{repeats}";
        string body = $$"""{"key":"{{key}}","value":{{System.Text.Json.JsonSerializer.Serialize(value)}}}""";

        (await _node.PostAsync("/put", body)).Is(HttpStatusCode.OK, Reply.PutOk);

        Assert.Equal(value, await _node.GetValueAsync(key));
    }

    [Theory]
    [InlineData("an-unknown-property-name-longer-than-sixteen-bytes")]
    [InlineData("\\u0061n-unknown-escaped-name-longer-than-sixteen-bytes")]
    public async Task Put_LongUnknownPropertyName_IsSkipped(string name)
    {
        string body = $$"""{"{{name}}":"x","key":"long-name","value":"v2"}""";

        (await _node.PostAsync("/put", body)).Is(HttpStatusCode.OK, Reply.PutOk);

        Assert.Equal("v2", await _node.GetValueAsync("long-name"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(40)]
    public async Task Put_PropertyNameNotUtf8_Returns400(int length)
    {
        byte[] body = [.. "{\""u8, .. Enumerable.Repeat((byte)0xFF, length), .. "\":1,\"key\":\"k\",\"value\":\"v\"}"u8];

        Reply reply = await _node.SendAsync(HttpMethod.Post, "/put", body);

        reply.IsError(HttpStatusCode.BadRequest, "not valid UTF-8");
    }
}
