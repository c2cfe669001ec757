using System.Text;
using KubeCache.CacheNode.Storage;
using KubeCache.Fuzz.Tests.Targets;
using KubeCache.Testing;

namespace KubeCache.Fuzz.Tests.Regressions;

/// <summary>What the parser bugs looked like through a node's HTTP API.</summary>
[Collection(FuzzNodeCollection.Name)]
public sealed class NodeRegressionTests(NodeFixture fixture)
{
    // A short body (one segment) with a non-UTF-8 key was stored; a long one was rejected with a misleading message.
    [Fact]
    public async Task Put_NonUtf8Key_Returns400AndStoresNothing()
    {
        await using var client = new RawHttpClient(fixture.Node.HttpEndPoint);
        byte[] body = [.. "{\"key\":\"bad"u8, 0xFF, .. "\",\"value\":\"v\"}"u8];
        byte[] request = [.. Encoding.ASCII.GetBytes($"POST /put HTTP/1.1\r\nHost: t\r\nContent-Length: {body.Length}\r\n\r\n"), .. body];

        RawHttpResponse response = await client.SendAsync(request, CancellationToken.None);

        Assert.Equal(400, response.Status);
        Assert.Contains("not valid UTF-8", Encoding.UTF8.GetString(response.Body), StringComparison.Ordinal);
        Assert.NotEqual(StoreStatus.Ok, fixture.Node.Store.Get([.. "bad"u8, 0xFF], out _));
    }
}
