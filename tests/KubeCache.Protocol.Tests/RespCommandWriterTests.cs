using System.Buffers;
using KubeCache.Protocol.Tests.Support;

namespace KubeCache.Protocol.Tests;

public sealed class RespCommandWriterTests
{
    [Fact]
    public void Write_Strings_WritesArrayOfBulkStrings() =>
        Assert.Equal(
            "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n",
            Bytes.Written(w => RespCommandWriter.Write(w, "SET", "k", "")));

    [Fact]
    public void Write_NameAndMemories_WritesNameFirst() =>
        Assert.Equal(
            "*3\r\n$4\r\nMGET\r\n$1\r\na\r\n$2\r\n\r\n\r\n",
            Bytes.Written(w => RespCommandWriter.Write(w, "MGET"u8, "a"u8.ToArray(), "\r\n"u8.ToArray())));

    [Fact]
    public void Write_NameOnly_WritesOneElementArray() =>
        Assert.Equal("*1\r\n$4\r\nPING\r\n", Bytes.Written(w => RespCommandWriter.Write(w, "PING"u8)));

    [Fact]
    public void Write_List_WritesEveryArgument()
    {
        ReadOnlyMemory<byte>[] arguments = ["DEL"u8.ToArray(), new byte[] { 0, 255 }];

        Assert.Equal("*2\r\n$3\r\nDEL\r\n$2\r\n\0\u00ff\r\n", Bytes.Written(w => RespCommandWriter.Write(w, arguments)));
    }

    [Fact]
    public void Write_NoArguments_Throws()
    {
        var writer = new ArrayBufferWriter<byte>();

        Assert.Throws<ArgumentException>(() => RespCommandWriter.Write(writer, Array.Empty<ReadOnlyMemory<byte>>()));
        Assert.Throws<ArgumentException>(() => RespCommandWriter.Write(writer, ReadOnlySpan<string>.Empty));
        Assert.Throws<ArgumentException>(() => RespCommandWriter.Write(writer, new RespCommand()));
    }

    [Fact]
    public void Write_ReadCommand_ForwardsTheSameFrame()
    {
        byte[] frame = Bytes.Of("*2\r\n$3\r\nGET\r\n$3\r\na\nb\r\n");
        var input = new ReadOnlySequence<byte>(frame);
        using var command = new RespCommand();
        Assert.Equal(RespReadStatus.Complete, RespCommandReader.TryRead(ref input, RespLimits.Default, command, out _));

        Assert.Equal(Bytes.Text(frame), Bytes.Written(w => RespCommandWriter.Write(w, command)));
    }
}
