using System.Text;
using System.Text.Json;
using KubeCache.CacheNode.Hosting;
using KubeCache.CacheNode.Storage;
using KubeCache.Testing;
using KubeCache.Topology;

namespace KubeCache.CacheNode.Tests.Security;

public class SecureHandoffTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Handoff_AuthAndOptionallyTls_MovesKeysToTheNewOwner(bool tls)
    {
        var pki = new TestPki();
        string keys = SecureNodes.WriteKeys();
        string ring = Path.Combine(Directory.CreateTempSubdirectory("kvcache-ring-").FullName, "ring.json");
        await using CacheNodeServer a = await StartAsync("a", keys, ring, tls ? pki.Issue("a") : null);
        await using CacheNodeServer b = await StartAsync("b", keys, ring, tls ? pki.Issue("b") : null);
        RingMember Member(CacheNodeServer node, string name) =>
            new(name, node.HttpEndPoint.ToString(), (tls ? node.TlsRespEndPoint! : node.RespEndPoint!).ToString());

        for (int i = 0; i < 200; i++)
        {
            Assert.Equal(StoreStatus.Ok, a.Store.Set(Key(i), Key(i), Expiry.Never));
        }

        RingDocument one = Document(1, [Member(a, "a")]);
        RingDocument two = Document(2, [Member(a, "a"), Member(b, "b")], one);
        await Publish(ring, two);

        Ring owners = two.CurrentRing();
        Assert.True(await SecureNodes.EventuallyAsync(() => Task.FromResult(Enumerable.Range(0, 200).All(i =>
            (owners.OwnerOf(Key(i)).Name == "b") == (b.Store.Peek(Key(i), out _, out _, out _) == StoreStatus.Ok)
            && (owners.OwnerOf(Key(i)).Name == "a") == (a.Store.Peek(Key(i), out _, out _, out _) == StoreStatus.Ok))), TimeSpan.FromSeconds(30)));
        Assert.Contains(Enumerable.Range(0, 200), i => owners.OwnerOf(Key(i)).Name == "b");
    }

    [Fact]
    public async Task Handoff_PeerCertificateFromAnotherCa_MovesNothingAndReportsTheErrorWhileRetrying()
    {
        var pki = new TestPki();
        var other = new TestPki("Other CA");
        string keys = SecureNodes.WriteKeys();
        string ring = Path.Combine(Directory.CreateTempSubdirectory("kvcache-ring-").FullName, "ring.json");
        await using CacheNodeServer a = await StartAsync("a", keys, ring, pki.Issue("a"));
        await using CacheNodeServer b = await StartAsync("b", keys, ring, other.Issue("b"));
        for (int i = 0; i < 50; i++)
        {
            a.Store.Set(Key(i), Key(i), Expiry.Never);
        }

        RingDocument one = Document(1, [new("a", a.HttpEndPoint.ToString(), a.TlsRespEndPoint!.ToString())]);
        await Publish(ring, Document(2, [.. one.Members, new("b", b.HttpEndPoint.ToString(), b.TlsRespEndPoint!.ToString())], one));

        using HttpClient http = SecureNodes.Http(a);
        http.DefaultRequestHeaders.Add("X-API-Key", SecureNodes.Key);
        Assert.True(await SecureNodes.EventuallyAsync(async () => (await http.GetStringAsync("/cluster/handoff")).Contains("\"epoch\":2", StringComparison.Ordinal)));
        Assert.True(await SecureNodes.EventuallyAsync(async () => (await http.GetStringAsync("/cluster/handoff")).Contains("\"state\":\"retrying\"", StringComparison.Ordinal)));
        using JsonDocument report = JsonDocument.Parse(await http.GetStringAsync("/cluster/handoff"));
        Assert.Contains("certificate", report.RootElement.GetProperty("lastError").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, b.Store.Count);
        Assert.Equal(50, a.Store.Count);
    }

    [Fact]
    public async Task Handoff_PeerKeyRefused_RetriesReportsTheErrorAndRecoversOnceTheKeyFileIsFixed()
    {
        // a presents its file's first key, which b does not accept; a still accepts the test's key.
        string aKeys = SecureNodes.WriteKeys();
        File.WriteAllLines(aKeys, ["# a's keys, the wrong one first", "not-b-key", SecureNodes.Key]);
        string bKeys = SecureNodes.WriteKeys();
        string ring = Path.Combine(Directory.CreateTempSubdirectory("kvcache-ring-").FullName, "ring.json");
        await using CacheNodeServer a = await StartAsync("a", aKeys, ring, null);
        await using CacheNodeServer b = await StartAsync("b", bKeys, ring, null);
        for (int i = 0; i < 100; i++)
        {
            a.Store.Set(Key(i), Key(i), Expiry.Never);
        }

        RingDocument one = Document(1, [new("a", a.HttpEndPoint.ToString(), a.RespEndPoint!.ToString())]);
        RingDocument two = Document(2, [.. one.Members, new("b", b.HttpEndPoint.ToString(), b.RespEndPoint!.ToString())], one);
        await Publish(ring, two);

        using HttpClient http = SecureNodes.Http(a);
        http.DefaultRequestHeaders.Add("X-API-Key", SecureNodes.Key);
        Assert.True(await SecureNodes.EventuallyAsync(async () => (await http.GetStringAsync("/cluster/handoff")).Contains("\"state\":\"retrying\"", StringComparison.Ordinal)));
        using (JsonDocument failing = JsonDocument.Parse(await http.GetStringAsync("/cluster/handoff")))
        {
            Assert.Contains("refused", failing.RootElement.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        }

        string metrics = await http.GetStringAsync("/metrics");
        Assert.Contains("kvcache_handoff_retrying 1", metrics, StringComparison.Ordinal);
        Assert.Matches(@"kvcache_handoff_failures_total [1-9]", metrics);

        Assert.Equal(0, b.Store.Count);

        File.WriteAllLines(aKeys + ".tmp", ["# a's keys, fixed", SecureNodes.Key]);
        File.Move(aKeys + ".tmp", aKeys, overwrite: true);

        Ring owners = two.CurrentRing();
        int moving = Enumerable.Range(0, 100).Count(i => owners.OwnerOf(Key(i)).Name == "b");
        Assert.True(await SecureNodes.EventuallyAsync(async () => (await http.GetStringAsync("/cluster/handoff")).Contains("\"state\":\"done\"", StringComparison.Ordinal), TimeSpan.FromSeconds(30)));
        using JsonDocument done = JsonDocument.Parse(await http.GetStringAsync("/cluster/handoff"));
        Assert.False(done.RootElement.TryGetProperty("lastError", out _), done.RootElement.ToString());
        Assert.Equal(moving, done.RootElement.GetProperty("keysSent").GetInt64());
        Assert.Equal(moving, b.Store.Count);
    }

    private static Task<CacheNodeServer> StartAsync(string name, string keys, string ring, TlsFiles? tls) =>
        SecureNodes.StartAsync(keys, tls, o =>
        {
            o.NodeName = name;
            o.RingFile = ring;
            o.RingPollInterval = TimeSpan.FromMilliseconds(50);
            o.Security.PeerTls = tls is not null;
        });

    private static async Task Publish(string path, RingDocument document)
    {
        await File.WriteAllBytesAsync(path + ".tmp", document.ToUtf8Json());
        File.Move(path + ".tmp", path, overwrite: true);
    }

    private static RingDocument Document(long epoch, IReadOnlyList<RingMember> members, RingDocument? previous = null) => new()
    {
        Cluster = "test",
        Epoch = epoch,
        Members = members,
        Previous = previous is null ? null : new RingGeneration(previous.Epoch, previous.Members, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()),
    };

    private static byte[] Key(int i) => Encoding.UTF8.GetBytes($"secure:{i}");
}
