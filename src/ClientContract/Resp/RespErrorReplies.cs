using System.Text;
using KubeCache.Protocol;

namespace KubeCache.ClientContract.Resp;

/// <summary>
/// The error replies nodes and routers both give, in Redis's wording, so a client cannot tell
/// the two apart. Each process adds the errors only it gives.
/// </summary>
public static class RespErrorReplies
{
    /// <summary>Arguments echoed back in an unknown-command error, as Redis shows them.</summary>
    private const int EchoedArguments = 8;

    public static RespValue Syntax { get; } = RespValue.Error("ERR syntax error");

    /// <summary>SCAN with a cursor the server never gave out.</summary>
    public static RespValue InvalidCursor { get; } = RespValue.Error("ERR invalid cursor");

    public static RespValue NotInteger { get; } = RespValue.Error("ERR value is not an integer or out of range");

    public static RespValue DatabaseOutOfRange { get; } = RespValue.Error("ERR DB index is out of range (KubeCache has database 0 only)");

    /// <summary>AUTH on a server without keys, in Redis's words.</summary>
    public static RespValue NoAuth { get; } = RespValue.Error(
        "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?");

    public static RespValue UnsupportedProtocol { get; } = RespValue.Error("NOPROTO unsupported protocol version");

    public static RespValue ProtocolNotInteger { get; } = RespValue.Error("ERR Protocol version is not an integer or out of range");

    public static RespValue UnknownClientSubcommand { get; } = RespValue.Error(
        "ERR unknown CLIENT subcommand; KubeCache supports SETNAME, GETNAME, ID and SETINFO");

    public static string UnknownCommand(RespCommand command)
    {
        var text = new StringBuilder("ERR unknown command '").Append(Printable(command[0])).Append("', with args beginning with:");
        for (int i = 1; i < command.Count && i <= EchoedArguments; i++)
        {
            text.Append(" '").Append(Printable(command[i])).Append('\'');
        }

        return text.ToString();
    }

    public static string WrongArity(string name) => $"ERR wrong number of arguments for '{name.ToLowerInvariant()}' command";

    /// <summary>CONFIG with anything but GET; <paramref name="configured"/> names what takes flags ("nodes", "the router").</summary>
    public static RespValue ConfigGetOnly(string configured) => RespValue.Error(
        $"ERR KubeCache supports CONFIG GET <parameter> only; configure {configured} with flags or KVCACHE_* variables");

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
