using System.Globalization;
using System.Net;
using KubeCache.Protocol;

namespace KubeCache.Testing.Load;

/// <summary>
/// A RESP mix with pipelining over the same keys and values as <see cref="HttpLoad"/>:
/// a number of connections, each sending batches of a given depth of
/// commands and reading the replies: SET 35%, GET 35%, MGET of 5 keys 10%, DEL, EXISTS, EXPIRE
/// (60 s) and INCR of a counter key 5% each. Every error reply or connection failure is a failure.
/// </summary>
public static class RespLoad
{
    public static async Task RunAsync(IPEndPoint server, LoadProfile profile, int connections, int depth, LoadTally tally, CancellationToken stop) =>
        await Task.WhenAll(Enumerable.Range(0, connections).Select(c => ConnectionAsync(server, profile, depth, new Random(1000 + c), tally, stop)));

    private static async Task ConnectionAsync(IPEndPoint server, LoadProfile profile, int depth, Random random, LoadTally tally, CancellationToken stop)
    {
        await Task.Yield();
        while (!stop.IsCancellationRequested)
        {
            RespTestClient client;
            try
            {
                client = await RespTestClient.ConnectAsync(server);
            }
            catch (Exception e)
            {
                tally.Failed($"connect: {e.GetType().Name}: {e.Message}");
                await Task.Delay(100, CancellationToken.None);
                continue;
            }

            await using (client)
            {
                if (!await BatchesAsync(client, profile, depth, random, tally, stop))
                {
                    continue;
                }
            }
        }
    }

    /// <returns>False when the connection failed and another is needed.</returns>
    private static async Task<bool> BatchesAsync(RespTestClient client, LoadProfile profile, int depth, Random random, LoadTally tally, CancellationToken stop)
    {
        var sent = new string[depth];
        while (!stop.IsCancellationRequested)
        {
            int read = 0;
            try
            {
                for (int i = 0; i < depth; i++)
                {
                    string[] command = NextCommand(profile, random);
                    sent[i] = command[0];
                    client.Queue(command);
                }

                await client.FlushAsync();
                for (; read < depth; read++)
                {
                    RespValue reply = await client.ReadAsync();
                    if (reply.IsError)
                    {
                        tally.Failed($"{sent[read]}: {reply.AsString()}");
                    }
                    else
                    {
                        tally.Succeeded();
                    }
                }
            }
            catch (Exception e)
            {
                tally.Failed($"{sent[read]}: {e.GetType().Name}: {e.Message}", depth - read);
                return false;
            }
        }

        return true;
    }

    private static string[] NextCommand(LoadProfile profile, Random random)
    {
        int roll = random.Next(100);
        string key = profile.RandomKey(random);
        return roll switch
        {
            < 35 => ["SET", key, profile.RandomValue(random)],
            < 70 => ["GET", key],
            < 80 => ["MGET", key, profile.RandomKey(random), profile.RandomKey(random), profile.RandomKey(random), profile.RandomKey(random)],
            < 85 => ["DEL", key],
            < 90 => ["EXISTS", key],
            < 95 => ["EXPIRE", key, "60"],
            _ => ["INCR", "counter:" + random.Next(100).ToString(CultureInfo.InvariantCulture)],
        };
    }
}
