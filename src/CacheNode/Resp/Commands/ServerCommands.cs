using System.Collections.Frozen;
using KubeCache.CacheNode.Cluster;
using KubeCache.CacheNode.Storage;
using KubeCache.ClientContract.Resp;
using KubeCache.Protocol;

namespace KubeCache.CacheNode.Resp.Commands;

/// <summary>Connection and server commands that clients such as redis-cli and redis-benchmark send.</summary>
internal sealed partial class ServerCommands(CacheStore store)
{
    public static IEnumerable<RespCommandSpec> Specs(CacheStore store, HandoffService handoff, Func<FrozenDictionary<string, RespCommandSpec>> commands)
    {
        var c = new ServerCommands(store);
        return
        [
            new("PING", -1, s => Reply(s, ConnectionCommands.Ping(s.Command))),
            new("ECHO", 2, s => Reply(s, ConnectionCommands.Echo(s.Command))),
            new("QUIT", 1, Quit) { InTransaction = TransactionRole.Immediate },
            new("HELLO", -1, s => Reply(s, ConnectionCommands.Hello(s.Command, s))),
            new("AUTH", -2, s => Reply(s, RespErrorReplies.NoAuth)),
            new("SELECT", 2, s => Reply(s, ConnectionCommands.Select(s.Command))),
            new("CLIENT", -2, s => Reply(s, ConnectionCommands.Client(s.Command, s))),
            new("COMMAND", -1, s => Reply(s, ConnectionCommands.Command(s.Command, commands().Count))),
            new("CONFIG", -2, c.Config),
            new("INFO", -1, c.Info),
            new("DBSIZE", 1, s => RespWriter.WriteInteger(s.Output, store.Count)),
            new("TIME", 1, s => Reply(s, ConnectionCommands.Time(store.Time))),
            new("FLUSHALL", -1, null, s => FlushAsync(s, handoff)) { WritesAll = true, InTransaction = TransactionRole.Refused },
            new("FLUSHDB", -1, null, s => FlushAsync(s, handoff)) { WritesAll = true, InTransaction = TransactionRole.Refused },
        ];
    }

    /// <summary>Writes a reply of the commands nodes and routers share; an error marks the command failed.</summary>
    private static void Reply(RespSession session, RespValue reply)
    {
        session.ErrorWritten |= reply.IsError;
        session.Write(reply);
    }

    private static void Quit(RespSession session)
    {
        Reply(session, RespValue.Ok);
        session.Closing = true;
    }

    /// <summary>FLUSHALL / FLUSHDB [ASYNC|SYNC]: through the handoff, so no batch read before the flush lands after it.</summary>
    private static async ValueTask FlushAsync(RespSession session, HandoffService handoff)
    {
        if (session.Command.Count > 2 || (session.Command.Count == 2 && !RespArguments.Is(session, 1, "SYNC"u8) && !RespArguments.Is(session, 1, "ASYNC"u8)))
        {
            RespErrors.Syntax(session);
            return;
        }

        await handoff.FlushAsync(session.Stopping).ConfigureAwait(false);
        session.Output.Write(RespReplies.Ok);
    }
}
