using System.Buffers;
using KubeCache.Protocol.Tests.Support;

namespace KubeCache.Protocol.Tests;

public sealed class RespCommandReaderTests
{
    private const string SetFrame = "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n";

    [Fact]
    public void TryRead_OneFrame_ReturnsArgumentsAndConsumesFrame()
    {
        var buffer = new ReadOnlySequence<byte>(Bytes.Of(SetFrame + "*1"));
        using var command = new RespCommand();

        RespReadStatus status = RespCommandReader.TryRead(ref buffer, RespLimits.Default, command, out RespReadError error);

        Assert.Equal(RespReadStatus.Complete, status);
        Assert.Equal(RespErrorKind.None, error.Kind);
        Assert.Equal(["SET", "key", "value"], Bytes.Arguments(command));
        Assert.Equal("*1", Bytes.Text(buffer));
    }

    [Fact]
    public void TryRead_EveryProperPrefix_IsIncompleteAndConsumesNothing()
    {
        byte[] frame = Bytes.Of(SetFrame);
        for (int length = 0; length < frame.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(frame, 0, length);
            using var command = new RespCommand();

            RespReadStatus status = RespCommandReader.TryRead(ref buffer, RespLimits.Default, command, out _);

            Assert.Equal(RespReadStatus.Incomplete, status);
            Assert.Equal(length, buffer.Length);
            Assert.Equal(0, command.Count);
        }
    }

    [Fact]
    public void TryRead_SplitAtEveryPosition_ReadsSameCommands()
    {
        byte[] data = Bytes.Of(SetFrame + "*2\r\n$4\r\nECHO\r\n$4\r\na\r\nb\r\n" + "PING\r\n");
        string[][] expected = [["SET", "key", "value"], ["ECHO", "a\r\nb"], ["PING"]];

        foreach (ReadOnlySequence<byte> input in Segments.EveryTwoWaySplit(data))
        {
            (List<string[]> commands, RespReadStatus status, ReadOnlySequence<byte> rest) = Commands.ReadAll(input);
            Assert.Equal(expected, commands);
            Assert.Equal(RespReadStatus.Incomplete, status);
            Assert.True(rest.IsEmpty);
        }
    }

    [Fact]
    public void TryRead_OneBytePerSegment_ReadsSameCommands()
    {
        byte[] data = Bytes.Of(SetFrame + SetFrame);

        (List<string[]> commands, _, _) = Commands.ReadAll(Segments.OneBytePerSegment(data));

        Assert.Equal([["SET", "key", "value"], ["SET", "key", "value"]], commands);
    }

    [Fact]
    public void TryRead_InputArrivingByteByByte_CompletesOnlyAtFrameEnd()
    {
        // The same array grows, as a pipe's buffer does: the reader resumes where it stopped.
        byte[] data = Bytes.Of(SetFrame);
        using var command = new RespCommand();
        for (int length = 1; length <= data.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(data, 0, length);
            RespReadStatus status = RespCommandReader.TryRead(ref buffer, RespLimits.Default, command, out _);

            Assert.Equal(length == data.Length ? RespReadStatus.Complete : RespReadStatus.Incomplete, status);
        }

        Assert.Equal(["SET", "key", "value"], Bytes.Arguments(command));
    }

    [Fact]
    public void TryRead_ResumedThenDifferentInput_ParsesNewInputFromStart()
    {
        using var command = new RespCommand();
        var partial = new ReadOnlySequence<byte>(Bytes.Of("*2\r\n$3\r\nGET\r\n$1"));
        Assert.Equal(RespReadStatus.Incomplete, RespCommandReader.TryRead(ref partial, RespLimits.Default, command, out _));

        var other = new ReadOnlySequence<byte>(Bytes.Of("*1\r\n$4\r\nPING\r\n"));
        Assert.Equal(RespReadStatus.Complete, RespCommandReader.TryRead(ref other, RespLimits.Default, command, out _));

        Assert.Equal(["PING"], Bytes.Arguments(command));
    }

    [Fact]
    public void TryRead_ResumedThenSameArrayAtOtherStart_ParsesNewInputFromStart()
    {
        const string Partial = "*2\r\n$3\r\nGET\r\n$1";
        byte[] data = Bytes.Of(Partial + "\r\nk\r\n" + string.Concat(Enumerable.Repeat("*1\r\n$4\r\nPING\r\n", 3)));
        using var command = new RespCommand();
        var partial = new ReadOnlySequence<byte>(data, 0, Partial.Length);
        Assert.Equal(RespReadStatus.Incomplete, RespCommandReader.TryRead(ref partial, RespLimits.Default, command, out _));

        int pingStart = Partial.Length + 5;
        var ping = new ReadOnlySequence<byte>(data, pingStart, data.Length - pingStart);
        Assert.Equal(RespReadStatus.Complete, RespCommandReader.TryRead(ref ping, RespLimits.Default, command, out _));

        Assert.Equal(["PING"], Bytes.Arguments(command));
    }

