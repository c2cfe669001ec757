using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using KubeCache.Protocol;
using KubeCache.Testing;
using KubeCache.Testing.Clients;

namespace KubeCache.Router.Tests.Faults;

/// <summary>
/// HTTP keep-alive and RESP clients of a Service, each writing a key and reading it back in a
/// loop; every request that fails or reads a wrong value is counted with what went wrong.
/// </summary>
internal sealed class DrainTraffic(ServiceEndpoints http, ServiceEndpoints resp)
{
    private const int ReportedErrors = 10;
    private readonly HttpClient _http = http.CreateHttpClient(TimeSpan.FromSeconds(30));
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _clients = Task.CompletedTask;
    private long _succeeded;
    private long _failures;
    private long _resent;

    public long Succeeded => Interlocked.Read(ref _succeeded);

    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>RESP commands sent again because the router closed their reused connection before answering.</summary>
    public long Resent => Interlocked.Read(ref _resent);

    public IReadOnlyCollection<string> Errors => [.. _errors];

    public void Start(int httpClients, int respClients) => _clients = Task.WhenAll(
        [.. Enumerable.Range(0, httpClients).Select(HttpLoopAsync), .. Enumerable.Range(0, respClients).Select(RespLoopAsync)]);

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _clients;
        _http.Dispose();
        _stop.Dispose();
    }

    private async Task HttpLoopAsync(int client)
    {
        await Task.Yield();
        for (int i = 0; !_stop.IsCancellationRequested; i++)
        {
            string key = $"drain:http:{client}:{i}";
            try
            {
                using HttpResponseMessage set = await _http.PostAsJsonAsync("set", new JsonObject { ["key"] = key, ["value"] = key });
                Check(set.IsSuccessStatusCode, $"set {key}: {(int)set.StatusCode}");
                using HttpResponseMessage get = await _http.GetAsync(new Uri("get?key=" + key, UriKind.Relative));
                string body = await get.Content.ReadAsStringAsync();
                Check(get.IsSuccessStatusCode && JsonNode.Parse(body)?["value"]?.GetValue<string>() == key, $"get {key}: {(int)get.StatusCode} {body}");
            }
            catch (HttpRequestException e)
            {
                Fail($"{key}: {e.Message}");
            }
        }
    }

    private async Task RespLoopAsync(int client)
    {
        await Task.Yield();
        RespTestClient? connection = null;
        bool reused = false;
        try
        {
            for (int i = 0; !_stop.IsCancellationRequested; i++)
            {
                string key = $"drain:resp:{client}:{i}";
                foreach (string[] command in new[] { new[] { "SET", key, key }, ["GET", key] })
                {
                    RespValue? reply = null;
                    while (reply is null)
                    {
                        if (connection is null)
                        {
                            connection = RespTestClient.Over(await resp.ConnectAsync(CancellationToken.None));
                            reused = false;
                        }

                        reply = await connection.CallOrClosedAsync(command);
                        if (reply is null)
                        {
                            await connection.DisposeAsync();
                            connection = null;
                            if (!reused)
                            {
                                Fail($"{command[0]} {key}: a new connection closed before the reply");
                                break;
                            }

                            // Both commands are idempotent, so resending is safe, as client libraries do.
                            Interlocked.Increment(ref _resent);
                        }

                        reused = true;
                    }

                    if (reply is not null)
                    {
                        Check(reply.AsString() == (command[0] == "SET" ? "OK" : key), $"{command[0]} {key}: {reply}");
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            Fail($"resp client {client}: {e.Message}");
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private void Check(bool ok, string what)
    {
        if (ok)
        {
            Interlocked.Increment(ref _succeeded);
        }
        else
        {
            Fail(what);
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
}
