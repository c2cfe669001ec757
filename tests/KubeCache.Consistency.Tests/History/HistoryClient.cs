using System.Globalization;
using KubeCache.Protocol;

namespace KubeCache.Consistency.Tests.History;

/// <summary>
/// A client that alone writes its keys (half of them strings, half counters), each command
/// through a router drawn at random: SET (plain, EX, short PX), DEL, UNLINK, GETDEL, EXPIRE k 0,
/// PEXPIREAT to the past, INCR, INCRBY, APPEND, two-key MSET and MGET, GET (some GETs, SETs and
/// DELs through the HTTP key API instead); it also reads the loaded keys, which nobody writes.
/// Every answer goes to the keys' models.
/// </summary>
public sealed class HistoryClient(string name, IReadOnlyList<KeyModel> strings, IReadOnlyList<KeyModel> counters,
    IReadOnlyList<KeyModel> loaded, RouterConnections connections, RingPublisher publisher, Func<long> clock, HistoryStats stats, Random random)
{
    /// <summary>Short TTLs (ms): long enough to be read before they run out, short enough to run out during the run.</summary>
    private const int ShortTtlMinMs = 150;
    private const int ShortTtlMaxMs = 400;

    /// <summary>One in this many GETs, plain SETs and DELs goes through the router's HTTP key API instead of RESP.</summary>
    private const int HttpOneIn = 8;

    private long _sequence;

    /// <summary>Runs commands until <paramref name="stop"/>, one at a time, each while holding <paramref name="gate"/> (FLUSHALL takes all of it).</summary>
    public async Task RunAsync(SemaphoreSlim gate, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await gate.WaitAsync(CancellationToken.None);
            try
            {
                await OneAsync();
            }
            finally
            {
                gate.Release();
            }

            await Task.Delay(random.Next(1, 4), CancellationToken.None);
        }
    }

    private async Task OneAsync()
    {
        int pick = random.Next(100);
        if (pick < 12)
        {
            await RunAsync([Pick(loaded)], new GetOp());
        }
        else if (pick < 20)
        {
            await RunMultiAsync(isSet: pick < 14);
        }
        else if (random.Next(2) == 0)
        {
            await RunAsync([Pick(strings)], StringOp());
        }
        else
        {
            await RunAsync([Pick(counters)], CounterOp());
        }
    }

    private KeyOp StringOp() => random.Next(100) switch
    {
        < 25 => new SetOp(NextValue()),
        < 30 => new SetOp(NextValue(), 600_000, InSeconds: true),
        < 38 => new SetOp(NextValue(), random.Next(ShortTtlMinMs, ShortTtlMaxMs)),
        < 58 => new GetOp(),
        < 66 => new AppendOp("+" + Next()),
        < 72 => new RemoveOp("DEL"),
        < 76 => new RemoveOp("UNLINK"),
        < 82 => new GetDelOp(),
        < 88 => new RemoveOp("EXPIRE"),
        < 92 => new RemoveOp("PEXPIREAT"),
        _ => new GetOp(),
    };

    private KeyOp CounterOp() => random.Next(100) switch
    {
        < 15 => new SetOp((Next() * 1000).ToString(CultureInfo.InvariantCulture)),
        < 20 => new SetOp((Next() * 1000).ToString(CultureInfo.InvariantCulture), random.Next(ShortTtlMinMs, ShortTtlMaxMs)),
        < 40 => new IncrOp(1),
        < 55 => new IncrOp(random.Next(2, 100)),
        < 77 => new GetOp(),
        < 84 => new RemoveOp("DEL"),
        < 90 => new RemoveOp("EXPIRE"),
        < 95 => new GetDelOp(),
        _ => new GetOp(),
    };

    /// <summary>MSET or MGET of two of the client's string keys.</summary>
    private Task RunMultiAsync(bool isSet)
    {
        KeyModel first = Pick(strings), second = Pick(strings);
        return first == second
            ? Task.CompletedTask
            : RunAsync([first, second], isSet ? new SetOp(NextValue()) : new GetOp(), isSet ? new SetOp(NextValue()) : new GetOp());
    }

    /// <summary>Sends one command for <paramref name="keys"/> (one key, or MSET/MGET of several) and records the answer per key.</summary>
    private async Task RunAsync(KeyModel[] keys, params KeyOp[] ops)
    {
        long now = clock();
        if (keys.Any(k => k.Violation is not null || k.QuietUntil > now))
        {
            return;
        }

        string[] arguments = keys.Length == 1
            ? ops[0].Arguments(keys[0].Key)
            : ops[0] is SetOp
                ? ["MSET", .. keys.Zip(ops).SelectMany(p => new[] { p.First.Key, ((SetOp)p.Second).Value })]
                : ["MGET", .. keys.Select(k => k.Key)];
        Participant router = connections.Routers[random.Next(connections.Routers.Count)];
        bool http = keys.Length == 1 && RouterConnections.HasHttp(ops[0]) && random.Next(HttpOneIn) == 0;
        bool lagging = publisher.IsLagging(router);
        long from = clock();
        string[] answers;
        if (http)
        {
            answers = [await connections.CallHttpAsync(router, ops[0], keys[0].Key)];
        }
        else
        {
            RespValue reply = await connections.CallAsync(router, arguments);
            answers = [.. keys.Select((_, i) => Replies.Of(reply.Kind == RespValueKind.Array && reply.Items.Count == keys.Length ? reply.Items[i] : reply))];
        }

        long to = clock();
        bool correct = true;
        for (int i = 0; i < keys.Length; i++)
        {
            correct &= keys[i].Record(ops[i], answers[i], from, to, name, http ? router.Name + " http" : router.Name, lagging);
        }

        stats.Count(answers.Any(Replies.IsError), lagging, correct, answers.FirstOrDefault(Replies.IsError));
    }

    private KeyModel Pick(IReadOnlyList<KeyModel> keys) => keys[random.Next(keys.Count)];

    private long Next() => ++_sequence;

    private string NextValue() => $"{name}.{Next()}";
}
