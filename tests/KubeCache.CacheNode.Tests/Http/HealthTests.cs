using System.Net;
using System.Text.Json;
using KubeCache.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KubeCache.CacheNode.Tests.Http;

/// <summary>Liveness, readiness and the JSON statistics.</summary>
public sealed class HealthTests
{
    [Theory]
    [InlineData("/health", """{"status":"OK","message":"healthy"}""")]
    [InlineData("/healthz", """{"status":"OK","message":"healthy"}""")]
    [InlineData("/readyz", """{"status":"OK","message":"ready"}""")]
    public async Task Probe_RunningNode_Returns200(string path, string body)
    {
        await using TestNode node = await TestNode.StartAsync();

        Reply reply = await node.GetAsync(path);

        reply.Is(HttpStatusCode.OK, body);
    }

    [Fact]
    public async Task Stats_AfterPutHitAndMiss_CountsThem()
    {
        await using TestNode node = await TestNode.StartAsync();
        await node.PutAsync("k", "value");
        await node.GetValueAsync("k");
        await node.GetKeyAsync("absent");

        Reply reply = await node.GetAsync("/stats");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        using JsonDocument json = JsonDocument.Parse(reply.Body);
        JsonElement stats = json.RootElement;
        Assert.Equal("OK", stats.GetProperty("status").GetString());
        Assert.Equal(1, stats.GetProperty("items").GetInt64());
        Assert.Equal(1, stats.GetProperty("hits").GetInt64());
        Assert.Equal(1, stats.GetProperty("misses").GetInt64());
        Assert.Equal(0.5, stats.GetProperty("hitRate").GetDouble());
        Assert.Equal(64L << 20, stats.GetProperty("capacityBytes").GetInt64());
        long used = stats.GetProperty("usedBytes").GetInt64();
        Assert.InRange(used, "k".Length + "value".Length + 1, 1024);
    }

    [Fact]
    public async Task Stats_EmptyNode_ReportsZeroes()
    {
        await using TestNode node = await TestNode.StartAsync();

        Reply reply = await node.GetAsync("/stats");

        using JsonDocument json = JsonDocument.Parse(reply.Body);
        JsonElement stats = json.RootElement;
        Assert.Equal(0, stats.GetProperty("items").GetInt64());
        Assert.Equal(0, stats.GetProperty("usedBytes").GetInt64());
        Assert.Equal(0, stats.GetProperty("hits").GetInt64());
        Assert.Equal(0, stats.GetProperty("misses").GetInt64());
        Assert.Equal(0, stats.GetProperty("hitRate").GetDouble());
    }

    [Fact]
    public async Task Readyz_AfterShutdownBegins_Returns503()
    {
        TestNode node = await TestNode.StartAsync();
        try
        {
            var lifetime = node.Server.Services.GetRequiredService<IHostApplicationLifetime>();
            lifetime.StopApplication();

            Reply reply = await node.GetAsync("/readyz");

            reply.Is(HttpStatusCode.ServiceUnavailable, """{"status":"ERROR","message":"shutting down"}""");
        }
        finally
        {
            await node.DisposeAsync();
        }
    }
}
