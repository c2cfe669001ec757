using KubeCache.CacheNode.Hosting;
using KubeCache.Protocol;
using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Security;

public sealed class RespAuthTests : IAsyncLifetime
{
    private CacheNodeServer _node = null!;

    public async Task InitializeAsync() => _node = await SecureNodes.StartAsync(SecureNodes.WriteKeys());

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Get_BeforeAuth_GetsNoAuthOnBothPorts()
    {
        foreach (var endPoint in new[] { _node.RespEndPoint!, _node.HttpEndPoint })
        {
            await using RespTestClient client = await RespTestClient.ConnectAsync(endPoint);

            RespValue reply = await client.CallAsync("GET", "k");

            Assert.Equal("NOAUTH Authentication required.", reply.AsString());
        }
    }

    [Theory]
    [InlineData("AUTH", SecureNodes.Key)]
    [InlineData("AUTH", "default", SecureNodes.Key)]
    public async Task Auth_ValidKey_UnlocksCommands(params string[] auth)
    {
        await using RespTestClient client = await RespTestClient.ConnectAsync(_node.RespEndPoint!);

        Assert.Equal("OK", (await client.CallAsync(auth)).AsString());
        Assert.Equal("OK", (await client.CallAsync("SET", "resp-k", "v")).AsString());
        Assert.Equal("v", (await client.CallAsync("GET", "resp-k")).AsString());
    }

    [Fact]
    public async Task Auth_WrongKeyOrUser_GetsWrongPassAndStaysLocked()
    {
        await using RespTestClient client = await RespTestClient.ConnectAsync(_node.RespEndPoint!);

        RespValue wrongKey = await client.CallAsync("AUTH", "nope");
        RespValue wrongUser = await client.CallAsync("AUTH", "admin", SecureNodes.Key);
        RespValue after = await client.CallAsync("GET", "k");

        Assert.Equal("WRONGPASS invalid username-password pair or user is disabled.", wrongKey.AsString());
        Assert.Equal(wrongKey.AsString(), wrongUser.AsString());
        Assert.Equal("NOAUTH Authentication required.", after.AsString());
    }

    [Fact]
    public async Task Hello_WithAuth_AuthenticatesAndReplies()
    {
        await using RespTestClient client = await RespTestClient.ConnectAsync(_node.RespEndPoint!);

        RespValue hello = await client.CallAsync("HELLO", "2", "AUTH", "default", SecureNodes.Key, "SETNAME", "app");
        RespValue name = await client.CallAsync("CLIENT", "GETNAME");

        Assert.Equal(RespValueKind.Array, hello.Kind);
        Assert.Equal("app", name.AsString());
    }

    [Fact]
    public async Task Quit_BeforeAuth_IsAllowed()
    {
        await using RespTestClient client = await RespTestClient.ConnectAsync(_node.RespEndPoint!);

        Assert.Equal("OK", (await client.CallAsync("QUIT")).AsString());
        Assert.True(await client.IsClosedByServerAsync());
    }

    [Fact]
    public async Task RedisCli_WithPassword_Works()
    {
        ProcessOutput output = await RedisTools.CliAsync(_node.RespEndPoint!, "--no-auth-warning", "-a", SecureNodes.Key, "SET", "cli-k", "cli-v");
        ProcessOutput without = await RedisTools.CliAsync(_node.RespEndPoint!, "GET", "cli-k");

        Assert.Equal("OK", output.StandardOutput.Trim());
        Assert.Contains("NOAUTH", without.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auth_TooManyFailures_ErrorsAndCloses()
    {
        await using CacheNodeServer node = await SecureNodes.StartAsync(SecureNodes.WriteKeys(), configure: o => o.Security.AuthMaxFailures = 2);
        await using RespTestClient client = await RespTestClient.ConnectAsync(node.RespEndPoint!);

        RespValue first = await client.CallAsync("AUTH", "bad1");
        RespValue second = await client.CallAsync("AUTH", "bad2");

        Assert.StartsWith("WRONGPASS", first.AsString(), StringComparison.Ordinal);
        Assert.Equal("ERR too many failed authentication attempts", second.AsString());
        Assert.True(await client.IsClosedByServerAsync());
    }
}
