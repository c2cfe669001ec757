using System.Text;
using KubeCache.Protocol;

namespace KubeCache.Router.Resp;

/// <summary>Connection commands the router answers itself, the way a node does, so clients cannot tell the two apart.</summary>
public sealed partial class RouterCommands
{
    /// <summary>The Redis version reported to clients, as the node reports it: they pick features by it.</summary>
    public const string CompatibleRedisVersion = "7.0.0";

    private static readonly RespValue Pong = RespValue.SimpleString("PONG");
    private static readonly RespValue EmptyArray = RespValue.Array();
    private static readonly RespValue PingWrongArity = RouterRespErrors.WrongArity("ping");

    private IEnumerable<RouterCommandSpec> ServerCommandSpecs() =>
    [
        new("PING", -1, (c, _, _) => ValueTask.FromResult(c.Count switch
        {
            1 => Pong,
            2 => RespValue.BulkString(c[1].ToArray()),
            _ => PingWrongArity,
        })),
        new("ECHO", 2, (c, _, _) => ValueTask.FromResult(RespValue.BulkString(c[1].ToArray()))),
        // The connection closes after this reply (RouterRespHandler watches for QUIT).
        new("QUIT", 1, (_, _, _) => ValueTask.FromResult(Ok)),
        new("HELLO", -1, (c, s, _) => ValueTask.FromResult(Hello(c, s))),
        new("AUTH", -2, (_, _, _) => ValueTask.FromResult(RouterRespErrors.NoAuth)),
        new("SELECT", 2, (c, _, _) => ValueTask.FromResult(Select(c))),
        new("CLIENT", -2, (c, s, _) => ValueTask.FromResult(Client(c, s))),
        new("COMMAND", -1, (c, _, _) => ValueTask.FromResult(c.ArgumentIs(1, "COUNT"u8) ? RespValue.Integer(Commands.Count) : EmptyArray)),
        new("CONFIG", -2, (c, _, _) => ValueTask.FromResult(Config(c))),
    ];

    private static RespValue Select(RespCommand command) =>
        !RespInteger.TryParse(command[1], out long db) ? RouterRespErrors.NotInteger
        : db == 0 ? Ok
        : RouterRespErrors.DatabaseOutOfRange;

    /// <summary>HELLO [protover [AUTH user pass] [SETNAME name]]: RESP2 only, so HELLO 3 gets NOPROTO and clients fall back.</summary>
    private static RespValue Hello(RespCommand command, RespClientState client)
    {
        if (command.Count > 1)
        {
            if (!RespInteger.TryParse(command[1], out long version) || version is < 2 or > 3)
            {
                return RouterRespErrors.UnsupportedProtocol;
            }

            if (version == 3)
            {
                return RouterRespErrors.Resp2Only;
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
                    return command.ArgumentIs(i, "AUTH"u8) && i + 2 < command.Count ? RouterRespErrors.NoAuth : RouterRespErrors.Syntax;
                }
            }

            client.Name = name;
        }

        return RespValue.Array(
            RespValue.BulkString("server"), RespValue.BulkString("redis"),
            RespValue.BulkString("version"), RespValue.BulkString(CompatibleRedisVersion),
            RespValue.BulkString("proto"), RespValue.Integer(2),
            RespValue.BulkString("id"), RespValue.Integer(client.Id),
            RespValue.BulkString("mode"), RespValue.BulkString("standalone"),
            RespValue.BulkString("role"), RespValue.BulkString("master"),
            RespValue.BulkString("modules"), EmptyArray);
    }

    private static RespValue Client(RespCommand command, RespClientState client)
    {
        if (command.ArgumentIs(1, "SETNAME"u8) && command.Count == 3)
        {
            client.Name = Encoding.UTF8.GetString(command[2]);
            return Ok;
        }

        if (command.ArgumentIs(1, "GETNAME"u8) && command.Count == 2)
        {
            return client.Name is null ? RespValue.NullBulkString : RespValue.BulkString(client.Name);
        }

        if (command.ArgumentIs(1, "ID"u8) && command.Count == 2)
        {
            return RespValue.Integer(client.Id);
        }

        return command.ArgumentIs(1, "SETINFO"u8) && command.Count == 4 ? Ok : RouterRespErrors.UnknownClientSubcommand;
    }

    /// <summary>CONFIG GET parameter: the few settings clients read (redis-benchmark reads save and appendonly), as a node answers them.</summary>
    private static RespValue Config(RespCommand command)
    {
        if (!command.ArgumentIs(1, "GET"u8) || command.Count != 3)
        {
            return RouterRespErrors.ConfigGetOnly;
        }

        string name = Encoding.UTF8.GetString(command[2]).ToLowerInvariant();
        string? value = name switch
        {
            "save" => "",
            "appendonly" => "no",
            "maxmemory-policy" => "allkeys-lru",
            "databases" => "1",
            _ => null,
        };
        return value is null ? EmptyArray : RespValue.Array(RespValue.BulkString(name), RespValue.BulkString(value));
    }
}
