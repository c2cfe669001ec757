using System.Net;
using KubeCache.FakeApiServer.Tests.Support;

namespace KubeCache.FakeApiServer.Tests;

public sealed class ServerHooksTests
{
    [Fact]
    public async Task InjectFailure_MatchingRequests_FailThenRecover()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        server.InjectFailure("GET", "/configmaps", 429, "TooManyRequests", "slow down", times: 2);

        var first = await client.GetJsonAsync(Paths.ConfigMaps);
        var second = await client.GetJsonAsync(Paths.ConfigMaps);
        var third = await client.GetJsonAsync(Paths.ConfigMaps);

        Assert.Equal((HttpStatusCode)429, first.Status);
        Assert.Equal("TooManyRequests", first.Str("reason"));
        Assert.Equal((HttpStatusCode)429, second.Status);
        Assert.Equal(HttpStatusCode.OK, third.Status);
    }

    [Fact]
    public async Task BearerToken_MissingOrWrong_Returns401()
    {
        await using var server = await FakeApiServer.StartAsync(new FakeApiServerOptions { BearerToken = "secret" });
        using var authorized = server.CreateClient();
        using var anonymous = new HttpClient { BaseAddress = server.BaseAddress };

        var denied = await anonymous.GetJsonAsync(Paths.ConfigMaps);
        var allowed = await authorized.GetJsonAsync(Paths.ConfigMaps);

        Assert.Equal(HttpStatusCode.Unauthorized, denied.Status);
        Assert.Equal(HttpStatusCode.OK, allowed.Status);
    }

    [Fact]
    public async Task WaitForAsync_ConditionMetByLaterWrite_ReturnsObject()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        var waiting = server.WaitForAsync("", "configmaps", "default", "a", o => o["data"]?["k"]?.GetValue<string>() == "2", TimeSpan.FromSeconds(10));

        await client.PostAsync(Paths.ConfigMaps, Paths.ConfigMapJson("a", "1"));
        await client.PatchAsync(Paths.ConfigMap("a"), """{"data":{"k":"2"}}""", ApiClient.Merge);

        Assert.Equal("2", (await waiting)["data"]!["k"]!.GetValue<string>());
    }

    [Fact]
    public async Task WaitForAsync_NeverMet_Throws()
    {
        await using var server = await FakeApiServer.StartAsync();

        await Assert.ThrowsAsync<TimeoutException>(() => server.WaitForAsync("", "configmaps", "default", "a", _ => true, TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task UpdateStatus_ThroughFacade_ChangesOnlyStatus()
    {
        await using var server = await FakeApiServer.StartAsync();
        var pod = server.Create(System.Text.Json.Nodes.JsonNode.Parse("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"demo-0","namespace":"default"},"spec":{"containers":[{"name":"node","image":"x"}]}}""")!.AsObject());

        pod["status"] = new System.Text.Json.Nodes.JsonObject { ["podIP"] = "10.0.0.7" };
        pod["spec"]!["containers"]![0]!["image"] = "changed";
        server.Update(pod, "status");

        var stored = server.Get("", "pods", "default", "demo-0")!;
        Assert.Equal("10.0.0.7", stored["status"]!["podIP"]!.GetValue<string>());
        Assert.Equal("x", stored["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
    }
}
