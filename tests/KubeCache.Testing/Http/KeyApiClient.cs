using System.Net;
using System.Text;
using System.Text.Json;

namespace KubeCache.Testing;

/// <summary>
/// The key API as a test drives it, on a node or a router alike: requests over real sockets,
/// bodies sent as raw UTF-8 without a Content-Type, as the reference load tests send them.
/// </summary>
public class KeyApiClient(HttpClient client)
{
    public HttpClient Client { get; } = client;

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
        return new Reply(response.StatusCode, await response.Content.ReadAsStringAsync(), [.. response.Content.Headers.Allow]);
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
}
