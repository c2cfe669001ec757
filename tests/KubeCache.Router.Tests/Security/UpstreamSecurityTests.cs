using System.Net;
using KubeCache.Protocol;
using KubeCache.Testing;

namespace KubeCache.Router.Tests.Security;

public class UpstreamSecurityTests
{
    [Fact]
    public async Task Upstream_NodesNeedAKey_RouterAuthenticatesWithItsFirstKey()
    {
        string keys = SecureCluster.WriteKeys();
        await using SecureCluster cluster = await SecureCluster.StartAsync((_, s) => s.AuthKeysFile = keys, s => s.AuthKeysFile = keys, tlsRing: false);
        await using RespTestClient client = await RespTestClient.ConnectAsync(cluster.Router.RespEndPoint!);

        Assert.Equal("OK", (await client.CallAsync("AUTH", SecureCluster.Key)).AsString());
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal("OK", (await client.CallAsync("SET", $"k{i}", $"v{i}")).AsString());
        }

        Assert.Equal("v7", (await client.CallAsync("GET", "k7")).AsString());
        Assert.Equal(20, cluster.Nodes.Sum(n => n.Store.Count));
    }

    [Fact]
    public async Task Upstream_RouterKeyNotAcceptedByNodes_ReportsTheRefusal()
    {
        string nodeKeys = SecureCluster.WriteKeys();
        string routerKeys = SecureCluster.WriteKeys("some-other-key");
        await using SecureCluster cluster = await SecureCluster.StartAsync((_, s) => s.AuthKeysFile = nodeKeys, s => s.AuthKeysFile = routerKeys, tlsRing: false);
        await using RespTestClient client = await RespTestClient.ConnectAsync(cluster.Router.RespEndPoint!);
        await client.CallAsync("AUTH", "some-other-key");

        RespValue reply = await client.CallAsync("SET", "k", "v");

        Assert.True(reply.IsError);
        Assert.Contains("WRONGPASS", reply.AsString(), StringComparison.Ordinal);
        Assert.Equal(0, cluster.Nodes.Sum(n => n.Store.Count));
    }

    [Fact]
    public async Task Upstream_PeerTlsWithTheNodesCa_ForwardsOverTls()
    {
        var pki = new TestPki();
        await using SecureCluster cluster = await SecureCluster.StartAsync(
            (i, s) => SecureCluster.UseTls(s, pki.Issue($"node-{i}")),
            s =>
            {
                SecureCluster.UseTls(s, pki.Issue("router"));
                s.PeerTls = true;
            },
            tlsRing: true);
        await using RespTestClient client = await RespTestClient.ConnectAsync(cluster.Router.RespEndPoint!);

        for (int i = 0; i < 10; i++)
        {
            Assert.Equal("OK", (await client.CallAsync("SET", $"t{i}", "v")).AsString());
        }

        Assert.Equal(10, cluster.Nodes.Sum(n => n.Store.Count));
    }

    [Fact]
    public async Task Upstream_NodeCertificateFromAnotherCa_IsRefused()
    {
        var pki = new TestPki();
        var other = new TestPki("Other CA");
        await using SecureCluster cluster = await SecureCluster.StartAsync(
            (i, s) => SecureCluster.UseTls(s, other.Issue($"node-{i}")),
            s =>
            {
                SecureCluster.UseTls(s, pki.Issue("router"));
                s.PeerTls = true;
            },
            tlsRing: true);
        await using RespTestClient client = await RespTestClient.ConnectAsync(cluster.Router.RespEndPoint!);

        RespValue reply = await client.CallAsync("SET", "k", "v");

        Assert.True(reply.IsError);
        Assert.Equal(0, cluster.Nodes.Sum(n => n.Store.Count));
    }

    [Fact]
    public async Task Front_RouterWithKeys_ChecksHttpAndRespClients()
    {
        string keys = SecureCluster.WriteKeys();
        var pki = new TestPki();
        await using SecureCluster cluster = await SecureCluster.StartAsync(
            (_, s) => s.AuthKeysFile = keys,
            s =>
            {
                s.AuthKeysFile = keys;
                SecureCluster.UseTls(s, pki.Issue("router"));
                s.TlsHttpPort = Ports.Free();
                s.TlsRespPort = Ports.Free();
            },
            tlsRing: false);
        using var http = new HttpClient { BaseAddress = new Uri($"http://{cluster.Router.HttpEndPoint}") };
        using HttpClient https = pki.CreateHttpClient();
        await using RespTestClient resp = await RespTestClient.ConnectTlsAsync(cluster.Router.TlsRespEndPoint!, pki.Validation);

        using HttpResponseMessage noKey = await http.GetAsync("/get?key=a");
        using HttpResponseMessage withKey = await https.GetAsync($"https://localhost:{cluster.Router.TlsHttpEndPoint!.Port}/get?key=a&api_key={SecureCluster.Key}");
        using HttpResponseMessage health = await http.GetAsync("/readyz");
        RespValue locked = await resp.CallAsync("GET", "a");
        RespValue auth = await resp.CallAsync("HELLO", "2", "AUTH", "default", SecureCluster.Key);
        RespValue unlocked = await resp.CallAsync("GET", "a");

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.NotFound, HttpStatusCode.OK), (noKey.StatusCode, withKey.StatusCode, health.StatusCode));
        Assert.Equal("NOAUTH Authentication required.", locked.AsString());
        Assert.Equal(RespValueKind.Array, auth.Kind);
        Assert.Equal(RespValueKind.BulkString, unlocked.Kind);
    }
}
