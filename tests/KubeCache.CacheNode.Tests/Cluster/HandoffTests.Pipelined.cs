using System.Text;
using KubeCache.Testing;
using KubeCache.Topology;

namespace KubeCache.CacheNode.Tests.Cluster;

/// <summary>Pipelined requests, HTTP and RESP, at a new owner whose keys are still at their previous owner.</summary>
public partial class HandoffTests
{
    [Fact]
    public async Task HotGetsPipelined_OneMustTakeItsKeyFirst_RepliesInRequestOrder()
    {
        // b answers the first request at once (a key it does not own), must take the second's key
        // from a first (its handoff is stalled), and answers the third after it: the replies keep
        // the requests' order across the wait.
        await using var cluster = new ClusterNodes();
        (string[] keys, RingDocument atA, OutageProxy link) = await StallHandoffToBAsync(cluster, keyCount: 1);
        await using (link)
        {
            string notB = FirstKeyOf(atA.CurrentRing(), "a");
            string Get(string key) => $"GET /get?key={key} HTTP/1.1\r\nHost: node\r\n\r\n";
            using RawClient client = await RawClient.ConnectAsync(cluster["b"].Server.HttpEndPoint);

            await client.SendAsync(Get(notB) + Get(keys[0]) + Get(keys[0]) + "GET /health HTTP/1.1\r\nHost: node\r\nConnection: close\r\n\r\n");
            List<string> replies = HttpResponses.Parse(await client.ReadToCloseAsync());

            Assert.Equal(4, replies.Count);
            Assert.StartsWith("HTTP/1.1 421 ", replies[0], StringComparison.Ordinal);
            Assert.All(replies[1..3], r => Assert.EndsWith($"{{\"status\":\"OK\",\"key\":\"{keys[0]}\",\"value\":\"value:0\"}}", r, StringComparison.Ordinal));
            Assert.StartsWith("HTTP/1.1 200 ", replies[3], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RespCommandsPipelined_OneMustTakeItsKeyFirst_RepliesInOrder()
    {
        // b answers the first command at once (a key it does not own) on its event loop, must take
        // the second's key from a first (its handoff is stalled), so it leaves for its pipes, and
        // answers the rest after the take: the replies keep the commands' order across the wait.
        await using var cluster = new ClusterNodes();
        (string[] keys, RingDocument atA, OutageProxy link) = await StallHandoffToBAsync(cluster, keyCount: 1);
        await using (link)
        {
            string notB = FirstKeyOf(atA.CurrentRing(), "a");
            await using RespTestClient client = await RespTestClient.ConnectAsync(cluster["b"].Server.HttpEndPoint);
            client.Queue("GET", notB);
            client.Queue("GET", keys[0]);
            client.Queue("GET", keys[0]);
            client.Queue("PING");
            await client.FlushAsync();

            RespReply.Error("KVMOVED ", await client.ReadAsync());
            RespReply.Bulk("value:0", await client.ReadAsync());
            RespReply.Bulk("value:0", await client.ReadAsync());
            RespReply.Simple("PONG", await client.ReadAsync());
        }
    }

    /// <summary>The first of <c>key:0</c> … <c>key:99</c> that <paramref name="member"/> owns in <paramref name="ring"/>.</summary>
    private static string FirstKeyOf(Ring ring, string member) =>
        Enumerable.Range(0, 100).Select(i => $"key:{i}").First(k => ring.OwnerOf(Encoding.UTF8.GetBytes(k)).Name == member);
}
