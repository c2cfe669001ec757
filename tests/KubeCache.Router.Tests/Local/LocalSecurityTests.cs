using System.Net;
using System.Net.Http.Headers;
using KubeCache.Local;
using KubeCache.Router.Tests.Security;
using KubeCache.Testing;
using KubeCache.Topology;

namespace KubeCache.Router.Tests.Local;

/// <summary>Local mode with API keys and peer TLS; its node processes run one test at a time with the other local clusters'.</summary>
[Collection(LocalClusterCollection.Name)]
public class LocalSecurityTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task LocalMode_KeysAndPeerTls_NodesTakeThemAndAScaleUpMovesKeys()
    {
        var pki = new TestPki();
        TlsFiles files = pki.Issue();
        string keys = SecureCluster.WriteKeys();
        await using LocalRouter router = await LocalRouter.StartAsync(2, TimeSpan.FromSeconds(10), o => Secure(o, keys, files), output);
        router.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SecureCluster.Key);
        await using RespTestClient client = await RespTestClient.ConnectAsync(router.RespEndPoint);
        Assert.Equal("OK", (await client.CallAsync("AUTH", SecureCluster.Key)).AsString());
        for (int i = 0; i < 200; i++)
        {
            Assert.Equal("OK", (await client.CallAsync("SET", $"local-{i}", $"v{i}")).AsString());
        }

        using HttpResponseMessage added = await router.Http.PostAsync("/admin/nodes", null);

        Assert.True(added.StatusCode == HttpStatusCode.Created, $"{(int)added.StatusCode}: {await added.Content.ReadAsStringAsync()}");
        for (int i = 0; i < 200; i++)
        {
            Assert.Equal($"v{i}", (await client.CallAsync("GET", $"local-{i}")).AsString());
        }

        RingMember member = router.Server.Routes.Routes!.Document.Members[0];
        IPEndPoint nodeResp = IPEndPoint.Parse(member.Resp);
        await using RespTestClient direct = await RespTestClient.ConnectTlsAsync(nodeResp, pki.Validation);
        Assert.Equal("NOAUTH Authentication required.", (await direct.CallAsync("GET", "local-1")).AsString());
        Assert.Equal("OK", (await direct.CallAsync("AUTH", SecureCluster.Key)).AsString());
    }

    private static void Secure(LocalOptions options, string keys, TlsFiles files)
    {
        options.Security.AuthKeysFile = keys;
        SecureCluster.UseTls(options.Security, files);
        options.Security.PeerTls = true;
    }
}
