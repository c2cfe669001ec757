using System.Buffers;
using KubeCache.Protocol.Tests.Support;

namespace KubeCache.Protocol.Tests;

public sealed class RespReplyReaderTests
{
    public static TheoryData<string, RespValue> Replies => new()
    {
        { "+OK\r\n", RespValue.SimpleString("OK") },
        { "+\r\n", RespValue.SimpleString("") },
        { "-ERR wrong\r\n", RespValue.Error("ERR wrong") },
        { ":0\r\n", RespValue.Integer(0) },
        { ":-9223372036854775808\r\n", RespValue.Integer(long.MinValue) },
        { "$3\r\na\r\n\r\n", RespValue.BulkString("a\r\n") },
        { "$0\r\n\r\n", RespValue.BulkString("") },
        { "$-1\r\n", RespValue.NullBulkString },
        { "*-1\r\n", RespValue.NullArray },
        { "*0\r\n", RespValue.Array() },
        {
            "*3\r\n:1\r\n*2\r\n$1\r\nx\r\n$-1\r\n-ERR e\r\n",
            RespValue.Array(RespValue.Integer(1), RespValue.Array(RespValue.BulkString("x"), RespValue.NullBulkString), RespValue.Error("ERR e"))
        },
    };

    [Theory]
    [MemberData(nameof(Replies))]
    public void TryRead_Reply_ReturnsValue(string input, RespValue expected)
    {
        var buffer = new ReadOnlySequence<byte>(Bytes.Of(input + "+next"));

        RespReadStatus status = RespReplyReader.TryRead(ref buffer, out RespValue? value);

        Assert.Equal(RespReadStatus.Complete, status);
        Assert.Equal(expected, value);
        Assert.Equal("+next", Bytes.Text(buffer));
    }

    [Theory]
    [MemberData(nameof(Replies))]
    public void TryRead_EveryProperPrefix_IsIncompleteAndConsumesNothing(string input, RespValue expected)
    {
        _ = expected;
        byte[] data = Bytes.Of(input);
        for (int length = 0; length < data.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(data, 0, length);

            Assert.Equal(RespReadStatus.Incomplete, RespReplyReader.TryRead(ref buffer, out RespValue? value));
            Assert.Null(value);
            Assert.Equal(length, buffer.Length);
        }
    }

    [Fact]
    public void TryRead_SplitAtEveryPosition_ReadsSameValues()
    {
        byte[] data = Bytes.Of("*2\r\n$5\r\nhello\r\n:42\r\n+OK\r\n-ERR x\r\n");

        foreach (ReadOnlySequence<byte> input in Segments.EveryTwoWaySplit(data))
        {
            ReadOnlySequence<byte> buffer = input;
            var values = new List<RespValue>();
            while (RespReplyReader.TryRead(ref buffer, out RespValue? value) == RespReadStatus.Complete)
            {
                values.Add(value!);
            }

            Assert.Equal(["[\"hello\", (integer) 42]", "OK", "(error) ERR x"], values.Select(v => v.ToString()));
            Assert.True(buffer.IsEmpty);
        }
    }

    [Theory]
    [InlineData("?x\r\n", "Protocol error: unexpected reply type '?'")]
    [InlineData(":1x\r\n", "Protocol error: invalid integer")]
    [InlineData(":\r\n", "Protocol error: invalid integer")]
    [InlineData("$-2\r\n", "Protocol error: invalid bulk length")]
    [InlineData("$x\r\n", "Protocol error: invalid bulk length")]
    [InlineData("$600000000\r\n", "Protocol error: invalid bulk length")]
    [InlineData("$1\r\nab\r\n", "Protocol error: expected CRLF after bulk data")]
    [InlineData("*-2\r\n", "Protocol error: invalid multibulk length")]
    [InlineData("*2000000\r\n", "Protocol error: invalid multibulk length")]
    [InlineData("*1\r\n!\r\n", "Protocol error: unexpected reply type '!'")]
    [InlineData("+OK\rx", "Protocol error: expected LF after CR")]
    public void TryRead_Malformed_ReportsError(string input, string message)
    {
        var buffer = new ReadOnlySequence<byte>(Bytes.Of(input));

        RespReadStatus status = RespReplyReader.TryRead(ref buffer, RespLimits.Default, out RespValue? value, out RespReadError error);

        Assert.Equal(RespReadStatus.ProtocolError, status);
        Assert.Null(value);
        Assert.Equal(message, error.Message);
        Assert.Equal(input.Length, buffer.Length);
    }

