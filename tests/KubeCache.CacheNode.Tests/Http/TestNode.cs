using System.Net;
using System.Text;
using System.Text.Json;
using k8s;
using KubeCache.CacheNode.Hosting;
using KubeCache.CacheNode.Options;
using Microsoft.Extensions.Logging;

namespace KubeCache.CacheNode.Tests.Http;

/// <summary>
/// A real cache node on a loopback port chosen by the OS, and an <see cref="HttpClient"/> aimed at
/// it. Requests go over real sockets; bodies are sent without a Content-Type, as the reference
/// load tests do.
/// </summary>
public sealed class TestNode : IAsyncDisposable
{
    private TestNode(CacheNodeServer server, HttpClient client)
    {
        Server = server;
        Client = client;
    }

    public CacheNodeServer Server { get; }

    public HttpClient Client { get; }

    /// <summary>Starts a node with test defaults (64 MiB, no RESP port, no logging) changed by <paramref name="configure"/>.</summary>
    /// <param name="configure">Changes the test defaults.</param>
    /// <param name="kubernetes">The API connection for --ring-configmap (a fake API server's).</param>
    public static async Task<TestNode> StartAsync(Action<NodeOptions>? configure = null, KubernetesClientConfiguration? kubernetes = null)
    {
        var options = new NodeOptions { Bind = "127.0.0.1", HttpPort = 0, RespPort = 0, MaxMemoryBytes = 64L << 20 };
        configure?.Invoke(options);
        CacheNodeServer server = CacheNodeServer.Create(options, logging => logging.ClearProviders(), kubernetes);
        await server.StartAsync();
        var client = new HttpClient { BaseAddress = new Uri($"http://{server.HttpEndPoint}"), Timeout = TimeSpan.FromSeconds(30) };
        return new TestNode(server, client);
    }

    /// <summary>Sends <paramref name="body"/> as raw UTF-8 bytes with no Content-Type header.</summary>
    public Task<Reply> SendAsync(HttpMethod method, string path, string? body = null) =>
        SendAsync(method, path, body is null ? null : Encoding.UTF8.GetBytes(body));

    public async Task<Reply> SendAsync(HttpMethod method, string path, byte[]? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            Assert.Null(request.Content.Headers.ContentType);
        }

        using HttpResponseMessage response = await Client.SendAsync(request);
        return new Reply(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.Allow.ToArray());
    }

    public Task<Reply> PostAsync(string path, string body) => SendAsync(HttpMethod.Post, path, body);

    public Task<Reply> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    /// <summary>POST /put with a body built by System.Text.Json, so any string is encoded correctly.</summary>
    public Task<Reply> PutAsync(string key, string value, double? ttl = null) =>
        PostAsync("/put", ttl is null ? JsonSerializer.Serialize(new { key, value }) : JsonSerializer.Serialize(new { key, value, ttl }));

    /// <summary>GET /get with the key percent-encoded as UTF-8.</summary>
    public Task<Reply> GetKeyAsync(string key) => GetAsync("/get?key=" + Uri.EscapeDataString(key));

    /// <summary>The value a hit returns, after checking the rest of the hit body; fails on anything but a hit.</summary>
    public async Task<string> GetValueAsync(string key)
    {
        Reply reply = await GetKeyAsync(key);
        Assert.True(reply.Status == HttpStatusCode.OK, $"GET {key} answered {(int)reply.Status}: {reply.Body}");
        using JsonDocument json = JsonDocument.Parse(reply.Body);
        Assert.Equal(["status", "key", "value"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("OK", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(key, json.RootElement.GetProperty("key").GetString());
        return json.RootElement.GetProperty("value").GetString()!;
    }

    /// <summary>Polls GET /get until it answers 404 or <paramref name="deadline"/> passes.</summary>
    public async Task<Reply> WaitForMissAsync(string key, TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        Reply reply = await GetKeyAsync(key);
        while (reply.Status != HttpStatusCode.NotFound && !timeout.IsCancellationRequested)
        {
            await Task.Delay(20);
            reply = await GetKeyAsync(key);
        }

        return reply;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.StopAsync();
        await Server.DisposeAsync();
    }
}

/// <summary>What the node answered: status, body text and the <c>Allow</c> header.</summary>
public sealed record Reply(HttpStatusCode Status, string Body, string[] Allow)
{
    public const string PutOk = """{"status":"OK","message":"Key inserted/updated successfully."}""";
    public const string Miss = """{"status":"ERROR","message":"Key not found."}""";

    /// <summary>Checks status and exact body together, so a failure shows both.</summary>
    public void Is(HttpStatusCode status, string body) => Assert.Equal(((int)status, body), ((int)Status, Body));

    /// <summary>An error reply: the status, and a JSON body of exactly status ERROR and a message containing each hint.</summary>
    public string IsError(HttpStatusCode status, params string[] hints)
    {
        Assert.True(Status == status, $"expected {(int)status}, got {(int)Status}: {Body}");
        using JsonDocument json = JsonDocument.Parse(Body);
        Assert.Equal(["status", "message"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("ERROR", json.RootElement.GetProperty("status").GetString());
        string message = json.RootElement.GetProperty("message").GetString()!;
        foreach (string hint in hints)
        {
            Assert.Contains(hint, message, StringComparison.Ordinal);
        }

        return message;
    }
}
