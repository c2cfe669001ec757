using System.Net;

namespace KubeCache.Router.Tests.Http;

/// <summary>Client mistakes get the node's 4xx answers from the router, never a 500.</summary>
[Collection(SharedClusterCollection.Name)]
public sealed class ClientErrorTests(ClusterFixture fixture)
{
    private readonly RouterCluster _cluster = fixture.Cluster;

    [Theory]
    [InlineData("{\"key\":\"k\",\"value\":", "Invalid request: the body is not valid JSON")]
    [InlineData("not json", "Invalid request: the body is not valid JSON")]
    [InlineData("", "Invalid request: the body is empty; send a JSON object.")]
    [InlineData("[1]", "the body must be a JSON object")]
    [InlineData("{\"value\":\"v\"}", "key is missing")]
    [InlineData("{\"key\":\"\",\"value\":\"v\"}", "key must not be empty.")]
    [InlineData("{\"key\":\"k\"}", "value is missing")]
    [InlineData("{\"key\":\"k\",\"value\":\"v\",\"ttl\":0}", "ttl must be a positive number of seconds.")]
    [InlineData("{\"key\":\"k\",\"value\":\"v\",\"ttl\":\"60\"}", "ttl must be a number of seconds")]
    [InlineData("{\"key\":\"k\",\"value\":\"v\",\"ttl\":1e300}", "ttl must be a positive number of seconds.")]
    public async Task Put_InvalidBody_400SayingWhatToFix(string body, string hint)
    {
        (await _cluster.PostAsync("/put", body)).IsError(HttpStatusCode.BadRequest, hint);
    }

    [Theory]
    [InlineData("/get")]
    [InlineData("/delete")]
    public async Task KeyEndpoint_NoKeyParameter_400(string path)
    {
        HttpMethod method = path == "/get" ? HttpMethod.Get : HttpMethod.Delete;

        (await _cluster.SendAsync(method, path)).IsError(HttpStatusCode.BadRequest, $"Query parameter key is missing; use {path}?key=K.");
        (await _cluster.SendAsync(method, path + "?key=")).IsError(HttpStatusCode.BadRequest, "key must not be empty.");
    }

    [Theory]
    [InlineData("PUT", "/get", "GET, HEAD")]
    [InlineData("GET", "/put", "POST, PUT")]
    [InlineData("GET", "/delete", "DELETE, POST")]
    [InlineData("DELETE", "/batch_get", "GET, POST")]
    [InlineData("GET", "/batch_set", "POST, PUT")]
    public async Task Endpoint_WrongMethod_405WithAllow(string method, string path, string allow)
    {
        Reply reply = await _cluster.SendAsync(new HttpMethod(method), path, method == "GET" ? null : "{}");

        reply.IsError(HttpStatusCode.MethodNotAllowed, $"{method} is not allowed on {path}; use {allow}.");
        Assert.Equal(allow.Split(", "), reply.Allow);
    }

    [Fact]
    public async Task Put_BodyOverMaxBodyBytes_413()
    {
        string body = $$"""{"key":"big","value":"{{new string('x', 70 * 1024)}}"}""";

        (await _cluster.PostAsync("/put", body)).IsError(HttpStatusCode.RequestEntityTooLarge, "larger than 65536 bytes (--max-body-bytes)");
    }

    [Fact]
    public async Task Put_ValueOverTheNodesLimit_400WithTheNodesMessage()
    {
        string key = $"too-big:{Guid.NewGuid():N}";

        Reply reply = await _cluster.PutAsync(key, new string('x', 2000));

        Assert.Equal("value is 2000 bytes, over the limit of 1024 (--max-value-bytes).", reply.IsError(HttpStatusCode.BadRequest));
        Assert.Null(_cluster.Stored(_cluster.OwnerOf(key), key));
    }

    [Fact]
    public async Task BatchSet_ValueOverTheNodesLimit_400WithTheNodesMessage()
    {
        string body = $$"""[{"key":"ok:{{Guid.NewGuid():N}}","value":"v"},{"key":"big:{{Guid.NewGuid():N}}","value":"{{new string('x', 1500)}}"}]""";

        (await _cluster.PostAsync("/batch_set", body)).IsError(HttpStatusCode.BadRequest, "value is 1500 bytes, over the limit of 1024 (--max-value-bytes).");
    }

    [Fact]
    public async Task UnknownPath_404FromTheRouter()
    {
        (await _cluster.GetAsync("/nope")).IsError(HttpStatusCode.NotFound, "No endpoint /nope");
    }
}
