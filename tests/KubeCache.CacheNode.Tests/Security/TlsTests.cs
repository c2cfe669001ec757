using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using KubeCache.CacheNode.Hosting;
using KubeCache.Protocol;
using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Security;

public class TlsTests
{
    [Fact]
    public async Task Https_ClientTrustingTheCa_PutsAndGetsWithAKey()
    {
        var pki = new TestPki();
        await using CacheNodeServer node = await SecureNodes.StartAsync(SecureNodes.WriteKeys(), pki.Issue());
        using HttpClient https = pki.CreateHttpClient();
        https.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SecureNodes.Key);
        string root = $"https://localhost:{node.TlsHttpEndPoint!.Port}";

        using HttpResponseMessage put = await https.PostAsync(root + "/put", new StringContent("""{"key":"tls-k","value":"tls-v"}""", Encoding.UTF8, "application/json"));
        string got = await https.GetStringAsync(root + "/get?key=tls-k");

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("""{"status":"OK","key":"tls-k","value":"tls-v"}""", got);
    }

    [Fact]
    public async Task Resp_OverTlsOnBothTlsPorts_ServesCommands()
    {
        var pki = new TestPki();
        await using CacheNodeServer node = await SecureNodes.StartAsync(keysFile: null, pki.Issue());

        foreach (IPEndPoint endPoint in new[] { node.TlsRespEndPoint!, node.TlsHttpEndPoint! })
        {
            await using RespTestClient client = await RespTestClient.ConnectTlsAsync(endPoint, pki.Validation);

            Assert.Equal("OK", (await client.CallAsync("SET", "k" + endPoint.Port, "v")).AsString());
            Assert.Equal("v", (await client.CallAsync("GET", "k" + endPoint.Port)).AsString());
        }
    }

    [Fact]
    public async Task Resp_TlsPortWithAuth_NeedsAuthToo()
    {
        var pki = new TestPki();
        await using CacheNodeServer node = await SecureNodes.StartAsync(SecureNodes.WriteKeys(), pki.Issue());
        await using RespTestClient client = await RespTestClient.ConnectTlsAsync(node.TlsRespEndPoint!, pki.Validation);

        Assert.Equal("NOAUTH Authentication required.", (await client.CallAsync("GET", "k")).AsString());
        Assert.Equal("OK", (await client.CallAsync("AUTH", SecureNodes.Key)).AsString());
        Assert.Equal(RespValueKind.BulkString, (await client.CallAsync("GET", "k")).Kind);
    }

    [Fact]
    public async Task RedisCli_TlsWithCaCert_Works()
    {
        var pki = new TestPki();
        TlsFiles files = pki.Issue();
        await using CacheNodeServer node = await SecureNodes.StartAsync(SecureNodes.WriteKeys(), files);

        ProcessOutput set = await RedisTools.CliAsync(
            node.TlsRespEndPoint!, "--tls", "--cacert", files.CaFile, "--sni", "localhost", "--no-auth-warning", "-a", SecureNodes.Key, "SET", "cli-tls", "yes");
        ProcessOutput get = await RedisTools.CliAsync(
            node.TlsRespEndPoint!, "--tls", "--cacert", files.CaFile, "--sni", "localhost", "--no-auth-warning", "-a", SecureNodes.Key, "GET", "cli-tls");

        Assert.Equal("OK", set.StandardOutput.Trim());
        Assert.Equal("yes", get.StandardOutput.Trim());
    }

    [Fact]
    public async Task Handshake_ClientTrustingAnotherCa_Fails()
    {
        var pki = new TestPki();
        await using CacheNodeServer node = await SecureNodes.StartAsync(keysFile: null, pki.Issue());
        var other = new TestPki("Other CA");

        await Assert.ThrowsAsync<System.Security.Authentication.AuthenticationException>(
            () => RespTestClient.ConnectTlsAsync(node.TlsRespEndPoint!, other.Validation));
    }

    [Fact]
    public async Task Certificate_FilesReplaced_NewConnectionsGetTheNewOneWithoutRestart()
    {
        var pki = new TestPki();
        TlsFiles files = pki.Issue();
        await using CacheNodeServer node = await SecureNodes.StartAsync(keysFile: null, files);
        await using RespTestClient before = await RespTestClient.ConnectTlsAsync(node.TlsRespEndPoint!, pki.Validation);
        TlsFiles renewed = pki.Issue("renewed", subject: "kvcache-renewed");

        TestPki.Replace(files, renewed);

        string? served = null;
        using HttpClient https = pki.CreateHttpClient(c => served = c.Thumbprint);
        await Poll.UntilAsync(async () =>
        {
            using HttpResponseMessage response = await https.GetAsync($"https://localhost:{node.TlsHttpEndPoint!.Port}/healthz");
            return served == renewed.Certificate.Thumbprint;
        }, "HTTPS to serve the renewed certificate", SecureNodes.ReloadDeadline);
        await using RespTestClient after = await RespTestClient.ConnectTlsAsync(node.TlsRespEndPoint!, pki.Validation);
        Assert.Equal(renewed.Certificate.Thumbprint, new X509Certificate2(after.ServerCertificate!).Thumbprint);
        Assert.Equal(files.Certificate.Thumbprint, new X509Certificate2(before.ServerCertificate!).Thumbprint);
        Assert.Equal("PONG", (await before.CallAsync("PING")).AsString());
    }

    [Fact]
    public async Task HttpPortZero_WithHttpsPort_TurnsPlainHttpOff()
    {
        var pki = new TestPki();
        await using CacheNodeServer node = await SecureNodes.StartAsync(keysFile: null, pki.Issue(), o => (o.HttpPort, o.RespPort) = (0, 0));

        Assert.Throws<InvalidOperationException>(() => node.HttpEndPoint);
        Assert.Null(node.RespEndPoint);
        using HttpClient https = pki.CreateHttpClient();
        using HttpResponseMessage response = await https.GetAsync($"https://localhost:{node.TlsHttpEndPoint!.Port}/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
