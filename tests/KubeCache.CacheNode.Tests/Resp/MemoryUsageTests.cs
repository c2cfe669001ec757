using System.Text.RegularExpressions;
using KubeCache.CacheNode.Hosting;
using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Resp;

/// <summary>
/// MEMORY USAGE on a node of its own: each key's bytes as the budget counts them, summing to INFO's
/// used_memory, and <c>redis-cli --memkeys</c>, unmodified, reading them (it printed 0 bytes for
/// every key while the node answered MEMORY with an unknown-command error).
/// </summary>
public sealed class MemoryUsageTests
{
    [Fact]
    public async Task MemoryUsage_StringsAndHashes_SumToUsedMemoryAndRedisCliMemkeysReadsThem()
    {
        await using CacheNodeServer node = await TestNodes.StartAsync();
        await using RespTestClient client = await RespTestClient.ConnectAsync(node.RespEndPoint!);
        RespReply.Ok(await client.CallAsync("SET", "small", "v"));
        RespReply.Ok(await client.CallAsync("SET", "large", new string('x', 5000)));
        // 2,000 fields, about 40 KB: a hash kept in segments.
        await client.CallAsync(["HSET", "hash", .. Enumerable.Range(0, 2000).SelectMany(i => new[] { $"field:{i:D4}", $"value-{i}" })]);

        long small = (await client.CallAsync("MEMORY", "USAGE", "small")).AsInt64();
        long large = (await client.CallAsync("MEMORY", "USAGE", "large", "SAMPLES", "0")).AsInt64();
        long hash = (await client.CallAsync("MEMORY", "usage", "hash")).AsInt64();
        Assert.InRange(small, 1 + "small".Length, 200);
        Assert.InRange(large - small, 5000 - 1 + "large".Length - "small".Length, 5000 + 100);
        Assert.True(hash > 2000 * ("field:0000".Length + "value-0".Length), $"MEMORY USAGE hash is {hash}");
        RespReply.Nil(await client.CallAsync("MEMORY", "USAGE", "missing"));

        string info = (await client.CallAsync("INFO", "memory")).AsString()!;
        Assert.Equal(small + large + hash, long.Parse(Regex.Match(info, @"used_memory:(\d+)").Groups[1].Value));

        ProcessOutput memkeys = await RedisTools.CliAsync(node.RespEndPoint!, "--memkeys");
        Assert.True(memkeys.ExitCode == 0, memkeys.ToString());
        Assert.Contains($"Biggest string found '\"large\"' has {large} bytes", memkeys.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"Biggest   hash found '\"hash\"' has {hash} bytes", memkeys.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"2 strings with {small + large} bytes", memkeys.StandardOutput, StringComparison.Ordinal);
    }
}
