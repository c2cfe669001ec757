using System.Collections.Frozen;
using System.Text;
using KubeCache.Protocol;
using KubeCache.Router.Metrics;
using KubeCache.Router.Routing;
using KubeCache.Router.Upstream;

namespace KubeCache.Router.Resp;

/// <summary>
/// What the router does with each RESP command: answer it itself (PING, ECHO, QUIT), or forward
/// it to the owner of its key. Everything a handler needs from the command is taken before it
/// first awaits, because the command's buffer is reused for the next one.
/// </summary>
public sealed partial class RouterCommands
{
    private readonly KeyRouter _router;
    private readonly RouterMetrics _metrics;
    private readonly FrozenDictionary<string, Func<RespCommand, CancellationToken, ValueTask<RespValue>>>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public RouterCommands(KeyRouter router, RouterMetrics metrics)
    {
        _router = router;
        _metrics = metrics;
        var handlers = new Dictionary<string, Func<RespCommand, CancellationToken, ValueTask<RespValue>>>(StringComparer.OrdinalIgnoreCase)
        {
            ["PING"] = (c, _) => ValueTask.FromResult(c.Count > 1 ? RespValue.BulkString(c[1].ToArray()) : RespValue.SimpleString("PONG")),
            ["ECHO"] = (c, _) => ValueTask.FromResult(c.Count == 2 ? RespValue.BulkString(c[1].ToArray()) : WrongArity("echo")),
            ["QUIT"] = (_, _) => ValueTask.FromResult(RespValue.SimpleString("OK")),
            ["GET"] = GetAsync,
        };
        foreach (string name in SingleKeyCommands)
        {
            handlers[name] = ForwardToOwnerAsync;
        }

        _lookup = handlers.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Commands whose key is argument 1 and which the key's owner answers alone.</summary>
    private static readonly string[] SingleKeyCommands =
    [
        "SET", "PUT", "SETNX", "SETEX", "PSETEX", "GETDEL", "GETEX", "APPEND", "STRLEN", "INCR", "DECR", "INCRBY", "DECRBY",
        "EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT", "TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME", "PERSIST", "TYPE",
    ];

    /// <summary>Starts the command; the returned task completes with the reply to send back.</summary>
    public ValueTask<RespValue> StartAsync(RespCommand command, CancellationToken cancellationToken)
    {
        Span<char> name = stackalloc char[32];
        if (command[0].Length > name.Length || !_lookup.TryGetValue(name[..Encoding.Latin1.GetChars(command[0], name)], out var handler))
        {
            _metrics.Request("resp", "unknown", ok: false);
            return ValueTask.FromResult(RespValue.Error($"ERR unknown command '{Encoding.UTF8.GetString(command[0])}'"));
        }

        try
        {
            return handler(command, cancellationToken);
        }
        catch (Exception e) when (e is UpstreamException or NoRingException)
        {
            return ValueTask.FromResult(RespValue.Error("ERR " + e.Message));
        }
    }

    private ValueTask<RespValue> ForwardToOwnerAsync(RespCommand command, CancellationToken cancellationToken)
    {
        if (command.Count < 2)
        {
            return ValueTask.FromResult(WrongArity(Encoding.ASCII.GetString(command[0]).ToLowerInvariant()));
        }

        NodeClient client = _router.ClientFor(_router.OwnerOf(command[1]));
        return Relay(client.SendAsync(command, cancellationToken));
    }

    private ValueTask<RespValue> GetAsync(RespCommand command, CancellationToken cancellationToken) =>
        command.Count != 2 ? ValueTask.FromResult(WrongArity("get")) : Relay(_router.GetAsync(command[1].ToArray(), cancellationToken));

    /// <summary>Turns a node that cannot answer into a Redis-shaped error naming it.</summary>
    private static async ValueTask<RespValue> Relay(ValueTask<RespValue> reply)
    {
        try
        {
            return await reply.ConfigureAwait(false);
        }
        catch (Exception e) when (e is UpstreamException or NoRingException)
        {
            return RespValue.Error("ERR " + e.Message);
        }
    }

    private static RespValue WrongArity(string name) => RespValue.Error($"ERR wrong number of arguments for '{name}' command");
}
