using System.Buffers;
using KubeCache.CacheNode.Tests.Resp.Support;
using KubeCache.Protocol;
using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Resp;

/// <summary>redis-cli, unmodified, against the RESP port: single commands and <c>--pipe</c> mass insertion.</summary>
[Collection(SharedNodeCollection.Name)]
public sealed class RedisCliTests(NodeFixture fixture)
{
    private const int PipedCommands = 10_000;

    [Fact]
    public async Task RedisCli_SetThenGet_PrintsOkAndValue()
    {
        string key = Keys.Unique("cli");
        ProcessOutput set = await RedisTools.CliAsync(fixture.Resp, "set", key, "v");
        Assert.True(set.ExitCode == 0, set.ToString());
        Assert.Equal("OK", set.StandardOutput.Trim());

        ProcessOutput get = await RedisTools.CliAsync(fixture.Resp, "get", key);
        Assert.True(get.ExitCode == 0, get.ToString());
        Assert.Equal("v", get.StandardOutput.Trim());
    }

    [Fact]
    public async Task RedisCli_UnknownCommand_PrintsServerError()
    {
        ProcessOutput output = await RedisTools.CliAsync(fixture.Resp, "frobnicate", "x");
        Assert.Contains("ERR unknown command 'frobnicate'", output.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RedisCliPipe_TenThousandSets_NoErrorsAndAllReplies()
    {
        string prefix = Keys.Unique("mass");
        string file = Path.Combine(Path.GetTempPath(), $"kubecache-pipe-{Guid.NewGuid():N}.resp");
        try
        {
            var commands = new ArrayBufferWriter<byte>();
            for (int i = 0; i < PipedCommands; i++)
            {
                RespCommandWriter.Write(commands, "SET", $"{prefix}:{i}", $"value-{i}");
            }

            await File.WriteAllBytesAsync(file, commands.WrittenMemory.ToArray());
            ProcessOutput output = await RedisTools.RunAsync(
                "redis-cli", ["-h", "127.0.0.1", "-p", fixture.Resp.Port.ToString(), "--pipe"], standardInputFile: file);

            Assert.True(output.ExitCode == 0, output.ToString());
            Assert.Contains($"errors: 0, replies: {PipedCommands}", output.All, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }

        await using RespTestClient client = await fixture.ConnectAsync();
        Assert.True((await client.CallAsync("DBSIZE")).AsInt64() >= PipedCommands, "DBSIZE is below the number of keys piped in.");
        foreach (int i in new[] { 0, 1, 4_999, 9_998, PipedCommands - 1 })
        {
            RespReply.Bulk($"value-{i}", await client.CallAsync("GET", $"{prefix}:{i}"));
        }
    }
}
