using KubeCache.Operator.Resources;

namespace KubeCache.Operator.Tests.Resources;

/// <summary>Pins every KvCluster default: changing one is a visible, deliberate edit (CRD, README and chart follow).</summary>
public class KvClusterDefaultsTests
{
    [Fact]
    public void Defaults_Pinned_MatchContract()
    {
        Assert.Equal(3, KvClusterDefaults.Replicas);
        Assert.Equal("ghcr.io/kubecache/kvcache-node:0.1.0", KvClusterDefaults.NodeImage);
        Assert.Equal("ghcr.io/kubecache/kvcache-router:0.1.0", KvClusterDefaults.RouterImage);
        Assert.Equal(256, KvClusterDefaults.MaxKeyBytes);
        Assert.Equal(1048576, KvClusterDefaults.MaxValueBytes);
        Assert.Equal(16777216, KvClusterDefaults.MaxValueBytesLimit);
        Assert.Equal(0, KvClusterDefaults.DefaultTtl);
        Assert.Equal(404, KvClusterDefaults.MissStatus);
        Assert.Equal(120, KvClusterDefaults.TerminationGracePeriodSeconds);
        Assert.Equal(2, KvClusterDefaults.RouterReplicas);
        Assert.Equal("ClusterIP", KvClusterDefaults.RouterServiceType);
        Assert.True(KvClusterDefaults.PodDisruptionBudgetEnabled);
        Assert.Equal(1, KvClusterDefaults.PodDisruptionBudgetMaxUnavailable);
        Assert.False(KvClusterDefaults.MonitorEnabled);
        Assert.Equal("30s", KvClusterDefaults.MonitorInterval);
        Assert.Equal("keys", KvClusterDefaults.AuthSecretKey);
    }
}