    [Fact]
    public void TryRead_PipelinedFrames_ReadsAllInOrder()
    {
        var text = new System.Text.StringBuilder();
        for (int i = 0; i < 1000; i++)
        {
            string key = $"key:{i}";
            text.Append($"*2\r\n$3\r\nGET\r\n${key.Length}\r\n{key}\r\n");
        }

        (List<string[]> commands, _, ReadOnlySequence<byte> rest) = Commands.ReadAll(Segments.Chunked(Bytes.Of(text.ToString()), 4096));

        Assert.Equal(1000, commands.Count);
        Assert.Equal(["GET", "key:999"], commands[999]);
        Assert.True(rest.IsEmpty);
    }

    [Theory]
    [InlineData("*0\r\n")]
    [InlineData("*-1\r\n")]
    [InlineData("*-5\r\n")]
    public void TryRead_EmptyOrNullArray_IsSkippedLikeRedis(string empty)
    {
        var buffer = new ReadOnlySequence<byte>(Bytes.Of(empty + "*1\r\n$4\r\nPING\r\n" + empty));
        using var command = new RespCommand();

        Assert.Equal(RespReadStatus.Complete, RespCommandReader.TryRead(ref buffer, RespLimits.Default, command, out _));
        Assert.Equal(["PING"], Bytes.Arguments(command));
        Assert.Equal(RespReadStatus.Incomplete, RespCommandReader.TryRead(ref buffer, RespLimits.Default, command, out _));
        Assert.True(buffer.IsEmpty, "a trailing empty frame is consumed");
        Assert.Equal(0, command.Count);
    }

    [Fact]
    public void TryRead_BinaryBulkWithCrLfAndNul_IsKeptExactly()
    {
        byte[] value = [0, 13, 10, 255, (byte)'$', (byte)'*', 13, 10, 13];
        var writer = new ArrayBufferWriter<byte>();
        RespCommandWriter.Write(writer, "SET"u8, "k"u8.ToArray(), value);
        var buffer = new ReadOnlySequence<byte>(writer.WrittenMemory);
        using var command = new RespCommand();

        Assert.Equal(RespReadStatus.Complete, RespCommandReader.TryRead(ref buffer, RespLimits.Default, command, out _));
        Assert.Equal(value, command[2].ToArray());
        Assert.Equal("k", Bytes.Text(command[1]));
    }

    [Fact]
    public void TryRead_EmptyBulk_IsEmptyArgument() =>
        Assert.Equal(["SET", "", "v"], Commands.ReadOne("*3\r\n$3\r\nSET\r\n$0\r\n\r\n$1\r\nv\r\n"));

    [Fact]
    public void TryRead_LargeBulkInSmallSegments_CopiesWholeValue()
    {
        byte[] value = new byte[3_000_000];
        new Random(11).NextBytes(value);
        var writer = new ArrayBufferWriter<byte>();
        RespCommandWriter.Write(writer, "SET"u8, "big"u8.ToArray(), value);
        ReadOnlySequence<byte> buffer = Segments.Chunked(writer.WrittenSpan.ToArray(), 4096);
        using var command = new RespCommand();

        Assert.Equal(RespReadStatus.Complete, RespCommandReader.TryRead(ref buffer, RespLimits.Default, command, out _));
        Assert.True(command[2].SequenceEqual(value));
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void TryRead_FrameInOneSegment_ArgumentsPointIntoInput()
    {
        byte[] data = Bytes.Of(SetFrame);
        var buffer = new ReadOnlySequence<byte>(data);
        using var command = new RespCommand();

        RespCommandReader.TryRead(ref buffer, RespLimits.Default, command, out _);

        Assert.True(command[2].Overlaps(data));
    }

    [Fact]
    public void TryRead_FrameAcrossSegments_ArgumentsAreCopied()
    {
        byte[] data = Bytes.Of(SetFrame);
        ReadOnlySequence<byte> buffer = Segments.Split(data, 10);
        using var command = new RespCommand();

        RespCommandReader.TryRead(ref buffer, RespLimits.Default, command, out _);

        Assert.False(command[2].Overlaps(data));
        Assert.Equal("value", Bytes.Text(command[2]));
    }

    [Fact]
    public void TryRead_SteadyState_DoesNotAllocatePerCommand()
    {
        byte[] oneSegment = Bytes.Of(string.Concat(Enumerable.Repeat(SetFrame, 100)));
        ReadOnlySequence<byte> split = Segments.Chunked(oneSegment, 50);
        using var command = new RespCommand();
        for (int i = 0; i < 200; i++)
        {
            ReadAllInto(new ReadOnlySequence<byte>(oneSegment), command);
            ReadAllInto(split, command);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();

        int read = 0;
        for (int i = 0; i < 1000; i++)
        {
            read += ReadAllInto(new ReadOnlySequence<byte>(oneSegment), command);
            read += ReadAllInto(split, command);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(200_000, read);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Reset_AfterRead_ForgetsCommand()
    {
        ReadOnlySequence<byte> buffer = Segments.Split(Bytes.Of(SetFrame), 5);
        var command = new RespCommand();
        RespCommandReader.TryRead(ref buffer, RespLimits.Default, command, out _);

        command.Reset();

        Assert.Equal(0, command.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => command[0].Length);
    }

    private static int ReadAllInto(ReadOnlySequence<byte> buffer, RespCommand command)
    {
        int count = 0;
        while (RespCommandReader.TryRead(ref buffer, RespLimits.Default, command, out _) == RespReadStatus.Complete)
        {
            count++;
        }

        return count;
    }
}