    /// <summary>+OK, most writes' reply, is the shared <see cref="RespValue.Ok"/>, split or not; other lines (an error "OK", "OKAY") are their own.</summary>
    [Fact]
    public void TryRead_Ok_IsTheSharedValueAndOtherLinesAreNot()
    {
        var whole = new ReadOnlySequence<byte>(Bytes.Of("+OK\r\n"));
        ReadOnlySequence<byte> split = Segments.Split(Bytes.Of("+OK\r\n"), 2);
        var others = new ReadOnlySequence<byte>(Bytes.Of("-OK\r\n+OKAY\r\n+ok\r\n"));

        Assert.Equal(RespReadStatus.Complete, RespReplyReader.TryRead(ref whole, out RespValue? fromWhole));
        Assert.Equal(RespReadStatus.Complete, RespReplyReader.TryRead(ref split, out RespValue? fromSplit));
        Assert.Same(RespValue.Ok, fromWhole);
        Assert.Equal(RespValue.SimpleString("OK"), fromSplit);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(RespReadStatus.Complete, RespReplyReader.TryRead(ref others, out RespValue? other));
            Assert.NotSame(RespValue.Ok, other);
            Assert.NotEqual(RespValue.Ok, other);
        }
    }

    [Fact]
    public void TryRead_LineLongerThanLimit_ReportsTooBigLine()
    {
        var limits = new RespLimits { MaxInlineBytes = 4 };
        var fits = new ReadOnlySequence<byte>(Bytes.Of("+abcd"));
        var tooLong = new ReadOnlySequence<byte>(Bytes.Of("+abcde"));

        Assert.Equal(RespReadStatus.Incomplete, RespReplyReader.TryRead(ref fits, limits, out _, out _));
        Assert.Equal(RespReadStatus.ProtocolError, RespReplyReader.TryRead(ref tooLong, limits, out _, out RespReadError error));
        Assert.Equal(RespErrorKind.LineTooLong, error.Kind);
    }

    [Fact]
    public void TryRead_NestedDeeperThanMaxDepth_ReportsError()
    {
        string deep = string.Concat(Enumerable.Repeat("*1\r\n", RespReplyReader.MaxDepth + 1)) + ":1\r\n";
        string allowed = string.Concat(Enumerable.Repeat("*1\r\n", RespReplyReader.MaxDepth)) + ":1\r\n";
        var deepBuffer = new ReadOnlySequence<byte>(Bytes.Of(deep));
        var allowedBuffer = new ReadOnlySequence<byte>(Bytes.Of(allowed));

        Assert.Equal(RespReadStatus.Complete, RespReplyReader.TryRead(ref allowedBuffer, out _));
        Assert.Equal(RespReadStatus.ProtocolError, RespReplyReader.TryRead(ref deepBuffer, RespLimits.Default, out _, out RespReadError error));
        Assert.Equal(RespErrorKind.NestingTooDeep, error.Kind);
    }

    [Fact]
    public void TryRead_LargeArrayHeaderWithoutElements_WaitsWithoutAllocating()
    {
        var buffer = new ReadOnlySequence<byte>(Bytes.Of("*1000000\r\n:1\r\n"));
        RespReplyReader.TryRead(ref buffer, out _);
        long before = GC.GetAllocatedBytesForCurrentThread();

        RespReadStatus status = RespReplyReader.TryRead(ref buffer, out _);

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(RespReadStatus.Incomplete, status);
        Assert.True(allocated < 1024, $"allocated {allocated} bytes");
    }
}
