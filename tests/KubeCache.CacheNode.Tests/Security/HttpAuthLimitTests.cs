using System.Net;
using KubeCache.CacheNode.Hosting;
using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Security;

public class HttpAuthLimitTests
{
    [Fact]
    public async Task Get_RepeatedWrongKeys_Gets429AndThenRefusesTheRightKey()
    {
        await using CacheNodeServer node = await SecureNodes.StartAsync(SecureNodes.WriteKeys(), configure: o => o.Security.AuthMaxFailures = 3);
        using HttpClient http = SecureNodes.Http(node);

        var statuses = new List<HttpStatusCode>();
        foreach (string key in new[] { "bad1", "bad2", "bad3", SecureNodes.Key })
        {
            using HttpResponseMessage response = await http.GetAsync($"/stats?api_key={key}");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.NotNull(response.Headers.RetryAfter);
                Assert.Contains("Too many failed authentication attempts", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Metrics_AuthMetricsSet_NeedsAKey()
    {
        await using CacheNodeServer node = await SecureNodes.StartAsync(SecureNodes.WriteKeys(), configure: o => o.Security.AuthMetrics = true);
        using HttpClient http = SecureNodes.Http(node);

        using HttpResponseMessage without = await http.GetAsync("/metrics");
        using HttpResponseMessage with = await http.GetAsync($"/metrics?api_key={SecureNodes.Key}");
        using HttpResponseMessage health = await http.GetAsync("/healthz");

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.OK, HttpStatusCode.OK), (without.StatusCode, with.StatusCode, health.StatusCode));
    }

    [Fact]
    public async Task Get_NoKeysFile_IsOpen()
    {
        await using CacheNodeServer node = await SecureNodes.StartAsync(keysFile: null);
        using HttpClient http = SecureNodes.Http(node);

        using HttpResponseMessage response = await http.GetAsync("/stats");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Get_KeysFileEdited_RotatesWithoutRestart()
    {
        string keys = SecureNodes.WriteKeys();
        await using CacheNodeServer node = await SecureNodes.StartAsync(keys);
        using HttpClient http = SecureNodes.Http(node);

        await File.WriteAllLinesAsync(keys, ["rotated-key"]);

        await Poll.UntilAsync(async () =>
        {
            using HttpResponseMessage response = await http.GetAsync("/stats?api_key=rotated-key");
            return response.StatusCode == HttpStatusCode.OK;
        }, "the rotated key to be accepted", SecureNodes.ReloadDeadline);
        using HttpResponseMessage old = await http.GetAsync($"/stats?api_key={SecureNodes.Key}");
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
    }
}
