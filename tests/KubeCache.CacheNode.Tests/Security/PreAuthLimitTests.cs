using KubeCache.CacheNode.Hosting;
using KubeCache.Hosting.Limits;
using KubeCache.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace KubeCache.CacheNode.Tests.Security;

/// <summary>
/// A client without the key may not make the node buffer a large frame: before AUTH, RESP frames
/// are bounded as Redis bounds them (10 arguments, 16 KiB bulks), refusals are counted, and the
/// full limits apply once the connection authenticates.
/// </summary>
public sealed class PreAuthLimitTests : IAsyncLifetime
{
    private CacheNodeServer _node = null!;

    private long Refused => _node.Services.GetRequiredService<ServerLimits>().Metrics.RequestsRejectedCount(RequestLimit.RespUnauthenticated);

    public async Task InitializeAsync() => _node = await SecureNodes.StartAsync(SecureNodes.WriteKeys());

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Theory]
    [InlineData("*1000000\r\n", "unauthenticated multibulk length")]
    [InlineData("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$16777216\r\n", "unauthenticated bulk length")]
    public async Task Frame_BeforeAuthOverThePreAuthBound_IsRefusedCountedAndClosed(string header, string problem)
    {
        await using RespTestClient client = await RespTestClient.ConnectAsync(_node.RespEndPoint!);

        client.QueueRaw(header);
        await client.FlushAsync();

        Assert.Equal($"ERR Protocol error: {problem}", (await client.ReadAsync()).AsString());
        Assert.True(await client.IsClosedByServerAsync());
        Assert.Equal(1, Refused);
    }

    [Fact]
    public async Task LargeCommand_AfterAuth_GetsTheFullLimits()
    {
        await using RespTestClient client = await RespTestClient.ConnectAsync(_node.RespEndPoint!);
        string value = new('v', 100_000);

        Assert.Equal("OK", (await client.CallAsync("AUTH", SecureNodes.Key)).AsString());
        Assert.Equal("OK", (await client.CallAsync("SET", "big", value)).AsString());
        Assert.Equal("OK", (await client.CallAsync(["MSET", .. Enumerable.Range(0, 8).SelectMany(i => new[] { $"k{i}", "v" })])).AsString());
        Assert.Equal(0, Refused);
    }
}
