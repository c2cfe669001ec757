using System.Net;

using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Http;

/// <summary>Unknown paths and wrong methods.</summary>
[Collection(HttpNodeCollection.Name)]
public sealed class RoutingTests(NodeFixture fixture)
{
    private readonly TestNode _node = fixture.KeyApi;

    [Theory]
    [InlineData("DELETE", "/set", "POST, PUT")]
    [InlineData("POST", "/health", "GET, HEAD")]
    [InlineData("POST", "/stats", "GET")]
    [InlineData("POST", "/metrics", "GET")]
    public async Task Request_WrongMethod_Returns405WithAllowHeader(string method, string path, string allow)
    {
        Reply reply = await _node.SendAsync(new HttpMethod(method), path, method == "GET" ? null : "{}");

        reply.IsError(HttpStatusCode.MethodNotAllowed, $"{method} is not allowed on {path}", allow);
        Assert.Equal(allow.Split(", "), reply.Allow);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/nowhere")]
    [InlineData("/PUT")]
    [InlineData("/get/")]
    public async Task Request_UnknownPath_Returns404Json(string path)
    {
        Reply reply = await _node.GetAsync(path);

        reply.IsError(HttpStatusCode.NotFound, "No endpoint " + path);
    }

    [Fact]
    public async Task Request_UnknownPathWithBody_Returns404Json()
    {
        Reply reply = await _node.PostAsync("/insert", """{"key":"k","value":"v"}""");

        reply.IsError(HttpStatusCode.NotFound, "No endpoint /insert");
    }
}
