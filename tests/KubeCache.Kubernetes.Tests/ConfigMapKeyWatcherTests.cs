using System.Text;
using System.Text.Json.Nodes;
using k8s;
using KubeCache.FakeApiServer;
using KubeCache.Kubernetes.Tests.Support;
using ApiServer = KubeCache.FakeApiServer.FakeApiServer;

namespace KubeCache.Kubernetes.Tests;

/// <summary>The watcher against the fake API server: real list/watch, 410s, dropped watches and injected failures.</summary>
public sealed class ConfigMapKeyWatcherTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task WatchAsync_ConfigMapCreatedUpdatedDeleted_YieldsAbsentThenEachValueThenAbsent()
    {
        await using var harness = await Harness.StartAsync();
        Assert.Null(await harness.NextAsync());

        harness.Server.Create(ConfigMap("default", "demo-ring", "ring.json", "one"));
        Assert.Equal("one", Text(await harness.NextAsync()));

        harness.Server.Update(ConfigMap("default", "demo-ring", "ring.json", "two"));
        Assert.Equal("two", Text(await harness.NextAsync()));

        Assert.True(harness.Server.Delete("", "configmaps", "default", "demo-ring"));
        Assert.Null(await harness.NextAsync());
    }

    [Fact]
    public async Task WatchAsync_OtherConfigMapsAndOtherKeysChange_YieldsOnlyTheKeysChanges()
    {
        await using var harness = await Harness.StartAsync();
        harness.Server.Create(ConfigMap("default", "demo-ring", "ring.json", "one"));
        Assert.Equal("one", Text(await harness.NextAsync()));

        harness.Server.Create(ConfigMap("default", "other", "ring.json", "not ours"));
        harness.Server.Create(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = "elsewhere" } });
        harness.Server.Create(ConfigMap("elsewhere", "demo-ring", "ring.json", "other namespace"));
        JsonObject sameValueOtherKey = ConfigMap("default", "demo-ring", "ring.json", "one");
        sameValueOtherKey["data"]!["note"] = "unrelated";
        harness.Server.Update(sameValueOtherKey);
        harness.Server.Update(ConfigMap("default", "demo-ring", "ring.json", "two"));

        Assert.Equal("two", Text(await harness.NextAsync()));
    }

    [Fact]
    public async Task WatchAsync_HistoryCompactedAndWatchDropped_RelistsAfter410AndFollowsLaterChanges()
    {
        // No bookmarks, so the watcher's resume point stays behind the compaction.
        await using var harness = await Harness.StartAsync(new FakeApiServerOptions { BookmarkInterval = TimeSpan.FromHours(1) });
        harness.Server.Create(ConfigMap("default", "demo-ring", "ring.json", "one"));
        Assert.Equal("one", Text(await harness.NextAsync()));

        await Eventually.TrueAsync(() => harness.Server.OpenWatches > 0, "the watcher watches");
        harness.Server.Create(ConfigMap("default", "unrelated", "k", "v"));
        harness.Server.CompactHistory();
        Assert.True(harness.Server.DropWatches() >= 1);
        await Eventually.TrueAsync(() => harness.Errors.Any(ApiErrors.IsExpired), "the resumed watch gets 410");
        await Eventually.TrueAsync(() => harness.Server.OpenWatches > 0, "the watcher relists and watches again");

        harness.Server.Update(ConfigMap("default", "demo-ring", "ring.json", "two"));
        Assert.Equal("two", Text(await harness.NextAsync()));
    }

    [Fact]
    public async Task WatchAsync_ServerAnswers500_ReportsAndRetries()
    {
        await using var server = await ApiServer.StartAsync();
        server.Create(ConfigMap("default", "demo-ring", "ring.json", "one"));
        server.InjectFailure("GET", "/configmaps", 500, times: 2);
        await using var harness = await Harness.StartAsync(server);

        Assert.Equal("one", Text(await harness.NextAsync()));
        Assert.Equal(2, harness.Errors.Count(e => ApiErrors.StatusCodeOf(e) == System.Net.HttpStatusCode.InternalServerError));
    }

    [Fact]
    public async Task WatchAsync_ValueInBinaryData_YieldsItsBytes()
    {
        await using var harness = await Harness.StartAsync();
        Assert.Null(await harness.NextAsync());
        JsonObject map = ConfigMap("default", "demo-ring", "other", "x");
        map["binaryData"] = new JsonObject { ["ring.json"] = Convert.ToBase64String([0, 1, 2]) };
        harness.Server.Create(map);

        Assert.Equal(new byte[] { 0, 1, 2 }, await harness.NextAsync());
    }

    internal static JsonObject ConfigMap(string ns, string name, string key, string value) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["data"] = new JsonObject { [key] = value },
    };

    private static string? Text(byte[]? bytes) => bytes is null ? null : Encoding.UTF8.GetString(bytes);

    /// <summary>A watcher of default/demo-ring key ring.json, read one value at a time.</summary>
    private sealed class Harness : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly IKubernetes _client;
        private readonly IAsyncEnumerator<byte[]?> _values;
        private readonly ApiServer? _owned;
        private readonly List<Exception> _errors = [];

        private Harness(ApiServer server, bool owned)
        {
            Server = server;
            _owned = owned ? server : null;
            _client = KubernetesConnection.Create(KubernetesConnection.FromKubeconfig(server.KubeconfigPath));
            var watcher = new ConfigMapKeyWatcher(_client, "default", "demo-ring", "ring.json", new InformerOptions { InitialBackoff = TimeSpan.FromMilliseconds(20) });
            watcher.Error += e =>
            {
                lock (_errors)
                {
                    _errors.Add(e);
                }
            };
            _values = watcher.WatchAsync(_stop.Token).GetAsyncEnumerator();
        }

        public ApiServer Server { get; }

        public IReadOnlyList<Exception> Errors
        {
            get
            {
                lock (_errors)
                {
                    return [.. _errors];
                }
            }
        }

        public static async Task<Harness> StartAsync(FakeApiServerOptions? options = null) => new(await ApiServer.StartAsync(options), owned: true);

        public static Task<Harness> StartAsync(ApiServer server) => Task.FromResult(new Harness(server, owned: false));

        public async Task<byte[]?> NextAsync()
        {
            Assert.True(await _values.MoveNextAsync().AsTask().WaitAsync(Deadline), "the watch ended");
            return _values.Current;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            // The sequence ends rather than throws once cancelled.
            while (await _values.MoveNextAsync())
            {
            }

            await _values.DisposeAsync();
            _client.Dispose();
            _stop.Dispose();
            if (_owned is not null)
            {
                await _owned.DisposeAsync();
            }
        }
    }
}
