using System.Text.Json;
using KubeCache.Kubernetes.Models;

namespace KubeCache.Kubernetes.Tests;

public sealed class ModelTests
{
    [Fact]
    public void Lease_Times_SerializeAsMicroTimeWithSixFractionalDigits()
    {
        var lease = new Lease
        {
            Spec = new LeaseSpec
            {
                AcquireTime = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)).AddTicks(1234567),
                RenewTime = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
            },
        };

        string json = JsonSerializer.Serialize(lease, KubernetesJsonContext.Default.Lease);

        Assert.Contains("\"acquireTime\":\"2026-01-02T01:04:05.123456Z\"", json, StringComparison.Ordinal);
        Assert.Contains("\"renewTime\":\"2026-01-02T03:04:05.000000Z\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("holderIdentity", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-01-02T03:04:05.123456Z")]
    [InlineData("2026-01-02T03:04:05Z")]
    [InlineData("2026-01-02T05:04:05.123456+02:00")]
    public void Lease_MicroTimeVariants_ParseToSameInstant(string text)
    {
        Lease lease = JsonSerializer.Deserialize($$$"""{"spec":{"renewTime":"{{{text}}}"}}""", KubernetesJsonContext.Default.Lease)!;

        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).ToUnixTimeSeconds(), lease.Spec!.RenewTime!.Value.ToUnixTimeSeconds());
    }

    [Fact]
    public void ApiResource_CoreAndGroupedTypes_GiveApiVersion()
    {
        Assert.Equal("v1", ApiResource.Pods.ApiVersion);
        Assert.Equal("coordination.k8s.io/v1", ApiResource.Leases.ApiVersion);
        Assert.Equal("events.k8s.io/v1", ApiResource.Events.ApiVersion);
    }

    [Fact]
    public void ApiResource_NamespacedObjectWithoutNamespace_Throws() =>
        Assert.Throws<ArgumentException>(() => ApiResource.Pods.PathFor(null, "demo-0"));
}
