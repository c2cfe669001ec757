using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using KubeCache.Testing.Clients;

namespace KubeCache.EndToEnd.Tests.Support;

/// <summary>
/// Clients of a router's HTTP API: a bulk load, a background writer and reader that count every
/// failed request, and a read-back of every key written.
/// </summary>
internal sealed class CacheTraffic : IAsyncDisposable
{
    private const int ReportedErrors = 10;
    private readonly HttpClient _http;
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly ConcurrentBag<int> _written = [];
    private readonly CancellationTokenSource _stop = new();
    private Task _background = Task.CompletedTask;
    private int _loaded;
    private long _reads;
    private long _writes;
    private long _failures;

    public CacheTraffic(IPAddress router) =>
        _http = new HttpClient { BaseAddress = new Uri($"http://{router}:7171/"), Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Clients of a Service: each new connection goes to one of its ready endpoints, as through kube-proxy.</summary>
    public CacheTraffic(ServiceEndpoints service) => _http = service.CreateHttpClient(TimeSpan.FromSeconds(10));

    /// <summary>The router's HTTP API, for requests a test makes itself.</summary>
    public HttpClient Http => _http;

    public long Reads => Interlocked.Read(ref _reads);

    public long Writes => Interlocked.Read(ref _writes);

    public long Failures => Interlocked.Read(ref _failures);

    public IReadOnlyCollection<string> Errors => [.. _errors];

    /// <summary>
    /// Keys the warm-rollout and drain tests load before they act: <c>KVCACHE_E2E_KEYS</c>, or
    /// 20,000, enough that every node of three holds thousands to move twice; the 100,000
    /// is a run with the variable set (the figures in docs/reliability.md say which).
    /// </summary>
    public static int LoadedKeys { get; } = int.TryParse(Environment.GetEnvironmentVariable("KVCACHE_E2E_KEYS"), NumberStyles.None, CultureInfo.InvariantCulture, out int keys)
        ? keys : 20_000;

    public static string Key(int i) => "key-" + i.ToString(CultureInfo.InvariantCulture);

    public static string Value(int i) => "value-" + i.ToString(CultureInfo.InvariantCulture);

    public static string BackgroundKey(int i) => "bg-" + i.ToString(CultureInfo.InvariantCulture);

    /// <summary>Writes key-0..key-(count-1) with /batch_set, 1000 per request.</summary>
    public async Task LoadAsync(int count)
    {
        for (int start = 0; start < count; start += 1000)
        {
            var items = new JsonArray([.. Enumerable.Range(start, Math.Min(1000, count - start)).Select(i => (JsonNode)new JsonObject { ["key"] = Key(i), ["value"] = Value(i) })]);
            using HttpResponseMessage response = await _http.PostAsJsonAsync("batch_set", new JsonObject { ["items"] = items });
            Assert.True(response.IsSuccessStatusCode, $"batch_set answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        _loaded = count;
    }

    /// <summary>Starts one writer (new keys bg-N) and one reader (random loaded keys, value checked).</summary>
    public void Start() => _background = Task.WhenAll(WriteLoopAsync(_stop.Token), ReadLoopAsync(_stop.Token));

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _background;
    }

    /// <summary>Reads back every loaded and every background key with /batch_get; returns the keys missing or wrong.</summary>
    public async Task<List<string>> FindLostKeysAsync() => (await FindLostAsync(Expected(), refusalIsNull: false))!;

    /// <summary>
    /// As <see cref="FindLostKeysAsync"/>, but null while the router refuses a read: after a node
    /// restarts, the router refuses its keys until it probes the node again (within its longest
    /// mark-down, 5 s).
    /// </summary>
    public Task<List<string>?> TryFindLostKeysAsync() => FindLostAsync(Expected(), refusalIsNull: true);

    /// <summary>The share of the keys written so far (loaded and background) that read back with their value.</summary>
    public async Task<double> HitRatioAsync()
    {
        List<(string Key, string Value)> expected = Expected();
        List<string> lost = (await FindLostAsync(expected, refusalIsNull: false))!;
        return expected.Count == 0 ? 1 : 1 - ((double)lost.Count / expected.Count);
    }

    private List<(string Key, string Value)> Expected() =>
        [.. Enumerable.Range(0, _loaded).Select(i => (Key(i), Value(i))).Concat(_written.Select(i => (BackgroundKey(i), Value(i))))];

    private async Task<List<string>?> FindLostAsync(List<(string Key, string Value)> expected, bool refusalIsNull)
    {
        var lost = new List<string>();
        foreach ((string, string)[] chunk in expected.Chunk(500))
        {
            using HttpResponseMessage response = await _http.PostAsJsonAsync("batch_get", new JsonObject { ["keys"] = new JsonArray([.. chunk.Select(c => (JsonNode)c.Item1)]) });
            JsonObject body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            if (refusalIsNull && !response.IsSuccessStatusCode)
            {
                return null;
            }

            Assert.True(response.IsSuccessStatusCode, $"batch_get answered {(int)response.StatusCode}: {body.ToJsonString()}");
            foreach ((string key, string value) in chunk)
            {
                if (body["values"]?[key]?.GetValue<string>() != value)
                {
                    lost.Add(key);
                }
            }
        }
        return lost;
    }

    private async Task WriteLoopAsync(CancellationToken stop)
    {
        for (int i = 0; !stop.IsCancellationRequested; i++)
        {
            string outcome = await RequestAsync(() => _http.PostAsJsonAsync("set", new JsonObject { ["key"] = BackgroundKey(i), ["value"] = Value(i) }), null);
            Interlocked.Increment(ref _writes);
            if (outcome.Length == 0)
            {
                _written.Add(i);
            }
            else
            {
                Fail($"set {BackgroundKey(i)}: {outcome}");
            }
        }
    }

    private async Task ReadLoopAsync(CancellationToken stop)
    {
        var random = new Random(7);
        while (!stop.IsCancellationRequested && _loaded > 0)
        {
            int i = random.Next(_loaded);
            string outcome = await RequestAsync(() => _http.GetAsync(new Uri("get?key=" + Key(i), UriKind.Relative)), Value(i));
            Interlocked.Increment(ref _reads);
            if (outcome.Length > 0)
            {
                Fail($"get {Key(i)}: {outcome}");
            }
        }
    }

    // "" when the request succeeded (and the value matched), else what went wrong.
    private static async Task<string> RequestAsync(Func<Task<HttpResponseMessage>> send, string? expectedValue)
    {
        try
        {
            using HttpResponseMessage response = await send();
            string body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
            {
                return $"{(int)response.StatusCode} {body}";
            }
            return expectedValue is null || JsonNode.Parse(body)?["value"]?.GetValue<string>() == expectedValue ? "" : "wrong value: " + body;
        }
        catch (HttpRequestException e)
        {
            return e.Message;
        }
        catch (TaskCanceledException)
        {
            return "timed out";
        }
    }

    private void Fail(string what)
    {
        Interlocked.Increment(ref _failures);
        if (_errors.Count < ReportedErrors)
        {
            _errors.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {what}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }
        _http.Dispose();
        _stop.Dispose();
    }
}
