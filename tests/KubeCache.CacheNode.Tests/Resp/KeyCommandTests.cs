using KubeCache.CacheNode.Tests.Resp.Support;
using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Resp;

/// <summary>DEL, UNLINK, EXISTS, TYPE, the EXPIRE family, TTL, PTTL, PERSIST and GETEX.</summary>
[Collection(SharedNodeCollection.Name)]
public sealed class KeyCommandTests(NodeFixture fixture)
{
    [Theory]
    [InlineData("DEL")]
    [InlineData("UNLINK")]
    public async Task Delete_TwoPresentOneMissing_CountsRemoved(string command)
    {
        string a = Keys.Unique("a"), b = Keys.Unique("b");
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Ok(await client.CallAsync("MSET", a, "1", b, "2"));
        RespReply.Integer(2, await client.CallAsync(command, a, Keys.Unique("missing"), b));
        RespReply.Integer(0, await client.CallAsync("EXISTS", a, b));
    }

    [Fact]
    public async Task Exists_DuplicateKeys_CountsEachMention()
    {
        string key = Keys.Unique("exists");
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Ok(await client.CallAsync("SET", key, "v"));
        RespReply.Integer(3, await client.CallAsync("EXISTS", key, key, Keys.Unique("missing"), key));
    }

    [Fact]
    public async Task Type_PresentAndMissing_StringOrNone()
    {
        string key = Keys.Unique("type");
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Ok(await client.CallAsync("SET", key, "v"));
        RespReply.Simple("string", await client.CallAsync("TYPE", key));
        RespReply.Simple("none", await client.CallAsync("TYPE", Keys.Unique("missing")));
    }

    [Fact]
    public async Task Ttl_MissingAndPersistentKeys_MinusTwoAndMinusOne()
    {
        string key = Keys.Unique("ttl");
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Integer(-2, await client.CallAsync("TTL", Keys.Unique("missing")));
        RespReply.Integer(-2, await client.CallAsync("PTTL", Keys.Unique("missing")));
        RespReply.Ok(await client.CallAsync("SET", key, "v"));
        RespReply.Integer(-1, await client.CallAsync("TTL", key));
        RespReply.Integer(-1, await client.CallAsync("PTTL", key));
    }

    [Fact]
    public async Task ExpireTime_MissingPersistentAndExpiring_ReportAbsoluteUnixTime()
    {
        string key = Keys.Unique("expiretime");
        long at = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1000;
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Integer(-2, await client.CallAsync("EXPIRETIME", Keys.Unique("missing")));
        RespReply.Ok(await client.CallAsync("SET", key, "v"));
        RespReply.Integer(-1, await client.CallAsync("PEXPIRETIME", key));
        RespReply.Integer(1, await client.CallAsync("EXPIREAT", key, at.ToString()));
        RespReply.Integer(at, await client.CallAsync("EXPIRETIME", key));
        RespReply.Integer(at * 1000, await client.CallAsync("PEXPIRETIME", key));
    }

    [Theory]
    [InlineData("EXPIRE", 100L, 1000L)]
    [InlineData("PEXPIRE", 100_000L, 1L)]
    public async Task Expire_Relative_SetsTtl(string command, long amount, long scale)
    {
        string key = Keys.Unique("expire");
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Ok(await client.CallAsync("SET", key, "v"));
        RespReply.Integer(1, await client.CallAsync(command, key, amount.ToString()));
        Assert.InRange((await client.CallAsync("PTTL", key)).AsInt64(), (amount * scale) - 10_000, amount * scale);
        Assert.InRange((await client.CallAsync("TTL", key)).AsInt64(), (amount * scale / 1000) - 10, amount * scale / 1000);
    }

    [Theory]
    [InlineData("EXPIREAT", 1L)]
    [InlineData("PEXPIREAT", 1000L)]
    public async Task ExpireAt_FutureUnixTime_SetsTtl(string command, long perSecond)
    {
        string key = Keys.Unique("expireat");
        long at = (DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 300) * perSecond;
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Ok(await client.CallAsync("SET", key, "v"));
        RespReply.Integer(1, await client.CallAsync(command, key, at.ToString()));
        Assert.InRange((await client.CallAsync("TTL", key)).AsInt64(), 290, 300);
    }

    [Theory]
    [InlineData("EXPIREAT", "1")]
    [InlineData("EXPIRE", "0")]
    [InlineData("PEXPIRE", "-100")]
    public async Task Expire_TimeInPast_DeletesKey(string command, string amount)
    {
        string key = Keys.Unique("past");
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Ok(await client.CallAsync("SET", key, "v"));
        RespReply.Integer(1, await client.CallAsync(command, key, amount));
        RespReply.Integer(0, await client.CallAsync("EXISTS", key));
        RespReply.Integer(-2, await client.CallAsync("TTL", key));
    }

    [Fact]
    public async Task Expire_MissingKey_Zero()
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Integer(0, await client.CallAsync("EXPIRE", Keys.Unique("missing"), "100"));
    }

    [Fact]
    public async Task Expire_NotANumber_NotIntegerError()
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Error("ERR value is not an integer or out of range", await client.CallAsync("EXPIRE", Keys.Unique("k"), "soon"));
    }

    [Fact]
    public async Task Persist_KeyWithTtl_OneThenZeroAndTtlCleared()
    {
        string key = Keys.Unique("persist");
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Ok(await client.CallAsync("SET", key, "v", "EX", "100"));
        RespReply.Integer(1, await client.CallAsync("PERSIST", key));
        RespReply.Integer(-1, await client.CallAsync("TTL", key));
        RespReply.Integer(0, await client.CallAsync("PERSIST", key));
        RespReply.Integer(0, await client.CallAsync("PERSIST", Keys.Unique("missing")));
    }

    [Fact]
    public async Task GetEx_ExThenPersist_ReturnsValueAndChangesTtl()
    {
        string key = Keys.Unique("getex");
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Ok(await client.CallAsync("SET", key, "v"));
        RespReply.Bulk("v", await client.CallAsync("GETEX", key, "EX", "100"));
        Assert.InRange((await client.CallAsync("TTL", key)).AsInt64(), 90, 100);
        RespReply.Bulk("v", await client.CallAsync("GETEX", key));
        Assert.InRange((await client.CallAsync("TTL", key)).AsInt64(), 90, 100);
        RespReply.Bulk("v", await client.CallAsync("GETEX", key, "PERSIST"));
        RespReply.Integer(-1, await client.CallAsync("TTL", key));
    }

    [Fact]
    public async Task GetEx_MissingKey_Nil()
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Nil(await client.CallAsync("GETEX", Keys.Unique("missing"), "EX", "10"));
    }

    [Fact]
    public async Task GetEx_KeepTtlOption_SyntaxError()
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Error("ERR syntax error", await client.CallAsync("GETEX", Keys.Unique("k"), "KEEPTTL"));
    }
}
