using System.Net;
using System.Text;

using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Http;

/// <summary>--max-key-bytes, --max-value-bytes and --max-body-bytes are enforced with messages naming the flag.</summary>
public sealed class LimitTests
{
    [Fact]
    public async Task Put_KeyOverMaxKeyBytes_Returns400NamingTheFlag()
    {
        await using TestNode node = await TestNode.StartAsync(o => o.MaxKeyBytes = 16);

        Reply reply = await node.PutAsync(new string('k', 17), "v");

        reply.IsError(HttpStatusCode.BadRequest, "17 bytes", "16", "max-key-bytes");
    }

    [Fact]
    public async Task Put_KeyAtMaxKeyBytesInUtf8_IsStored()
    {
        await using TestNode node = await TestNode.StartAsync(o => o.MaxKeyBytes = 16);
        string key = "ééééééé" + "xy";

        (await node.PutAsync(key, "v")).Is(HttpStatusCode.OK, Reply.PutOk);
        Reply over = await node.PutAsync(key + "z", "v");

        Assert.Equal("v", await node.GetValueAsync(key));
        over.IsError(HttpStatusCode.BadRequest, "17 bytes", "max-key-bytes");
    }

    [Fact]
    public async Task Get_KeyOverMaxKeyBytes_Returns400NamingTheFlag()
    {
        await using TestNode node = await TestNode.StartAsync(o => o.MaxKeyBytes = 16);

        Reply reply = await node.GetKeyAsync(new string('k', 17));

        reply.IsError(HttpStatusCode.BadRequest, "max-key-bytes");
    }

    [Fact]
    public async Task Put_ValueOverMaxValueBytes_Returns400NamingTheFlag()
    {
        await using TestNode node = await TestNode.StartAsync(o => o.MaxValueBytes = 100);

        Reply ok = await node.PutAsync("fits", new string('v', 100));
        Reply reply = await node.PutAsync("k", new string('v', 101));

        ok.Is(HttpStatusCode.OK, Reply.PutOk);
        reply.IsError(HttpStatusCode.BadRequest, "101 bytes", "100", "max-value-bytes");
        (await node.GetKeyAsync("k")).Is(HttpStatusCode.NotFound, Reply.Miss);
    }

    [Fact]
    public async Task BatchSet_ValueOverMaxValueBytes_Returns400AndChangesNothing()
    {
        await using TestNode node = await TestNode.StartAsync(o => o.MaxValueBytes = 100);

        Reply reply = await node.PostAsync("/batch_set", $$"""[{"key":"a","value":"1"},{"key":"b","value":"{{new string('v', 101)}}"}]""");

        reply.IsError(HttpStatusCode.BadRequest, "items[1]", "max-value-bytes");
        (await node.GetKeyAsync("a")).Is(HttpStatusCode.NotFound, Reply.Miss);
    }

    [Fact]
    public async Task Put_BodyOverMaxBodyBytes_Returns413NamingTheFlag()
    {
        await using TestNode node = await TestNode.StartAsync(o => o.MaxBodyBytes = 1024);
        string body = $$"""{"key":"k","value":"{{new string('v', 2000)}}"}""";

        Reply reply = await node.PostAsync("/put", body);

        reply.IsError(HttpStatusCode.RequestEntityTooLarge, "1024 bytes", "max-body-bytes");
        (await node.GetKeyAsync("k")).Is(HttpStatusCode.NotFound, Reply.Miss);
    }

    [Fact]
    public async Task Put_ChunkedBodyOverMaxBodyBytes_Returns413NamingTheFlag()
    {
        await using TestNode node = await TestNode.StartAsync(o => o.MaxBodyBytes = 1024);
        byte[] body = Encoding.UTF8.GetBytes($$"""{"key":"k","value":"{{new string('v', 2000)}}"}""");
        using var content = new StreamContent(new MemoryStream(body));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/put") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using HttpResponseMessage response = await node.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var reply = new Reply(response.StatusCode, await response.Content.ReadAsStringAsync(), []);
        reply.IsError(HttpStatusCode.RequestEntityTooLarge, "max-body-bytes");
    }

    [Fact]
    public async Task Put_BodyJustUnderMaxBodyBytes_IsStored()
    {
        await using TestNode node = await TestNode.StartAsync(o => o.MaxBodyBytes = 1024);
        string prefix = "{\"key\":\"k\",\"value\":\"";
        string body = prefix + new string('v', 1024 - prefix.Length - 2) + "\"}";
        Assert.Equal(1024, Encoding.UTF8.GetByteCount(body));

        Reply reply = await node.PostAsync("/put", body);

        reply.Is(HttpStatusCode.OK, Reply.PutOk);
    }
}
