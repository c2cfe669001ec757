using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

using KubeCache.CacheNode.Storage;

using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Http;

/// <summary>GET /get: hit and miss bodies, and how the key is decoded from the query string.</summary>
[Collection(HttpNodeCollection.Name)]
public sealed class GetTests(NodeFixture fixture)
{
    private readonly TestNode _node = fixture.KeyApi;

    [Fact]
    public async Task Get_Hit_ReturnsStatusKeyAndValue()
    {
        string key = Guid.NewGuid().ToString();
        await _node.PutAsync(key, "hello world");

        Reply reply = await _node.GetAsync("/get?key=" + key);

        reply.Is(HttpStatusCode.OK, $$"""{"status":"OK","key":"{{key}}","value":"hello world"}""");
    }

    [Fact]
    public async Task Get_EmptyValue_IsPresentAsEmptyString()
    {
        string key = Guid.NewGuid().ToString();
        (await _node.PutAsync(key, "")).Is(HttpStatusCode.OK, Reply.PutOk);

        Reply reply = await _node.GetAsync("/get?key=" + key);

        reply.Is(HttpStatusCode.OK, $$"""{"status":"OK","key":"{{key}}","value":""}""");
    }

    [Fact]
    public async Task Get_Miss_Returns404WithKeyNotFound()
    {
        Reply reply = await _node.GetAsync("/get?key=" + Guid.NewGuid());

        reply.Is(HttpStatusCode.NotFound, Reply.Miss);
    }

    [Fact]
    public async Task Get_MissWithMissStatus200_Returns200WithSameBody()
    {
        await using TestNode node = await TestNode.StartAsync(o => o.MissStatus = 200);

        Reply reply = await node.GetAsync("/get?key=absent");

        reply.Is(HttpStatusCode.OK, Reply.Miss);
    }

    [Fact]
    public async Task Get_PlusInQuery_IsASpace()
    {
        string key = "a b " + Guid.NewGuid();
        await _node.PutAsync(key, "spaced");

        Reply reply = await _node.GetAsync("/get?key=" + key.Replace(' ', '+'));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(key, Parse(reply.Body).GetProperty("key").GetString());
        Assert.Equal("spaced", Parse(reply.Body).GetProperty("value").GetString());
    }

    [Fact]
    public async Task Get_PercentEscapes_AreDecodedAsBytes()
    {
        string key = "a+b&c=d%/?#" + Guid.NewGuid();
        await _node.PutAsync(key, "escaped");

        Assert.Equal("escaped", await _node.GetValueAsync(key));
    }

    [Theory]
    [InlineData("clé")]
    [InlineData("漢字")]
    [InlineData("key-😀")]
    public async Task Get_Utf8Key_RoundTripsPercentEncoded(string prefix)
    {
        string key = prefix + Guid.NewGuid();
        await _node.PutAsync(key, "unicode");

        Assert.Equal("unicode", await _node.GetValueAsync(key));
    }

    [Fact]
    public async Task Get_LowerCaseHexEscapes_AreDecoded()
    {
        string key = "é/" + Guid.NewGuid();
        await _node.PutAsync(key, "lower");

        Reply reply = await _node.GetAsync("/get?key=" + Uri.EscapeDataString(key).ToLowerInvariant());

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(key, Parse(reply.Body).GetProperty("key").GetString());
    }

    [Fact]
    public async Task Get_KeyAmongOtherParameters_IsFound()
    {
        string key = Guid.NewGuid().ToString();
        await _node.PutAsync(key, "among");

        Reply reply = await _node.GetAsync($"/get?api_key=secret&key={key}&x=1");

        reply.Is(HttpStatusCode.OK, $$"""{"status":"OK","key":"{{key}}","value":"among"}""");
    }

    [Fact]
    public async Task Get_Head_ReturnsStatusWithoutBody()
    {
        string key = Guid.NewGuid().ToString();
        await _node.PutAsync(key, "v");

        Reply hit = await _node.SendAsync(HttpMethod.Head, "/get?key=" + key);
        Reply miss = await _node.SendAsync(HttpMethod.Head, "/get?key=absent-" + key);

        hit.Is(HttpStatusCode.OK, "");
        miss.Is(HttpStatusCode.NotFound, "");
    }

    [Fact]
    public async Task Get_StringGrownAndEditedInChunks_ReturnsTheWholeValue()
    {
        // APPENDs past 8 KiB keep a string in chunks (SegmentedString); /get and /batch_get read it whole.
        string key = Keys.Unique("chunked");
        List<byte> model = [];
        await using RespTestClient client = await fixture.ConnectAsync();
        for (int i = 0; i < 100; i++)
        {
            byte[] piece = Encoding.UTF8.GetBytes($"{i:D3} \"quoted\"\tclé\n {new string((char)('a' + (i % 26)), 280)}");
            model.AddRange(piece);
            RespReply.Integer(model.Count, await client.CallAsync([Encoding.UTF8.GetBytes("APPEND"), Encoding.UTF8.GetBytes(key), piece]));
        }

        // Across the boundary of the first two 4 KiB chunks.
        byte[] across = Encoding.UTF8.GetBytes("<across the boundary>");
        int offset = 4096 - 10;
        RespReply.Integer(model.Count, await client.CallAsync("SETRANGE", key, offset.ToString(CultureInfo.InvariantCulture), Encoding.UTF8.GetString(across)));
        for (int i = 0; i < across.Length; i++)
        {
            model[offset + i] = across[i];
        }

        Assert.Equal(SegmentedString.MinChunkBytes, ChunkBytes(key));
        string expected = Encoding.UTF8.GetString([.. model]);
        Reply get = await _node.GetAsync("/get?key=" + Uri.EscapeDataString(key));
        Assert.Equal(HttpStatusCode.OK, get.Status);
        Assert.Equal(expected, Parse(get.Body).GetProperty("value").GetString());
        Reply batch = await _node.GetAsync("/batch_get?keys=" + Uri.EscapeDataString(key));
        Assert.Equal(HttpStatusCode.OK, batch.Status);
        Assert.Equal(expected, Parse(batch.Body).GetProperty("values").GetProperty(key).GetString());
    }

    /// <summary>The chunk size of the string at <paramref name="key"/>, 0 when it is one value.</summary>
    private int ChunkBytes(string key)
    {
        Assert.Equal(StoreStatus.Ok, fixture.Node.Store.GetString(Encoding.UTF8.GetBytes(key), out StringValue value));
        return value.Chunks?.ChunkBytes ?? 0;
    }

    private static JsonElement Parse(string body) => JsonDocument.Parse(body).RootElement;
}
