using KubeCache.CacheNode.Hosting;
using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Resp;

/// <summary>
/// Commands that grow a value in place (SETRANGE, SETBIT, APPEND, and the hash writes) and LCS's
/// working table are held to --max-value-bytes, and the byte accounting follows every growth.
/// </summary>
public sealed class ValueGrowthLimitTests : IAsyncLifetime
{
    private const int MaxValueBytes = 1024;

    private CacheNodeServer _node = null!;

    public async Task InitializeAsync() => _node = await TestNodes.StartAsync(o => o.MaxValueBytes = MaxValueBytes);

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Theory]
    [InlineData("SETRANGE", "1020", "abcde", 1025)]
    [InlineData("SETRANGE", "9223372036854775807", "x", 9223372036854775807)]
    [InlineData("SETBIT", "8192", "1", 1025)]
    [InlineData("APPEND", "", "x", 1025)]
    public async Task Growth_PastMaxValueBytes_ValueTooLargeAndValueKept(string command, string offset, string argument, long wouldBe)
    {
        string value = new('v', MaxValueBytes);
        await RefusedAndKeptAsync(
            key => ["SET", key, value],
            key => offset.Length == 0 ? [command, key, argument] : [command, key, offset, argument],
            wouldBe,
            key => ["GET", key],
            value);
    }

    /// <summary>
    /// A hash that grows by new fields: the store takes the new pairs after the hash as it is
    /// (<c>Replacement.Appended</c>), and the limit and its message count both.
    /// </summary>
    [Theory]
    [InlineData("HSET", "g", "12345678901234567890", 1045)]
    [InlineData("HINCRBY", "n", "5", 1026)]
    [InlineData("HSETNX", "g", "12345678901234567890", 1045)]
    public async Task HashGrowth_PastMaxValueBytes_ValueTooLargeAndHashKept(string command, string field, string argument, long wouldBe)
    {
        string value = new('v', 1018); // the hash's encoding: 1 + 1 + 2 + 1018 = 1022 bytes
        await RefusedAndKeptAsync(key => ["HSET", key, "f", value], key => [command, key, field, argument], wouldBe, key => ["HGET", key, "f"], value);
    }

    [Fact]
    public async Task SetRangeAndSetBit_GrowingValues_ByteAccountingFollows()
    {
        await using RespTestClient client = await RespTestClient.ConnectAsync(_node.RespEndPoint!);
        string key = Keys.Unique("accounting");
        long before = _node.Store.GetStats().UsedBytes;

        RespReply.Integer(100, await client.CallAsync("SETRANGE", key, "90", "0123456789"));
        RespReply.Integer(0, await client.CallAsync("SETBIT", key, "1599", "1"));

        Assert.Equal(before + key.Length + 200 + KubeCache.CacheNode.Storage.StoreOptions.EntryOverheadBytes, _node.Store.GetStats().UsedBytes);
        _node.Store.CheckInvariants();
    }

    [Fact]
    public async Task Lcs_TableOverMaxValueBytes_InsufficientMemoryNamingTheLimit()
    {
        await using RespTestClient client = await RespTestClient.ConnectAsync(_node.RespEndPoint!);
        string a = Keys.Unique("lcs-a"), b = Keys.Unique("lcs-b");
        RespReply.Ok(await client.CallAsync("MSET", a, new string('a', 100), b, new string('b', 100)));

        string message = RespReply.Error("ERR Insufficient memory, transient memory for LCS exceeds --max-value-bytes", await client.CallAsync("LCS", a, b));

        Assert.Contains("40804 bytes needed, limit 1024", message, StringComparison.Ordinal);
    }

    /// <summary>Makes a value with <paramref name="setUp"/>, sees <paramref name="call"/> refused at <paramref name="wouldBe"/> bytes, and <paramref name="read"/> still find <paramref name="kept"/>.</summary>
    private async Task RefusedAndKeptAsync(Func<string, string[]> setUp, Func<string, string[]> call, long wouldBe, Func<string, string[]> read, string kept)
    {
        await using RespTestClient client = await RespTestClient.ConnectAsync(_node.RespEndPoint!);
        string key = Keys.Unique("grow");
        Assert.False((await client.CallAsync(setUp(key))).IsError);

        RespReply.Error($"ERR value is {wouldBe} bytes, over the limit of {MaxValueBytes} (--max-value-bytes)", await client.CallAsync(call(key)));

        RespReply.Bulk(kept, await client.CallAsync(read(key)));
        _node.Store.CheckInvariants();
    }
}
