using System.Net;

using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Http;

/// <summary>
/// Regressions: malformed JSON inside a skipped property, and escapes that do not decode to
/// text, escaped the request parser as exceptions other than its own and were answered 500.
/// </summary>
[Collection(HttpNodeCollection.Name)]
public sealed class MalformedJsonRegressionTests(NodeFixture fixture)
{
    private readonly TestNode _node = fixture.KeyApi;

    [Theory]
    [InlineData("/put", """{"key":"k","value":"v","extra":[1,}""")]
    [InlineData("/put", """{"key":"k","value":"v","extra":[1,2""")]
    [InlineData("/put", """{"key":"k","value":"v","extra":{"a":}}""")]
    [InlineData("/put", """{"extra":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]],"key":"k","value":"v"}""")]
    [InlineData("/batch_set", """{"other":[1,},"items":[]}""")]
    [InlineData("/batch_set", """{"items":[{"key":"k","value":"v","extra":[}]}""")]
    [InlineData("/batch_set", """{"items":[],"other":{"a":]}""")]
    [InlineData("/batch_get", """{"other":[1,},"keys":["k"]}""")]
    [InlineData("/batch_get", """{"keys":["k"],"other":[}""")]
    public async Task Request_MalformedJsonInSkippedProperty_Returns400Not500(string path, string body)
    {
        Reply reply = await _node.PostAsync(path, body);

        reply.IsError(HttpStatusCode.BadRequest, "not valid JSON");
    }

    [Theory]
    [InlineData("/put", """{"key":"\ud800","value":"v"}""")]
    [InlineData("/put", """{"key":"k","value":"a\udc00b"}""")]
    [InlineData("/put", """{"key":"k","value":"\ud83d"}""")]
    [InlineData("/put", """{"\ud800":"x","key":"k","value":"v"}""")]
    [InlineData("/batch_set", """[{"key":"k","value":"\udfff"}]""")]
    [InlineData("/batch_get", """{"keys":["\ud800"]}""")]
    public async Task Request_EscapedLoneSurrogate_Returns400Not500(string path, string body)
    {
        Reply reply = await _node.PostAsync(path, body);

        reply.IsError(HttpStatusCode.BadRequest, "surrogate");
        (await _node.GetKeyAsync("k")).Is(HttpStatusCode.NotFound, Reply.Miss);
    }
}
