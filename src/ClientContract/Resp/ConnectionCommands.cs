using System.Text;
using KubeCache.Protocol;

namespace KubeCache.ClientContract.Resp;

/// <summary>
/// The connection commands clients such as redis-cli and redis-benchmark send before their work
/// — PING, ECHO, HELLO, AUTH without keys, SELECT, CLIENT, COMMAND, CONFIG GET, TIME — answered the same
/// way by nodes and routers, as values the caller writes in the connection's protocol. Arity is
/// checked by the caller's command table. QUIT's reply is <see cref="RespValue.Ok"/>; closing the connection
/// after it is the caller's.
/// </summary>
public static class ConnectionCommands
{
    /// <summary>The Redis version reported to clients, which pick features by it; commands of 7.0 are spoken, in RESP2 and RESP3.</summary>
    public const string CompatibleRedisVersion = "7.0.0";


    private static readonly RespValue Pong = RespValue.SimpleString("PONG");
    private static readonly RespValue EmptyArray = RespValue.Array();
    private static readonly RespValue EmptyMap = RespValue.Map();
    private static readonly RespValue PingWrongArity = RespValue.Error(RespErrorReplies.WrongArity("ping"));

    public static RespValue Ping(RespCommand command) => command.Count switch
    {
        1 => Pong,
        2 => RespValue.BulkString(command[1].ToArray()),
        _ => PingWrongArity,
    };

    public static RespValue Echo(RespCommand command) => RespValue.BulkString(command[1].ToArray());

    public static RespValue Select(RespCommand command) =>
        !RespInteger.TryParse(command[1], out long db) ? RespErrorReplies.NotInteger
        : db == 0 ? RespValue.Ok
        : RespErrorReplies.DatabaseOutOfRange;

    /// <summary>
    /// HELLO [protover [AUTH user pass] [SETNAME name]]: switches the connection to RESP2 or RESP3
    /// (only once every option is accepted) and answers the server's map, in the protocol chosen.
    /// </summary>
    public static RespValue Hello(RespCommand command, IRespClient client)
    {
        RespProtocol protocol = client.Protocol;
        if (command.Count > 1)
        {
            if (!RespInteger.TryParse(command[1], out long version))
            {
                return RespErrorReplies.ProtocolNotInteger;
            }

            if (version is < 2 or > 3)
            {
                return RespErrorReplies.UnsupportedProtocol;
            }

            string? name = client.Name;
            for (int i = 2; i < command.Count; i++)
            {
                if (command.ArgumentIs(i, "SETNAME"u8) && i + 1 < command.Count)
                {
                    name = Encoding.UTF8.GetString(command[++i]);
                }
                else if (command.ArgumentIs(i, "AUTH"u8) && i + 2 < command.Count && client.AuthRequired)
                {
                    // Checked by the authentication gate before HELLO runs.
                    i += 2;
                }
                else
                {
                    return command.ArgumentIs(i, "AUTH"u8) && i + 2 < command.Count ? RespErrorReplies.NoAuth : RespErrorReplies.Syntax;
                }
            }

            client.Name = name;
            protocol = (RespProtocol)version;
        }

        client.Protocol = protocol;
        return RespValue.Map(
            RespValue.BulkString("server"), RespValue.BulkString("redis"),
            RespValue.BulkString("version"), RespValue.BulkString(CompatibleRedisVersion),
            RespValue.BulkString("proto"), RespValue.Integer((int)protocol),
            RespValue.BulkString("id"), RespValue.Integer(client.Id),
            RespValue.BulkString("mode"), RespValue.BulkString("standalone"),
            RespValue.BulkString("role"), RespValue.BulkString("master"),
            RespValue.BulkString("modules"), EmptyArray);
    }

    /// <summary>CLIENT SETNAME / GETNAME / ID / SETINFO.</summary>
    public static RespValue Client(RespCommand command, IRespClient client)
    {
        if (command.ArgumentIs(1, "SETNAME"u8) && command.Count == 3)
        {
            client.Name = Encoding.UTF8.GetString(command[2]);
            return RespValue.Ok;
        }

        if (command.ArgumentIs(1, "GETNAME"u8) && command.Count == 2)
        {
            return client.Name is null ? RespValue.NullBulkString : RespValue.BulkString(client.Name);
        }

        if (command.ArgumentIs(1, "ID"u8) && command.Count == 2)
        {
            return RespValue.Integer(client.Id);
        }

        return command.ArgumentIs(1, "SETINFO"u8) && command.Count == 4 ? RespValue.Ok : RespErrorReplies.UnknownClientSubcommand;
    }

    /// <summary>COMMAND [COUNT | DOCS | INFO …]: the count is real; documentation is not served, so the rest is empty (DOCS a map).</summary>
    public static RespValue Command(RespCommand command, int commandCount) =>
        command.ArgumentIs(1, "COUNT"u8) ? RespValue.Integer(commandCount)
        : command.ArgumentIs(1, "DOCS"u8) ? EmptyMap
        : EmptyArray;

    /// <summary>
    /// CONFIG GET parameter: the few settings clients read (redis-benchmark reads save and
    /// appendonly); <paramref name="own"/> answers the process's own ones first.
    /// <paramref name="configured"/> names what takes flags in the error to anything else.
    /// </summary>
    public static RespValue Config(RespCommand command, string configured, Func<string, string?> own)
    {
        if (!command.ArgumentIs(1, "GET"u8) || command.Count != 3)
        {
            return RespErrorReplies.ConfigGetOnly(configured);
        }

        string name = Encoding.UTF8.GetString(command[2]).ToLowerInvariant();
        string? value = own(name) ?? name switch
        {
            "save" => "",
            "appendonly" => "no",
            "maxmemory-policy" => "allkeys-lru",
            "databases" => "1",
            _ => null,
        };
        return value is null ? EmptyMap : RespValue.Map(RespValue.BulkString(name), RespValue.BulkString(value));
    }

    /// <summary>TIME: the server's clock as Unix seconds and the microseconds within that second, both bulk strings as in Redis.</summary>
    public static RespValue Time(TimeProvider clock)
    {
        long microseconds = (clock.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;
        return RespValue.Array(
            RespValue.BulkString((microseconds / 1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            RespValue.BulkString((microseconds % 1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
}
