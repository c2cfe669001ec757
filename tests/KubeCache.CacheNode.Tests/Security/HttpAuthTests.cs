using System.Net;
using System.Net.Http.Headers;
using System.Text;
using KubeCache.CacheNode.Hosting;

namespace KubeCache.CacheNode.Tests.Security;

public sealed class HttpAuthTests : IAsyncLifetime
{
    private CacheNodeServer _node = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _node = await SecureNodes.StartAsync(SecureNodes.WriteKeys("second-valid-key"));
        _http = SecureNodes.Http(_node);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _node.DisposeAsync();
    }

    [Fact]
    public async Task Put_BearerKey_IsServed()
    {
        using var request = Put("k1", "v1");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", SecureNodes.Key);

        using HttpResponseMessage response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Get_XApiKeyWithTheSecondKey_IsServed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/get?key=absent");
        request.Headers.Add("X-API-Key", "second-valid-key");

        using HttpResponseMessage response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Key not found", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_ApiKeyQueryParameter_IsServed()
    {
        using HttpResponseMessage response = await _http.GetAsync($"/stats?api_key={SecureNodes.Key}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(null, "Missing API key")]
    [InlineData("wrong-key", "Invalid API key.")]
    public async Task Put_MissingOrWrongKey_Gets401JsonWithChallenge(string? key, string message)
    {
        using var request = Put("k2", "v2");
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        using HttpResponseMessage response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        string body = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("{\"status\":\"ERROR\",\"message\":\"" + message, body, StringComparison.Ordinal);
        Assert.NotEqual(KubeCache.CacheNode.Storage.StoreStatus.Ok, _node.Store.Get("k2"u8, out _));
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    [InlineData("/metrics")]
    public async Task Get_ProbesAndMetrics_AreOpenWithoutAKey(string path)
    {
        using HttpResponseMessage response = await _http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_AfterAFailure_CountsItByProtocol()
    {
        using (await _http.GetAsync("/get?key=x&api_key=nope"))
        {
        }

        string metrics = await _http.GetStringAsync("/metrics");

        Assert.Contains("kvcache_auth_failures_total{protocol=\"http\"}", metrics, StringComparison.Ordinal);
    }

    private static HttpRequestMessage Put(string key, string value) => new(HttpMethod.Post, "/put")
    {
        Content = new StringContent($"{{\"key\":\"{key}\",\"value\":\"{value}\"}}", Encoding.UTF8, "application/json"),
    };
}
