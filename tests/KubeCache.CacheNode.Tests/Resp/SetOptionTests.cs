using KubeCache.CacheNode.Tests.Resp.Support;
using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Resp;

/// <summary>SET's options (NX, XX, GET, EX, PX, EXAT, PXAT, KEEPTTL), their syntax errors, SETEX and PSETEX.</summary>
[Collection(SharedNodeCollection.Name)]
public sealed class SetOptionTests(NodeFixture fixture)
{
    [Fact]
    public async Task SetNx_ExistingKey_NilAndValueUnchanged()
    {
        string key = Keys.Unique("nx");
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Ok(await client.CallAsync("SET", key, "old", "NX"));
        RespReply.Nil(await client.CallAsync("SET", key, "new", "NX"));
        RespReply.Bulk("old", await client.CallAsync("GET", key));
    }

    [Fact]
    public async Task SetXx_MissingThenExisting_NilThenOk()
    {
        string key = Keys.Unique("xx");
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Nil(await client.CallAsync("SET", key, "v", "XX"));
        RespReply.Integer(0, await client.CallAsync("EXISTS", key));
        RespReply.Ok(await client.CallAsync("SET", key, "v1"));
        RespReply.Ok(await client.CallAsync("SET", key, "v2", "xx"));
        RespReply.Bulk("v2", await client.CallAsync("GET", key));
    }

    [Fact]
    public async Task SetGet_MissingThenExisting_ReturnsPreviousValue()
    {
        string key = Keys.Unique("setget");
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Nil(await client.CallAsync("SET", key, "one", "GET"));
        RespReply.Bulk("one", await client.CallAsync("SET", key, "two", "GET"));
        RespReply.Bulk("two", await client.CallAsync("GET", key));
    }

    [Theory]
    [InlineData("EX", "100", 100_000)]
    [InlineData("PX", "100000", 100_000)]
    public async Task Set_RelativeExpiry_SetsTtl(string option, string amount, long expectedMs)
    {
        string key = Keys.Unique("ttl");
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Ok(await client.CallAsync("SET", key, "v", option, amount));
        long pttl = (await client.CallAsync("PTTL", key)).AsInt64();
        Assert.InRange(pttl, expectedMs - 10_000, expectedMs);
    }

    [Fact]
    public async Task Set_ExAtAndPxAt_SetsTtlToThatTime()
    {
        string seconds = Keys.Unique("exat"), millis = Keys.Unique("pxat");
        long at = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 200;
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Ok(await client.CallAsync("SET", seconds, "v", "EXAT", at.ToString()));
        RespReply.Ok(await client.CallAsync("SET", millis, "v", "PXAT", (at * 1000).ToString()));
        Assert.InRange((await client.CallAsync("TTL", seconds)).AsInt64(), 190, 200);
        Assert.InRange((await client.CallAsync("PTTL", millis)).AsInt64(), 190_000, 200_000);
    }

    [Fact]
    public async Task Set_PxShort_KeyExpires()
    {
        string key = Keys.Unique("expires");
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Ok(await client.CallAsync("SET", key, "v", "PX", "50"));
        await Poll.UntilAsync(async () => (await client.CallAsync("GET", key)).IsNull, "the key to expire");
    }

    [Fact]
    public async Task Set_KeepTtl_KeepsTtlWhilePlainSetClearsIt()
    {
        string key = Keys.Unique("keepttl");
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Ok(await client.CallAsync("SET", key, "v1", "EX", "100"));
        RespReply.Ok(await client.CallAsync("SET", key, "v2", "KEEPTTL"));
        Assert.InRange((await client.CallAsync("TTL", key)).AsInt64(), 90, 100);
        RespReply.Bulk("v2", await client.CallAsync("GET", key));
        RespReply.Ok(await client.CallAsync("SET", key, "v3"));
        RespReply.Integer(-1, await client.CallAsync("TTL", key));
    }

    [Theory]
    [InlineData("NX", "XX")]
    [InlineData("EX", "10", "PX", "100")]
    [InlineData("EX", "10", "KEEPTTL")]
    [InlineData("EX")]
    [InlineData("BOGUS")]
    public async Task Set_ConflictingOrUnknownOptions_SyntaxError(params string[] options)
    {
        string key = Keys.Unique("syntax");
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Error("ERR syntax error", await client.CallAsync(["SET", key, "v", .. options]));
        RespReply.Integer(0, await client.CallAsync("EXISTS", key));
    }

    [Theory]
    [InlineData("EX", "0")]
    [InlineData("PX", "-5")]
    [InlineData("EX", "9223372036854775807")]
    public async Task Set_NonPositiveOrHugeExpiry_InvalidExpireTime(string option, string amount)
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Error("ERR invalid expire time in 'set' command", await client.CallAsync("SET", Keys.Unique("k"), "v", option, amount));
    }

    [Fact]
    public async Task Set_ExNotANumber_NotIntegerError()
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Error("ERR value is not an integer or out of range", await client.CallAsync("SET", Keys.Unique("k"), "v", "EX", "abc"));
    }

    [Fact]
    public async Task SetEx_Seconds_SetsValueAndTtl()
    {
        string key = Keys.Unique("setex");
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Ok(await client.CallAsync("SETEX", key, "100", "v"));
        RespReply.Bulk("v", await client.CallAsync("GET", key));
        Assert.InRange((await client.CallAsync("TTL", key)).AsInt64(), 90, 100);
    }

    [Fact]
    public async Task PSetEx_Milliseconds_SetsValueAndTtl()
    {
        string key = Keys.Unique("psetex");
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Ok(await client.CallAsync("PSETEX", key, "100000", "v"));
        Assert.InRange((await client.CallAsync("PTTL", key)).AsInt64(), 90_000, 100_000);
    }

    [Theory]
    [InlineData("SETEX", "0", "setex")]
    [InlineData("PSETEX", "-1", "psetex")]
    public async Task SetEx_NonPositiveTtl_InvalidExpireTime(string command, string amount, string name)
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Error($"ERR invalid expire time in '{name}' command", await client.CallAsync(command, Keys.Unique("k"), amount, "v"));
    }
}
