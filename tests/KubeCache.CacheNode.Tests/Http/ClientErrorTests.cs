using System.Net;

using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Http;

/// <summary>Malformed /put bodies get a 400 whose message says what to fix, never a 500.</summary>
[Collection(HttpNodeCollection.Name)]
public sealed class ClientErrorTests(NodeFixture fixture)
{
    private readonly TestNode _node = fixture.KeyApi;

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("{\"key\":\"k\",\"value\":\"v\"", "JSON")]
    [InlineData("{\"key\":\"k\",\"value\":\"v\"}}", "JSON")]
    [InlineData("{\"key\":\"k\",\"value\":\"v\"} {}", "not valid JSON")]
    [InlineData("{'key':'k','value':'v'}", "not valid JSON")]
    [InlineData("   ", "JSON")]
    [InlineData("[{\"key\":\"k\",\"value\":\"v\"}]", "JSON object")]
    [InlineData("\"key\"", "JSON object")]
    [InlineData("null", "JSON object")]
    public async Task Put_BodyNotAJsonObject_Returns400NamingTheProblem(string body, string hint)
    {
        Reply reply = await _node.PostAsync("/put", body);

        reply.IsError(HttpStatusCode.BadRequest, hint);
    }

    [Fact]
    public async Task Put_EmptyBody_Returns400SayingBodyIsEmpty()
    {
        Reply reply = await _node.SendAsync(HttpMethod.Post, "/put", Array.Empty<byte>());

        reply.IsError(HttpStatusCode.BadRequest, "body is empty");
    }

    [Fact]
    public async Task Put_NoBodyAtAll_Returns400SayingBodyIsEmpty()
    {
        Reply reply = await _node.SendAsync(HttpMethod.Post, "/put", (byte[]?)null);

        reply.IsError(HttpStatusCode.BadRequest, "body is empty");
    }

    [Theory]
    [InlineData("{\"value\":\"v\"}", "key is missing")]
    [InlineData("{}", "key is missing")]
    [InlineData("{\"key\":\"\",\"value\":\"v\"}", "key must not be empty")]
    [InlineData("{\"key\":42,\"value\":\"v\"}", "key must be a JSON string")]
    [InlineData("{\"key\":null,\"value\":\"v\"}", "key must be a JSON string")]
    [InlineData("{\"key\":[\"k\"],\"value\":\"v\"}", "key must be a JSON string")]
    [InlineData("{\"key\":\"k\"}", "value is missing")]
    [InlineData("{\"key\":\"k\",\"value\":7}", "value must be a JSON string")]
    [InlineData("{\"key\":\"k\",\"value\":{\"a\":1}}", "value must be a JSON string")]
    [InlineData("{\"key\":\"k\",\"value\":true}", "value must be a JSON string")]
    [InlineData("{\"key\":\"k\",\"value\":\"v\",\"ttl\":-1}", "ttl must be a positive number of seconds")]
    [InlineData("{\"key\":\"k\",\"value\":\"v\",\"ttl\":0}", "ttl must be a positive number of seconds")]
    [InlineData("{\"key\":\"k\",\"value\":\"v\",\"ttl\":\"60\"}", "ttl must be a number of seconds")]
    [InlineData("{\"key\":\"k\",\"value\":\"v\",\"ttl\":1e400}", "ttl must be")]
    [InlineData("{\"key\":\"k\",\"value\":\"v\",\"ttl\":1e300}", "ttl must be a positive number of seconds")]
    public async Task Put_InvalidField_Returns400NamingTheField(string body, string hint)
    {
        Reply reply = await _node.PostAsync("/put", body);

        reply.IsError(HttpStatusCode.BadRequest, hint);
        (await _node.GetKeyAsync("k")).Is(HttpStatusCode.NotFound, Reply.Miss);
    }

    [Theory]
    [InlineData("/get?key=")]
    [InlineData("/get?key")]
    public async Task Get_EmptyKey_Returns400(string path)
    {
        Reply reply = await _node.GetAsync(path);

        reply.IsError(HttpStatusCode.BadRequest, "key must not be empty");
    }

    [Theory]
    [InlineData("/get")]
    [InlineData("/get?")]
    [InlineData("/get?keys=a")]
    [InlineData("/get?Key=a")]
    public async Task Get_MissingKeyParameter_Returns400WithUsage(string path)
    {
        Reply reply = await _node.GetAsync(path);

        reply.IsError(HttpStatusCode.BadRequest, "Query parameter key is missing", "/get?key=K");
    }
}
