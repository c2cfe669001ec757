using System.Collections.Frozen;
using System.Text;
using KubeCache.CacheNode.Cluster;
using KubeCache.CacheNode.Storage;
using KubeCache.Protocol;

namespace KubeCache.CacheNode.Resp.Commands;

/// <summary>Connection and server commands that clients such as redis-cli and redis-benchmark send.</summary>
internal sealed partial class ServerCommands(CacheStore store, Func<FrozenDictionary<string, RespCommandSpec>> commands)
{
    /// <summary>The Redis version reported to clients, which pick features by it; RESP2 commands of 7.0 are spoken.</summary>
    public const string CompatibleRedisVersion = "7.0.0";

    private static long s_nextClientId;

    public static IEnumerable<RespCommandSpec> Specs(CacheStore store, HandoffService handoff, Func<FrozenDictionary<string, RespCommandSpec>> commands)
    {
        var c = new ServerCommands(store, commands);
        return
        [
            new("PING", -1, Ping),
            new("ECHO", 2, s => RespWriter.WriteBulkString(s.Output, s.Command[1])),
            new("QUIT", 1, Quit),
            new("HELLO", -1, c.Hello),
            new("AUTH", -2, s => RespErrors.Write(s, "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?")),
            new("SELECT", 2, Select),
            new("CLIENT", -2, c.Client),
            new("COMMAND", -1, c.Command),
            new("CONFIG", -2, c.Config),
            new("INFO", -1, c.Info),
            new("DBSIZE", 1, s => RespWriter.WriteInteger(s.Output, store.Count)),
            new("FLUSHALL", -1, null, s => FlushAsync(s, handoff)),
            new("FLUSHDB", -1, null, s => FlushAsync(s, handoff)),
        ];
    }

    private static void Ping(RespSession session)
    {
        if (session.Command.Count > 2)
        {
            RespErrors.WrongArity(session, "ping");
        }
        else if (session.Command.Count == 2)
        {
            RespWriter.WriteBulkString(session.Output, session.Command[1]);
        }
        else
        {
            session.Output.Write(RespReplies.Pong);
        }
    }

    private static void Quit(RespSession session)
    {
        session.Output.Write(RespReplies.Ok);
        session.Closing = true;
    }

    private static void Select(RespSession session)
    {
        if (!RespArguments.TryInteger(session, 1, out long db))
        {
            return;
        }

        if (db == 0)
        {
            session.Output.Write(RespReplies.Ok);
        }
        else
        {
            RespErrors.Write(session, "ERR DB index is out of range (KubeCache has database 0 only)");
        }
    }

    /// <summary>HELLO [protover [AUTH user pass] [SETNAME name]]: RESP2 only, so HELLO 3 gets NOPROTO and clients fall back.</summary>
    private void Hello(RespSession session)
    {
        RespCommand command = session.Command;
        if (command.Count > 1)
        {
            if (!RespInteger.TryParse(command[1], out long version) || version is < 2 or > 3)
            {
                RespErrors.Write(session, "NOPROTO unsupported protocol version");
                return;
            }

            if (version == 3)
            {
                RespErrors.Write(session, "NOPROTO this server speaks RESP2 only; send HELLO 2 or no HELLO");
                return;
            }

            for (int i = 2; i < command.Count; i++)
            {
                if (RespArguments.Is(session, i, "SETNAME"u8) && i + 1 < command.Count)
                {
                    session.ClientName = Encoding.UTF8.GetString(command[++i]);
                }
                else if (RespArguments.Is(session, i, "AUTH"u8) && i + 2 < command.Count && session.AuthRequired)
                {
                    // Checked by the authentication gate before HELLO runs.
                    i += 2;
                }
                else if (RespArguments.Is(session, i, "AUTH"u8) && i + 2 < command.Count)
                {
                    RespErrors.Write(session, "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?");
                    return;
                }
                else
                {
                    RespErrors.Syntax(session);
                    return;
                }
            }
        }

        session.ClientId = session.ClientId != 0 ? session.ClientId : Interlocked.Increment(ref s_nextClientId);
        RespWriter.WriteArrayHeader(session.Output, 14);
        WritePair(session, "server", "redis");
        WritePair(session, "version", CompatibleRedisVersion);
        RespWriter.WriteBulkString(session.Output, "proto"u8);
        RespWriter.WriteInteger(session.Output, 2);
        RespWriter.WriteBulkString(session.Output, "id"u8);
        RespWriter.WriteInteger(session.Output, session.ClientId);
        WritePair(session, "mode", "standalone");
        WritePair(session, "role", "master");
        RespWriter.WriteBulkString(session.Output, "modules"u8);
        session.Output.Write(RespReplies.EmptyArray);
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

    private static void WritePair(RespSession session, string name, string value)
    {
        RespWriter.WriteBulkString(session.Output, name);
        RespWriter.WriteBulkString(session.Output, value);
    }
}
