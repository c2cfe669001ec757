using System.Text.Json.Nodes;
using KubeCache.Testing;

namespace KubeCache.EndToEnd.Tests.Support;

/// <summary>One observed state of a KvCluster's status.</summary>
internal sealed record KvClusterState(DateTimeOffset At, string? Phase, long Epoch, int Members, long Generation, long ObservedGeneration, string? Ready, string? Rebalancing, string? Updating)
{
    public static KvClusterState Of(JsonObject kvc) => new(
        DateTimeOffset.UtcNow,
        kvc.Str("status", "phase"),
        kvc.Long("status", "ringEpoch") ?? 0,
        (kvc["status"]?["members"] as JsonArray)?.Count ?? 0,
        kvc.Long("metadata", "generation") ?? 0,
        kvc.Long("status", "observedGeneration") ?? 0,
        kvc.Condition("Ready"),
        kvc.Condition("Rebalancing"),
        kvc.Condition("Updating"));

    public override string ToString() =>
        $"{At:HH:mm:ss.fff} phase={Phase} epoch={Epoch} members={Members} gen={Generation}/{ObservedGeneration} Ready={Ready} Rebalancing={Rebalancing} Updating={Updating}";
}

/// <summary>
/// Watches one KvCluster through the API (every stored version, not samples) and keeps each
/// distinct status: the tests check the phases the operator went through (Rebalancing, then
/// Ready). Resumes from the last resourceVersion when the watch ends, relists after 410.
/// </summary>
internal sealed class KvClusterObserver : IAsyncDisposable
{
    private readonly FakeApiServer.FakeApiServer _server;
    private readonly string _path;
    private readonly List<KvClusterState> _states = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public KvClusterObserver(FakeApiServer.FakeApiServer server, string ns, string name)
    {
        _server = server;
        _path = $"apis/kubecache.io/v1alpha1/namespaces/{ns}/kvclusters?watch=true&fieldSelector=metadata.name%3D{name}&allowWatchBookmarks=true";
        _loop = RunAsync();
    }

    public IReadOnlyList<KvClusterState> States
    {
        get
        {
            lock (_states)
            {
                return [.. _states];
            }
        }
    }

    /// <summary>Waits until a state satisfying <paramref name="condition"/> has been observed at or after <paramref name="since"/>.</summary>
    public async Task<KvClusterState> WaitForAsync(Func<KvClusterState, bool> condition, DateTimeOffset since, TimeSpan timeout, string what)
    {
        KvClusterState? found = null;
        await Poll.UntilAsync(() => (found = States.LastOrDefault(s => s.At >= since && condition(s))) is not null, what, timeout);
        return found!;
    }

    private async Task RunAsync()
    {
        using HttpClient http = _server.CreateClient();
        string? resourceVersion = null;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                string url = resourceVersion is null ? _path : $"{_path}&resourceVersion={resourceVersion}";
                using HttpResponseMessage response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, _stop.Token);
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_stop.Token));
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    if (JsonNode.Parse(line) is not JsonObject change || change["object"] is not JsonObject obj)
                    {
                        continue;
                    }
                    if (change.Str("type") == "ERROR")
                    {
                        resourceVersion = null;
                        break;
                    }
                    resourceVersion = obj.Str("metadata", "resourceVersion");
                    if (change.Str("type") is "ADDED" or "MODIFIED")
                    {
                        Record(KvClusterState.Of(obj));
                    }
                }
                if (!response.IsSuccessStatusCode)
                {
                    resourceVersion = null;
                    await Task.Delay(100, _stop.Token);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
            catch (IOException)
            {
                // The server dropped the watch (DropWatches): resume from the last version.
            }
        }
    }

    private void Record(KvClusterState state)
    {
        lock (_states)
        {
            KvClusterState? last = _states.LastOrDefault();
            if (last is null || last with { At = state.At } != state)
            {
                _states.Add(state);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
