using System.Diagnostics.Metrics;

namespace KubeCache.Prometheus.Tests;

public class MeterScopeTests
{
    [Fact]
    public void Write_MeterScopeSet_ExportsOnlyMetersOfThatScope()
    {
        string name = "KubeCache.Tests." + Guid.NewGuid().ToString("N");
        object mine = new(), theirs = new();
        using var ownMeter = new Meter(new MeterOptions(name) { Scope = mine });
        using var otherMeter = new Meter(new MeterOptions(name) { Scope = theirs });
        using var exporter = new PrometheusExporter([name], new PrometheusExporterOptions { MeterScope = mine });

        ownMeter.CreateCounter<long>("scoped.requests", description: "Requests.").Add(2);
        otherMeter.CreateCounter<long>("scoped.requests", description: "Requests.").Add(40);

        Assert.Contains("scoped_requests_total 2\n", exporter.WriteToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_NoMeterScope_ExportsMetersOfEveryScopeWithTheName()
    {
        string name = "KubeCache.Tests." + Guid.NewGuid().ToString("N");
        using var first = new Meter(new MeterOptions(name) { Scope = new object() });
        using var second = new Meter(name);
        using var exporter = new PrometheusExporter([name]);

        first.CreateCounter<long>("unscoped.requests", description: "Requests.").Add(2);
        second.CreateCounter<long>("unscoped.requests", description: "Requests.").Add(40);

        Assert.Contains("unscoped_requests_total 42\n", exporter.WriteToString(), StringComparison.Ordinal);
    }
}
