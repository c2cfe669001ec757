using System.Buffers;
using KubeCache.Protocol.Tests.Support;

namespace KubeCache.Protocol.Tests;

public sealed class RespCommandTests
{
    [Fact]
    public void NameIs_AnyCase_MatchesUpperName()
    {
        using RespCommand command = Read("*2\r\n$3\r\ngEt\r\n$2\r\nex\r\n");

        Assert.True(command.NameIs("GET"u8));
        Assert.False(command.NameIs("GETX"u8));
        Assert.False(command.NameIs("GE"u8));
        Assert.True(command.ArgumentIs(1, "EX"u8));
        Assert.False(command.ArgumentIs(2, "EX"u8));
    }

    [Fact]
    public void NameIs_NoCommand_ReturnsFalse() =>
        Assert.False(new RespCommand().NameIs("GET"u8));

    [Fact]
    public void TryCopyUpperName_FitsInDestination_WritesUpperCase()
    {
        using RespCommand command = Read("*1\r\n$6\r\nsEtNx1\r\n");
        Span<byte> name = stackalloc byte[16];

        Assert.True(command.TryCopyUpperName(name, out int written));
        Assert.Equal("SETNX1", Bytes.Text(name[..written]));
        Assert.Equal("sEtNx1", Bytes.Text(command[0]));
    }

    [Fact]
    public void TryCopyUpperName_TooLong_ReturnsFalse()
    {
        using RespCommand command = Read("*1\r\n$6\r\nSELECT\r\n");

        Assert.False(command.TryCopyUpperName(new byte[5], out int written));
        Assert.Equal(0, written);
    }

    [Fact]
    public void Indexer_OutOfRange_Throws()
    {
        using RespCommand command = Read("*1\r\n$4\r\nPING\r\n");

        Assert.Throws<ArgumentOutOfRangeException>(() => command[1].Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => command[-1].Length);
    }

    private static RespCommand Read(string frame)
    {
        var buffer = new ReadOnlySequence<byte>(Bytes.Of(frame));
        var command = new RespCommand();
        Assert.Equal(RespReadStatus.Complete, RespCommandReader.TryRead(ref buffer, RespLimits.Default, command, out _));
        return command;
    }
}
