using System.Collections.Concurrent;
using KubeCache.Protocol;

namespace KubeCache.Router.Tests.Local;

/// <summary>A writer of new keys and a reader of loaded keys that run through the router until cancelled, counting what goes wrong.</summary>
internal sealed class BackgroundLoad(LocalRouter router, int loadedKeys)
{
    private const int Batch = 50;
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(10);
    private int _writes;
    private long _reads;
    private long _misses;

    /// <summary>Writer keys 0 … AcknowledgedWrites-1 were all answered OK.</summary>
    public int AcknowledgedWrites => Volatile.Read(ref _writes);

    public int Writes => AcknowledgedWrites;

    public long Reads => Interlocked.Read(ref _reads);

    /// <summary>Reads of a loaded key that found nothing.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    public ConcurrentQueue<string> Failures { get; } = new();

    public static string WriterKey(int i) => $"written:{i}";

    public static string WriterValue(int i) => $"written-value:{i}";

    public async Task WriteAsync(CancellationToken stop)
    {
        await using RespPipeline client = await RespPipeline.ConnectAsync(router.RespEndPoint);
        while (!stop.IsCancellationRequested)
        {
            int first = AcknowledgedWrites;
            RespValue[] replies = await client.SendAsync([.. Enumerable.Range(first, Batch).Select(i => new[] { "SET", WriterKey(i), WriterValue(i) })], ReplyTimeout);
            foreach (RespValue reply in replies.Where(r => r.AsString() != "OK"))
            {
                Failures.Enqueue($"SET: {reply.AsString()}");
            }

            Volatile.Write(ref _writes, first + Batch);
        }
    }

    public async Task ReadAsync(CancellationToken stop)
    {
        await using RespPipeline client = await RespPipeline.ConnectAsync(router.RespEndPoint);
        var random = new Random(42);
        while (!stop.IsCancellationRequested)
        {
            int[] keys = [.. Enumerable.Range(0, Batch).Select(_ => random.Next(loadedKeys))];
            RespValue[] replies = await client.SendAsync([.. keys.Select(k => new[] { "GET", LocalScalingTests.Key(k) })], ReplyTimeout);
            for (int i = 0; i < keys.Length; i++)
            {
                if (replies[i].IsError)
                {
                    Failures.Enqueue($"GET: {replies[i].AsString()}");
                }
                else if (replies[i].IsNull)
                {
                    Interlocked.Increment(ref _misses);
                }
                else if (replies[i].AsString() != LocalScalingTests.Value(keys[i]))
                {
                    Failures.Enqueue($"GET {keys[i]}: wrong value {replies[i].AsString()}");
                }
            }

            Interlocked.Add(ref _reads, Batch);
        }
    }
}
