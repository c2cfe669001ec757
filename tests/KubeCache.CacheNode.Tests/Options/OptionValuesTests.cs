using KubeCache.CacheNode.Options;
using KubeCache.Configuration;

namespace KubeCache.CacheNode.Tests.Options;

public class OptionValuesTests
{
    [Theory]
    [InlineData("1048576", 1048576)]
    [InlineData("64mb", 64L << 20)]
    [InlineData("2GB", 2L << 30)]
    [InlineData("1kb", 1024)]
    [InlineData("1k", 1000)]
    [InlineData("3m", 3_000_000)]
    [InlineData("5g", 5_000_000_000)]
    [InlineData("12b", 12)]
    public void TryParseBytes_RedisUnits_Parse(string text, long expected)
    {
        Assert.True(OptionValues.TryParseBytes(text, out long bytes));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("mb")]
    [InlineData("-5")]
    [InlineData("1.5gb")]
    [InlineData("10tb")]
    [InlineData("99999999999999999999")]
    [InlineData("9999999999999gb")]
    public void TryParseBytes_Garbage_IsRejected(string text) => Assert.False(OptionValues.TryParseBytes(text, out _));

    [Theory]
    [InlineData("30", 30_000)]
    [InlineData("500ms", 500)]
    [InlineData("30s", 30_000)]
    [InlineData("5m", 300_000)]
    [InlineData("2h", 7_200_000)]
    public void TryParseDuration_Units_Parse(string text, long expectedMilliseconds)
    {
        Assert.True(OptionValues.TryParseDuration(text, out TimeSpan duration));
        Assert.Equal(expectedMilliseconds, (long)duration.TotalMilliseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-1s")]
    [InlineData("1d")]
    public void TryParseDuration_Garbage_IsRejected(string text) => Assert.False(OptionValues.TryParseDuration(text, out _));

    [Fact]
    public void ReadProcessLimit_V2File_ReturnsLimit()
    {
        string root = Directory.CreateTempSubdirectory().FullName;
        File.WriteAllText(Path.Combine(root, "memory.max"), "536870912\n");

        Assert.Equal(536870912L, MemoryLimit.ReadProcessLimit(root, "0::/\n"));
    }

    [Fact]
    public void ReadProcessLimit_V2Max_MeansNoLimit()
    {
        string root = Directory.CreateTempSubdirectory().FullName;
        File.WriteAllText(Path.Combine(root, "memory.max"), "max\n");

        Assert.Null(MemoryLimit.ReadProcessLimit(root, "0::/\n"));
    }

    [Fact]
    public void ReadProcessLimit_V1HugeValue_MeansNoLimitAndV1LimitIsRead()
    {
        string root = Directory.CreateTempSubdirectory().FullName;
        Directory.CreateDirectory(Path.Combine(root, "memory"));
        File.WriteAllText(Path.Combine(root, "memory", "memory.limit_in_bytes"), "9223372036854771712\n");
        Assert.Null(MemoryLimit.ReadProcessLimit(root, "4:memory:/\n"));

        File.WriteAllText(Path.Combine(root, "memory", "memory.limit_in_bytes"), "1073741824\n");
        Assert.Equal(1L << 30, MemoryLimit.ReadProcessLimit(root, "4:memory:/\n"));
    }

    /// <summary>A process in a nested memory cgroup (as the cgroup test runs the node) is bound by its own group's limit, not the mount root's.</summary>
    [Fact]
    public void ReadProcessLimit_NestedV1Group_IsTheTightestLimitOnTheWayUp()
    {
        string root = Directory.CreateTempSubdirectory().FullName;
        string group = Path.Combine(root, "memory", "outer", "inner");
        Directory.CreateDirectory(group);
        File.WriteAllText(Path.Combine(root, "memory", "memory.limit_in_bytes"), "9223372036854771712\n");
        File.WriteAllText(Path.Combine(root, "memory", "outer", "memory.limit_in_bytes"), "1073741824\n");
        File.WriteAllText(Path.Combine(group, "memory.limit_in_bytes"), "536870912\n");

        Assert.Equal(536870912L, MemoryLimit.ReadProcessLimit(root, "9:cpu,cpuacct:/x\n4:memory:/outer/inner\n0::/\n"));
        Assert.Equal(1L << 30, MemoryLimit.ReadProcessLimit(root, "4:memory:/outer\n"));
    }

    [Fact]
    public void ResolveMaxMemory_NotGiven_IsSeventyPercentOfTheDetectedLimit()
    {
        var options = new NodeOptions();

        Assert.Equal((long)(MemoryLimit.Detect() * 0.7), options.ResolveMaxMemory());
    }
}
