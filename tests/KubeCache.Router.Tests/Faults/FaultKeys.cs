using System.Text;
using KubeCache.Protocol;
using KubeCache.Router.Tests.Local;

namespace KubeCache.Router.Tests.Faults;

/// <summary>Key placement and background readers shared by the fault tests.</summary>
internal static class FaultKeys
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(10);

    public static string Owner(LocalRouter router, string key) => router.Server.Routes.Routes!.Ring.OwnerOf(Encoding.UTF8.GetBytes(key)).Name;

    /// <summary>Reads the keys in pipelined batches until cancelled; any reply but <paramref name="value"/> fails the test. Returns the reads done.</summary>
    public static async Task<int> ReadUntilAsync(LocalRouter router, string[] keys, string value, CancellationToken stop)
    {
        await using RespPipeline client = await RespPipeline.ConnectAsync(router.RespEndPoint);
        int reads = 0;
        while (!stop.IsCancellationRequested)
        {
            RespValue[] replies = await client.SendAsync([.. keys.Take(100).Select(k => new[] { "GET", k })], ReplyTimeout);
            Assert.All(replies, r => Assert.Equal(value, r.AsString()));
            reads += replies.Length;
        }

        return reads;
    }
}
