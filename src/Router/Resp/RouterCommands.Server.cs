using KubeCache.ClientContract.Resp;
using KubeCache.Protocol;

namespace KubeCache.Router.Resp;

/// <summary>Connection commands the router answers itself, as a node does (<see cref="ConnectionCommands"/>), so clients cannot tell the two apart.</summary>
public sealed partial class RouterCommands
{
    private IEnumerable<RouterCommandSpec> ServerCommandSpecs() =>
    [
        // Queued PING and ECHO run on the transaction's node, which answers them as the router does.
        new("PING", -1, (c, _, _) => ValueTask.FromResult(ConnectionCommands.Ping(c))) { InTransaction = TransactionRole.Queued },
        new("ECHO", 2, (c, _, _) => ValueTask.FromResult(ConnectionCommands.Echo(c))) { InTransaction = TransactionRole.Queued },
        // The connection closes after this reply (RouterRespHandler watches for QUIT).
        new("QUIT", 1, (_, _, _) => ValueTask.FromResult(RespValue.Ok)) { InTransaction = TransactionRole.Immediate },
        new("HELLO", -1, (c, s, _) => ValueTask.FromResult(ConnectionCommands.Hello(c, s))),
        new("AUTH", -2, (_, _, _) => ValueTask.FromResult(RespErrorReplies.NoAuth)),
        new("SELECT", 2, (c, _, _) => ValueTask.FromResult(ConnectionCommands.Select(c))),
        new("CLIENT", -2, (c, s, _) => ValueTask.FromResult(ConnectionCommands.Client(c, s))),
        new("COMMAND", -1, (c, _, _) => ValueTask.FromResult(ConnectionCommands.Command(c, Commands.Count))),
        new("CONFIG", -2, (c, _, _) => ValueTask.FromResult(ConnectionCommands.Config(c, "the router", _ => null))),
        new("TIME", 1, (_, _, _) => ValueTask.FromResult(ConnectionCommands.Time(TimeProvider.System))),
    ];
}
