using System.Text;
using KubeCache.Protocol;

namespace KubeCache.Router.Resp;

/// <summary>Every error reply the router makes itself, in one place so the wording stays Redis-shaped and matches the node's.</summary>
internal static class RouterRespErrors
{
    /// <summary>Arguments echoed back in an unknown-command error; the node shows as many.</summary>
    private const int EchoedArguments = 8;

    public static RespValue UnknownCommand(RespCommand command)
    {
        var text = new StringBuilder("ERR unknown command '").Append(Printable(command[0])).Append("', with args beginning with:");
        for (int i = 1; i < command.Count && i <= EchoedArguments; i++)
        {
            text.Append(" '").Append(Printable(command[i])).Append('\'');
        }

        return RespValue.Error(text.ToString());
    }

    public static RespValue WrongArity(string name) =>
        RespValue.Error($"ERR wrong number of arguments for '{name.ToLowerInvariant()}' command");

    /// <summary>A node that could not answer, or no ring yet: the exception's message already says which and why.</summary>
    public static RespValue From(Exception failure) => RespValue.Error("ERR " + failure.Message);

    public static RespValue Internal(string name) => RespValue.Error($"ERR internal error while running '{name}'");

    public static readonly RespValue Syntax = RespValue.Error("ERR syntax error");

    public static readonly RespValue NotInteger = RespValue.Error("ERR value is not an integer or out of range");

    public static readonly RespValue InvalidCursor = RespValue.Error("ERR invalid cursor");

    public static readonly RespValue DatabaseOutOfRange = RespValue.Error("ERR DB index is out of range (KubeCache has database 0 only)");

    public static readonly RespValue NoAuth = RespValue.Error(
        "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?");

    public static readonly RespValue UnsupportedProtocol = RespValue.Error("NOPROTO unsupported protocol version");

    public static readonly RespValue Resp2Only = RespValue.Error("NOPROTO this server speaks RESP2 only; send HELLO 2 or no HELLO");

    public static readonly RespValue UnknownClientSubcommand = RespValue.Error(
        "ERR unknown CLIENT subcommand; KubeCache supports SETNAME, GETNAME, ID and SETINFO");

    public static readonly RespValue ConfigGetOnly = RespValue.Error(
        "ERR KubeCache supports CONFIG GET <parameter> only; configure the router with flags or KVCACHE_* variables");

    public static RespValue MalformedNodeReply(string command) => RespValue.Error($"ERR a node sent an unexpected reply to {command}");

    /// <summary>Bytes as text for an error message: printable ASCII kept, the rest escaped, long input cut.</summary>
    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder();
        foreach (byte b in bytes[..Math.Min(bytes.Length, 128)])
        {
            text.Append(b is >= 0x20 and < 0x7f and not (byte)'\'' ? (char)b : $"\\x{b:x2}");
        }

        return text.ToString();
    }
}
