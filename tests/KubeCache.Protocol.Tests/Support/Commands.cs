using System.Buffers;

namespace KubeCache.Protocol.Tests.Support;

internal static class Commands
{
    /// <summary>Reads commands until the reader stops; returns them and the final status.</summary>
    public static (List<string[]> Commands, RespReadStatus Status, ReadOnlySequence<byte> Remaining) ReadAll(
        ReadOnlySequence<byte> input, RespLimits? limits = null)
    {
        using var command = new RespCommand();
        var commands = new List<string[]>();
        RespReadStatus status;
        while ((status = RespCommandReader.TryRead(ref input, limits ?? RespLimits.Default, command, out _)) == RespReadStatus.Complete)
        {
            commands.Add(Bytes.Arguments(command));
        }

        return (commands, status, input);
    }

    /// <summary>Reads exactly one command and asserts nothing is left.</summary>
    public static string[] ReadOne(ReadOnlySequence<byte> input)
    {
        (List<string[]> commands, RespReadStatus status, ReadOnlySequence<byte> rest) = ReadAll(input);
        Assert.Equal(RespReadStatus.Incomplete, status);
        Assert.True(rest.IsEmpty, $"{rest.Length} bytes left unread");
        return Assert.Single(commands);
    }

    public static string[] ReadOne(string input) => ReadOne(new ReadOnlySequence<byte>(Bytes.Of(input)));

    /// <summary>Reads expecting a protocol error and returns its message.</summary>
    public static string ReadError(string input, RespLimits? limits = null)
    {
        var buffer = new ReadOnlySequence<byte>(Bytes.Of(input));
        using var command = new RespCommand();
        RespReadStatus status = RespCommandReader.TryRead(ref buffer, limits ?? RespLimits.Default, command, out RespReadError error);
        Assert.Equal(RespReadStatus.ProtocolError, status);
        Assert.Equal(0, command.Count);
        return error.Message;
    }

    public static RespReadStatus Read(string input, RespLimits? limits = null)
    {
        var buffer = new ReadOnlySequence<byte>(Bytes.Of(input));
        using var command = new RespCommand();
        return RespCommandReader.TryRead(ref buffer, limits ?? RespLimits.Default, command, out _);
    }
}
