using System.Collections;
using KubeCache.Configuration;
using KubeCache.Router.Options;
using KubeCache.Testing;

namespace KubeCache.Router.Tests.Options;

public class RouterOptionTableTests
{
    [Fact]
    public void Parse_RingFile_PinsTheDocumentedDefaults()
    {
        RouterOptions options = RouterOptionTable.Parse(["--ring-file", "ring.json"], new Hashtable());

        Assert.Equal((7171, 6379, "0.0.0.0"), (options.HttpPort, options.RespPort, options.Bind));
        Assert.Equal(2, options.UpstreamConnections);
        Assert.Equal(TimeSpan.FromSeconds(1), options.UpstreamTimeout);
        Assert.Equal(TimeSpan.FromSeconds(60), options.UpstreamKeepAlive);
        Assert.Equal((16 << 20, 1 << 20, 256 * 1024), (options.RespMaxBulkBytes, options.RespMaxArrayLength, options.RespOutputBufferBytes));
        Assert.Equal((10_000, 1_000), (options.Limits.MaxConnections, options.Limits.MaxConnectionsPerIp));
        Assert.Equal((8192, 32768, 100), (options.Limits.MaxRequestLineBytes, options.Limits.MaxHeaderBytes, options.Limits.MaxHeaderCount));
        Assert.Equal((TimeSpan.FromSeconds(300), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30)), (options.Limits.IdleTimeout, options.Limits.RequestTimeout, options.Limits.OutputTimeout));
        Assert.Equal(64L << 20, options.RespMaxTransactionBytes);
        Assert.Equal(240, options.Limits.MinDataRate);
        Assert.Equal((TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10)), (options.ShutdownDelay, options.ShutdownTimeout));
    }

    [Fact]
    public void Parse_ShutdownDelay_SetsTheDelayBeforeTheDrain()
    {
        RouterOptions options = RouterOptionTable.Parse(["--ring-file", "ring.json", "--shutdown-delay", "500ms"], new Hashtable { ["KVCACHE_SHUTDOWN_TIMEOUT"] = "20" });

        Assert.Equal((TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(20)), (options.ShutdownDelay, options.ShutdownTimeout));
    }

    [Fact]
    public void Parse_LimitFlags_SetTheLimits()
    {
        RouterOptions options = RouterOptionTable.Parse(
            ["--ring-file", "ring.json", "--resp-max-bulk-bytes", "1mb", "--resp-max-array-length", "100", "--resp-output-buffer-bytes", "64kb",
             "--max-connections", "20", "--idle-timeout", "90s"],
            new Hashtable { ["KVCACHE_MAX_CONNECTIONS_PER_IP"] = "5" });

        Assert.Equal((1 << 20, 100, 64 * 1024), (options.RespMaxBulkBytes, options.RespMaxArrayLength, options.RespOutputBufferBytes));
        Assert.Equal((20, 5), (options.Limits.MaxConnections, options.Limits.MaxConnectionsPerIp));
        Assert.Equal(TimeSpan.FromSeconds(90), options.Limits.IdleTimeout);
    }

    [Fact]
    public void Parse_SecurityFlags_SetTheSameOptionsAsOnANode()
    {
        RouterOptions options = RouterOptionTable.Parse(
            ["--ring-file", "ring.json", "--auth-keys-file", "keys", "--tls-cert-file", "tls.crt", "--tls-key-file", "tls.key", "--peer-tls", "true"],
            new Hashtable { ["KVCACHE_TLS_CA_FILE"] = "ca.crt" });

        Assert.Equal(("keys", "tls.crt", "tls.key", "ca.crt"), (options.Security.AuthKeysFile, options.Security.TlsCertFile, options.Security.TlsKeyFile, options.Security.TlsCaFile));
        Assert.True(options.Security.PeerTls);
        Assert.Equal((0, 0, 10), (options.Security.TlsHttpPort, options.Security.TlsRespPort, options.Security.AuthMaxFailures));
    }

    [Fact]
    public void Parse_NeitherRingFileNorRingConfigMap_SaysWhatToGive()
    {
        OptionException error = Assert.Throws<OptionException>(() => RouterOptionTable.Parse([], new Hashtable()));

        Assert.StartsWith("--ring-file", error.Message, StringComparison.Ordinal);
        Assert.Contains("--ring-configmap", error.Message, StringComparison.Ordinal);
        Assert.Contains("--local-nodes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RingConfigMapFromEnvironment_NeedsNoRingFile()
    {
        RouterOptions options = RouterOptionTable.Parse([], new Hashtable { ["KVCACHE_RING_CONFIGMAP"] = "demo-ring", ["KVCACHE_NAMESPACE"] = "ns" });

        Assert.Equal(("demo-ring", "ns"), (options.RingConfigMap, options.Namespace));
        Assert.Null(options.RingFile);
    }

    [Fact]
    public void Parse_NoNamespace_LeavesItToThePodsOwn()
    {
        RouterOptions options = RouterOptionTable.Parse(["--ring-configmap", "demo-ring"], new Hashtable());

        Assert.Null(options.Namespace);
    }

    [Theory]
    [InlineData("--ring-file", "ring.json", "--ring-configmap")]
    public void Parse_RingConfigMapWithAnotherRingSource_FailsNamingBoth(string other, string value, string named)
    {
        OptionException error = Assert.Throws<OptionException>(() => RouterOptionTable.Parse(["--ring-configmap", "demo-ring", other, value], new Hashtable()));

        Assert.StartsWith(named, error.Message, StringComparison.Ordinal);
        Assert.Contains(named == "--ring-configmap" ? "--ring-file" : "--ring-configmap", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--upstream-timeout", "0")]
    [InlineData("--miss-status", "500")]
    [InlineData("--resp-max-array-length", "2")]
    [InlineData("--max-connections", "0")]
    [InlineData("--output-timeout", "1")]
    public void Parse_InvalidValue_FailsNamingTheFlag(string flag, string value)
    {
        OptionException error = Assert.Throws<OptionException>(() => RouterOptionTable.Parse(["--ring-file", "ring.json", flag, value], new Hashtable()));

        Assert.StartsWith(flag, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LocalNodes_SaysLocalModeHasItsOwnLauncher()
    {
        OptionException error = Assert.Throws<OptionException>(() => RouterOptionTable.Parse(["--local-nodes", "3"], new Hashtable()));

        Assert.Equal("--local-nodes: is not an option of KubeCache.Router: a local cluster runs from its own launcher, "
            + "`dotnet run -c Release --project src/Local -- --local-nodes 3` (README, first command).", error.Message);
    }

    [Fact]
    public void Readme_RouterTable_ListsEveryFlagAndVariable()
    {
        string readme = File.ReadAllText(RepoPaths.Of("README.md"));
        string router = readme[readme.IndexOf("## Router", StringComparison.Ordinal)..];
        foreach (OptionSpec<RouterOptions> spec in RouterOptionTable.Table.Specs)
        {
            Assert.Contains($"| `{spec.Flag}` | `{spec.EnvironmentVariable}` |", router, StringComparison.Ordinal);
        }
    }
}
