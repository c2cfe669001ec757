using System.Collections;
using KubeCache.CacheNode.Options;
using KubeCache.Configuration;
using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Options;

public class NodeOptionTableTests
{
    private static readonly Hashtable NoEnvironment = [];

    [Theory]
    [InlineData("0", 4L << 20)]
    [InlineData("8mb", 4L << 20)]
    [InlineData("128mb", 32L << 20)]
    public void Parse_MemoryHeadroom_ReclaimsDroppedPagesAtAQuarterOfItAndNoMoreOftenThanEvery4Mb(string headroom, long expected)
    {
        NodeOptions options = NodeOptionTable.Parse(["--max-memory", "1gb", "--memory-headroom", headroom], NoEnvironment);

        Assert.Equal(expected, options.ToStoreOptions().ReclaimAfterDroppedBytes);
    }

    [Fact]
    public void Parse_NoArguments_PinsTheDocumentedDefaults()
    {
        NodeOptions options = NodeOptionTable.Parse(["--max-memory", "1gb"], NoEnvironment);

        Assert.Equal(7171, options.HttpPort);
        Assert.Equal(6379, options.RespPort);
        Assert.Equal("0.0.0.0", options.Bind);
        Assert.Null(options.Shards);
        Assert.Equal(256, options.MaxKeyBytes);
        Assert.Equal(1024 * 1024, options.MaxValueBytes);
        Assert.Equal(404, options.MissStatus);
        Assert.Null(options.DefaultTtl);
        Assert.Equal(16L << 20, options.MaxBodyBytes);
        Assert.Equal(16 << 20, options.RespMaxBulkBytes);
        Assert.Equal(1 << 20, options.RespMaxArrayLength);
        Assert.Equal(256 * 1024, options.RespOutputBufferBytes);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ShutdownTimeout);
        Assert.Equal(64L << 20, options.MemoryReserveBytes);
        Assert.Equal((64L << 20, 16L << 20), (options.MemoryHeadroomBytes, options.ToStoreOptions().ReclaimAfterDroppedBytes));
        Assert.Equal(64, options.ResolveShards());
        Assert.Equal((10_000, 1_000), (options.Limits.MaxConnections, options.Limits.MaxConnectionsPerIp));
        Assert.Equal((8192, 32768, 100), (options.Limits.MaxRequestLineBytes, options.Limits.MaxHeaderBytes, options.Limits.MaxHeaderCount));
        Assert.Equal((TimeSpan.FromSeconds(300), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30)), (options.Limits.IdleTimeout, options.Limits.RequestTimeout, options.Limits.OutputTimeout));
        Assert.Equal(240, options.Limits.MinDataRate);
        Assert.Equal(64L << 20, options.RespMaxTransactionBytes);
        Assert.Null(options.RingConfigMap);
        Assert.Null(options.Namespace);
        Assert.Equal(TimeSpan.FromSeconds(110), options.PrestopTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1), options.PreviousOwnerWait);
        Assert.Equal((500, 4L << 20), (options.HandoffBatchKeys, options.HandoffBatchBytes));
    }

    [Fact]
    public void Parse_HandoffBatchBytesZero_NamesTheFlag()
    {
        OptionException e = Assert.Throws<OptionException>(() => NodeOptionTable.Parse(["--max-memory", "1gb", "--handoff-batch-bytes", "0"], NoEnvironment));

        Assert.Contains("--handoff-batch-bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ConnectionLimitFlagsAndVariables_SetTheLimits()
    {
        var environment = new Hashtable { ["KVCACHE_MAX_CONNECTIONS"] = "500", ["KVCACHE_IDLE_TIMEOUT"] = "2m" };

        NodeOptions options = NodeOptionTable.Parse(
            ["--max-memory", "1gb", "--max-connections-per-ip", "0", "--max-request-line-bytes", "4kb", "--max-header-bytes", "16kb",
             "--max-header-count", "50", "--request-timeout", "10s", "--min-data-rate", "1000", "--output-timeout", "5",
             "--resp-max-transaction-bytes", "1mb"],
            environment);

        Assert.Equal((500, 0), (options.Limits.MaxConnections, options.Limits.MaxConnectionsPerIp));
        Assert.Equal((4096, 16384, 50), (options.Limits.MaxRequestLineBytes, options.Limits.MaxHeaderBytes, options.Limits.MaxHeaderCount));
        Assert.Equal((TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5)), (options.Limits.IdleTimeout, options.Limits.RequestTimeout, options.Limits.OutputTimeout));
        Assert.Equal(1000, options.Limits.MinDataRate);
        Assert.Equal(1L << 20, options.RespMaxTransactionBytes);
    }

    [Fact]
    public void Parse_RingConfigMapFromEnvironment_SetsConfigMapNamespaceAndNodeName()
    {
        var environment = new Hashtable
        {
            ["KVCACHE_RING_CONFIGMAP"] = "demo-ring",
            ["KVCACHE_NAMESPACE"] = "ns",
            ["KVCACHE_NODE_NAME"] = "demo-0",
            ["KVCACHE_PRESTOP_TIMEOUT"] = "90s",
        };

        NodeOptions options = NodeOptionTable.Parse(["--max-memory", "1gb"], environment);

        Assert.Equal(("demo-ring", "ns", "demo-0"), (options.RingConfigMap, options.Namespace, options.NodeName));
        Assert.Equal(TimeSpan.FromSeconds(90), options.PrestopTimeout);
    }

    [Fact]
    public void Parse_RingConfigMapAndRingFile_FailsNamingBothFlags()
    {
        OptionException error = Assert.Throws<OptionException>(() =>
            NodeOptionTable.Parse(["--max-memory", "1gb", "--ring-file", "/etc/ring.json"], new Hashtable { ["KVCACHE_RING_CONFIGMAP"] = "demo-ring" }));

        Assert.StartsWith("--ring-configmap", error.Message, StringComparison.Ordinal);
        Assert.Contains("--ring-file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FlagsAndEqualsForm_SetEveryOption()
    {
        NodeOptions options = NodeOptionTable.Parse(
            ["--http-port", "8080", "--resp-port=0", "--bind", "127.0.0.1", "--max-memory", "64mb", "--shards", "8",
             "--max-key-bytes", "512", "--max-value-bytes", "2kb", "--miss-status", "200", "--default-ttl", "5m",
             "--max-body-bytes", "1mb", "--resp-max-bulk-bytes", "1mb", "--resp-max-array-length", "1000",
             "--resp-output-buffer-bytes", "64kb", "--shutdown-timeout", "30s"],
            NoEnvironment);

        Assert.Equal((8080, 0, "127.0.0.1"), (options.HttpPort, options.RespPort, options.Bind));
        Assert.Equal(64L << 20, options.MaxMemoryBytes);
        Assert.Equal((8, 512, 2048, 200), (options.Shards, options.MaxKeyBytes, options.MaxValueBytes, options.MissStatus));
        Assert.Equal(TimeSpan.FromMinutes(5), options.DefaultTtl);
        Assert.Equal((1L << 20, 1 << 20, 1000, 64 * 1024), (options.MaxBodyBytes, options.RespMaxBulkBytes, options.RespMaxArrayLength, options.RespOutputBufferBytes));
        Assert.Equal(TimeSpan.FromSeconds(30), options.ShutdownTimeout);
    }

    [Fact]
    public void Parse_EnvironmentVariable_AppliesAndFlagWins()
    {
        var environment = new Hashtable { ["KVCACHE_HTTP_PORT"] = "9000", ["KVCACHE_MAX_MEMORY"] = "128mb", ["KVCACHE_MISS_STATUS"] = "200" };

        NodeOptions options = NodeOptionTable.Parse(["--http-port", "9001"], environment);

        Assert.Equal(9001, options.HttpPort);
        Assert.Equal(128L << 20, options.MaxMemoryBytes);
        Assert.Equal(200, options.MissStatus);
    }

    [Theory]
    [InlineData("--max-memory", "12zz", "--max-memory")]
    [InlineData("--http-port", "70000", "--http-port")]
    [InlineData("--http-port", "abc", "--http-port")]
    [InlineData("--miss-status", "500", "--miss-status")]
    [InlineData("--bind", "not-an-ip", "--bind")]
    [InlineData("--io-threads", "-1", "--io-threads")]
    [InlineData("--io-threads", "257", "--io-threads")]
    [InlineData("--default-ttl", "soon", "--default-ttl")]
    [InlineData("--shards", "0", "--shards")]
    [InlineData("--max-memory", "1mb", "--max-memory")]
    [InlineData("--resp-max-bulk-bytes", "1kb", "--resp-max-bulk-bytes")]
    [InlineData("--max-connections", "0", "--max-connections")]
    [InlineData("--max-connections-per-ip", "-1", "--max-connections-per-ip")]
    [InlineData("--max-header-count", "0", "--max-header-count")]
    [InlineData("--request-timeout", "1", "--request-timeout")]
    [InlineData("--output-timeout", "500ms", "--output-timeout")]
    [InlineData("--min-data-rate", "0", "--min-data-rate")]
    [InlineData("--resp-max-transaction-bytes", "100", "--resp-max-transaction-bytes")]
    [InlineData("--idle-timeout", "0", "--idle-timeout")]
    public void Parse_InvalidValue_FailsNamingTheFlag(string flag, string value, string named)
    {
        OptionException error = Assert.Throws<OptionException>(() => NodeOptionTable.Parse(["--max-memory=1gb", flag, value], NoEnvironment).Validate());

        Assert.StartsWith(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownFlag_FailsNamingIt()
    {
        OptionException error = Assert.Throws<OptionException>(() => NodeOptionTable.Parse(["--max-memroy", "1gb"], NoEnvironment));

        Assert.Contains("--max-memroy", error.Message, StringComparison.Ordinal);
        Assert.Contains("--help", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FlagWithoutValue_SaysItNeedsOne()
    {
        OptionException error = Assert.Throws<OptionException>(() => NodeOptionTable.Parse(["--shards"], NoEnvironment));

        Assert.Equal("--shards: needs a value.", error.Message);
    }

    [Fact]
    public void ResolveShards_SmallMemory_LowersShardsSoLargestEntriesFit()
    {
        NodeOptions options = NodeOptionTable.Parse(["--max-memory", "64mb"], NoEnvironment);

        Assert.Equal(4, options.ResolveShards());
        options.Validate();
    }

    [Fact]
    public void Parse_SecurityFlagsAndVariables_SetTheSecurityOptions()
    {
        var environment = new Hashtable { ["KVCACHE_AUTH_KEYS_FILE"] = "/etc/kvcache/auth/keys", ["KVCACHE_PEER_TLS"] = "true" };

        NodeOptions options = NodeOptionTable.Parse(
            ["--max-memory", "1gb", "--tls-cert-file", "tls.crt", "--tls-key-file", "tls.key", "--tls-ca-file", "ca.crt",
             "--tls-http-port", "7443", "--tls-resp-port", "6380", "--auth-metrics", "true", "--auth-max-failures", "5",
             "--auth-failure-window", "30s", "--secrets-poll-interval", "2s", "--peer-tls-port", "6380"],
            environment);

        Assert.Equal(("/etc/kvcache/auth/keys", true, 5), (options.Security.AuthKeysFile, options.Security.AuthMetrics, options.Security.AuthMaxFailures));
        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2)), (options.Security.AuthFailureWindow, options.Security.SecretsPollInterval));
        Assert.Equal(("tls.crt", "tls.key", "ca.crt"), (options.Security.TlsCertFile, options.Security.TlsKeyFile, options.Security.TlsCaFile));
        Assert.Equal((7443, 6380, true, 6380), (options.Security.TlsHttpPort, options.Security.TlsRespPort, options.Security.PeerTls, options.Security.PeerTlsPort));
    }

    [Theory]
    [InlineData("--tls-http-port", "7443")]
    [InlineData("--auth-metrics", "maybe")]
    public void Parse_SecurityFlagWithoutWhatItNeeds_FailsNamingIt(string flag, string value)
    {
        OptionException error = Assert.Throws<OptionException>(() => NodeOptionTable.Parse(["--max-memory=1gb", flag, value], NoEnvironment));

        Assert.Equal(flag, error.Flag);
    }

    [Fact]
    public void Readme_ConfigurationTable_ListsEveryFlagAndVariable()
    {
        string readme = File.ReadAllText(RepoPaths.Of("README.md"));

        foreach (OptionSpec<NodeOptions> spec in NodeOptionTable.Specs)
        {
            Assert.Contains($"| `{spec.Flag}` | `{spec.EnvironmentVariable}` |", readme, StringComparison.Ordinal);
        }
    }
}
