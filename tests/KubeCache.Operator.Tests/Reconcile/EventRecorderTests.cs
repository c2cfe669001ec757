using System.Text.Json.Nodes;
using k8s;
using KubeCache.Kubernetes;
using KubeCache.Operator.Reconcile;
using KubeCache.Operator.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace KubeCache.Operator.Tests.Reconcile;

/// <summary>The operator's Events on a fake API server: one per step, repeats counted in its series.</summary>
public sealed class EventRecorderTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero));
    private FakeApiServer.FakeApiServer _server = null!;
    private IKubernetes _client = null!;
    private EventRecorder _recorder = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.FakeApiServer.StartAsync();
        _server.Create(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = "ns" } });
        _client = KubernetesConnection.Create(KubernetesConnection.FromKubeconfig(_server.KubeconfigPath));
        _recorder = new EventRecorder(_client, "operator-a", NullLogger.Instance, _time);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task RecordAsync_TheSameEventTwice_OneEventWhoseSeriesCountsTwo()
    {
        // Regression (a CI run): two reconciles read the KvCluster from the informer's cache before
        // the status the first wrote arrived, and both recorded ScaleDeferred.
        await RecordAsync("ScaleDeferred", "spec.replicas 4 waits for the rollout to finish");
        _time.Advance(TimeSpan.FromMilliseconds(80));
        await RecordAsync("ScaleDeferred", "spec.replicas 4 waits for the rollout to finish");

        JsonObject only = Assert.Single(Events());
        Assert.Equal("ScaleDeferred", only["reason"]!.GetValue<string>());
        Assert.Equal(2, only["series"]!["count"]!.GetValue<int>());
        Assert.Equal(_time.GetUtcNow(), only["series"]!["lastObservedTime"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task RecordAsync_AnotherNoteOrReason_AnEventOfItsOwn()
    {
        await RecordAsync("ScaleDeferred", "spec.replicas 4 waits for the rollout to finish");
        await RecordAsync("ScaleDeferred", "spec.replicas 5 waits for the rollout to finish");
        await RecordAsync("NodeLeaving", "spec.replicas 5 waits for the rollout to finish");

        Assert.Equal(3, Events().Count);
        Assert.All(Events(), e => Assert.Null(e["series"]));
    }

    [Fact]
    public async Task RecordAsync_TheSameEventAfterTheSeriesWindow_ANewEvent()
    {
        await RecordAsync("NodeLost", "demo-1 crashed");
        _time.Advance(EventRecorder.SeriesWindow);
        await RecordAsync("NodeLost", "demo-1 crashed");

        Assert.Equal(2, Events().Count);
    }

    private Task RecordAsync(string reason, string note) =>
        _recorder.RecordAsync(TestClusters.Demo(), EventRecorder.Normal, reason, "Scale", note, CancellationToken.None);

    private IReadOnlyList<JsonObject> Events() => _server.List("events.k8s.io", "events", "ns");
}
