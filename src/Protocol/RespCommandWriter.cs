using System.Buffers;

namespace KubeCache.Protocol;

/// <summary>
/// Writes commands the way clients send them: a RESP array of bulk strings, the first being
/// the command name. Used by tests and by the router when it forwards to nodes.
/// </summary>
public static class RespCommandWriter
{
    /// <summary>Writes <paramref name="name"/> followed by <paramref name="arguments"/>.</summary>
    public static void Write(IBufferWriter<byte> writer, ReadOnlySpan<byte> name, params ReadOnlySpan<ReadOnlyMemory<byte>> arguments)
    {
        RespWriter.WriteArrayHeader(writer, arguments.Length + 1);
        RespWriter.WriteBulkString(writer, name);
        foreach (ReadOnlyMemory<byte> argument in arguments)
        {
            RespWriter.WriteBulkString(writer, argument.Span);
        }
    }

    /// <summary>Writes a command whose name is <c>arguments[0]</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="arguments"/> is empty.</exception>
    public static void Write(IBufferWriter<byte> writer, IReadOnlyList<ReadOnlyMemory<byte>> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        RequireName(arguments.Count, nameof(arguments));
        RespWriter.WriteArrayHeader(writer, arguments.Count);
        for (int i = 0; i < arguments.Count; i++)
        {
            RespWriter.WriteBulkString(writer, arguments[i].Span);
        }
    }

    /// <summary>Writes a command whose name is <c>arguments[0]</c>, each string encoded as UTF-8.</summary>
    /// <exception cref="ArgumentException"><paramref name="arguments"/> is empty.</exception>
    public static void Write(IBufferWriter<byte> writer, params ReadOnlySpan<string> arguments)
    {
        RequireName(arguments.Length, nameof(arguments));
        RespWriter.WriteArrayHeader(writer, arguments.Length);
        foreach (string argument in arguments)
        {
            RespWriter.WriteBulkString(writer, argument);
        }
    }

    /// <summary>Writes a command read by <see cref="RespCommandReader"/> unchanged, e.g. to forward it.</summary>
    /// <exception cref="ArgumentException"><paramref name="command"/> holds no command.</exception>
    public static void Write(IBufferWriter<byte> writer, RespCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        RequireName(command.Count, nameof(command));
        RespWriter.WriteArrayHeader(writer, command.Count);
        for (int i = 0; i < command.Count; i++)
        {
            RespWriter.WriteBulkString(writer, command[i]);
        }
    }

    private static void RequireName(int count, string paramName)
    {
        if (count == 0)
        {
            ThrowHelper.ThrowArgument(paramName, "A command needs at least its name.");
        }
    }
}
