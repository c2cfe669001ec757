using System.Collections;
using KubeCache.Configuration;
using KubeCache.Operator.Options;
using KubeCache.Operator.Tests.Support;

namespace KubeCache.Operator.Tests.Options;

public class OperatorOptionTableTests
{
    [Fact]
    public void Parse_Nothing_PinsTheDocumentedDefaults()
    {
        OperatorOptions options = OperatorOptionTable.Parse([], new Hashtable());

        Assert.Equal((8080, "0.0.0.0", ""), (options.HttpPort, options.Bind, options.WatchNamespace));
        Assert.Equal("kvcache-operator-leader", options.LeaseName);
        Assert.Null(options.LeaseNamespace);
        Assert.Equal(Environment.MachineName, options.Identity);
        Assert.Equal(("ghcr.io/kubecache/kvcache-node:0.1.0", "ghcr.io/kubecache/kvcache-router:0.1.0"), (options.NodeImage, options.RouterImage));
        Assert.Equal(TimeSpan.FromSeconds(600), options.HandoffDeadline);
        Assert.Equal(TimeSpan.FromMinutes(5), options.ResyncPeriod);
        Assert.Equal(TimeSpan.FromSeconds(10), options.NodePollInterval);
        Assert.Equal((TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2)), (options.LeaseDuration, options.RenewDeadline, options.RetryPeriod));
    }

    [Fact]
    public void Parse_DownwardApiVariables_SetLeaseNamespaceAndIdentity()
    {
        OperatorOptions options = OperatorOptionTable.Parse(["--watch-namespace", "cache"],
            new Hashtable { ["KVCACHE_NAMESPACE"] = "ops", ["KVCACHE_POD_NAME"] = "kvcache-operator-7d9-abc", ["KVCACHE_WATCH_NAMESPACE"] = "ignored" });

        Assert.Equal(("ops", "kvcache-operator-7d9-abc", "cache"), (options.LeaseNamespace, options.Identity, options.WatchNamespace));
    }

    [Theory]
    [InlineData("--http-port", "70000")]
    [InlineData("--handoff-deadline", "0")]
    [InlineData("--lease-duration", "5")]
    [InlineData("--lease-name", "")]
    [InlineData("--no-such-flag", "1")]
    public void Parse_InvalidValue_FailsNamingTheFlag(string flag, string value)
    {
        OptionException error = Assert.Throws<OptionException>(() => OperatorOptionTable.Parse([flag, value], new Hashtable()));

        Assert.StartsWith(flag, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Readme_OperatorTable_ListsEveryFlagAndVariable()
    {
        string readme = File.ReadAllText(RepoPaths.Combine("README.md"));
        string section = readme[readme.IndexOf("### Operator configuration", StringComparison.Ordinal)..];
        foreach (OptionSpec<OperatorOptions> spec in OperatorOptionTable.Table.Specs)
        {
            Assert.Contains($"| `{spec.Flag}` | `{spec.EnvironmentVariable}` | {spec.Default} |", section, StringComparison.Ordinal);
        }
    }
}
