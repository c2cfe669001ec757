using System.Collections;
using KubeCache.Configuration;
using KubeCache.Local;
using KubeCache.Testing;

namespace KubeCache.Router.Tests.Local;

public class LocalOptionTableTests
{
    [Fact]
    public void Parse_NoFlags_PinsTheDocumentedDefaults()
    {
        LocalOptions options = LocalOptionTable.Parse([], new Hashtable());

        Assert.Equal((7171, 6379, "0.0.0.0"), (options.HttpPort, options.RespPort, options.Bind));
        Assert.Equal(3, options.LocalNodes);
        Assert.Equal(256L << 20, options.LocalNodeMemoryBytes);
        Assert.False(options.LocalAdminRemote);
        Assert.Equal(TimeSpan.FromMinutes(10), options.HandoffDeadline);
    }

    [Theory]
    [InlineData("--ring-configmap", "demo-ring")]
    [InlineData("--ring-file", "ring.json")]
    public void Parse_RingSource_FailsNamingLocalNodesAndTheSource(string flag, string value)
    {
        OptionException error = Assert.Throws<OptionException>(() => LocalOptionTable.Parse(["--local-nodes", "3", flag, value], new Hashtable()));

        Assert.StartsWith("--local-nodes", error.Message, StringComparison.Ordinal);
        Assert.Contains(flag, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--local-nodes", "0")]
    [InlineData("--local-nodes", "65")]
    [InlineData("--handoff-deadline", "0")]
    [InlineData("--upstream-timeout", "0")]
    public void Parse_InvalidValue_FailsNamingTheFlag(string flag, string value)
    {
        OptionException error = Assert.Throws<OptionException>(() => LocalOptionTable.Parse([flag, value], new Hashtable()));

        Assert.StartsWith(flag, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Readme_LocalTable_ListsEveryLocalFlagAndVariable()
    {
        string readme = File.ReadAllText(RepoPaths.Of("README.md"));
        string local = readme[readme.IndexOf("## Local mode", StringComparison.Ordinal)..];
        foreach (OptionSpec<LocalOptions> spec in LocalOptionTable.Table.Specs.Where(s => s.Flag is "--local-nodes" or "--local-node-memory" or "--local-admin-remote" or "--handoff-deadline"))
        {
            Assert.Contains($"| `{spec.Flag}` | `{spec.EnvironmentVariable}` |", local, StringComparison.Ordinal);
        }
    }
}
