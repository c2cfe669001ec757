using System.Buffers;
using KubeCache.Protocol.Tests.Support;

namespace KubeCache.Protocol.Tests;

public sealed class RespCommandReaderErrorTests
{
    [Theory]
    [InlineData("*abc\r\n")]
    [InlineData("*\r\n")]
    [InlineData("*+1\r\n")]
    [InlineData("*01\r\n")]
    [InlineData("*1 \r\n")]
    [InlineData("*1\rx")]
    [InlineData("*1048577\r\n")]
    [InlineData("*2000000\r\n")]
    [InlineData("*99999999999999999999\r\n")]
    public void TryRead_BadArrayHeader_ReportsInvalidMultibulkLength(string input) =>
        Assert.Equal("Protocol error: invalid multibulk length", Commands.ReadError(input));

    [Fact]
    public void TryRead_ArrayHeaderWithoutCrLf_FailsAfterLongestNumber()
    {
        Assert.Equal(RespReadStatus.Incomplete, Commands.Read("*12345678901234567890"));
        Assert.Equal("Protocol error: invalid multibulk length", Commands.ReadError("*123456789012345678901234"));
    }

    [Theory]
    [InlineData("*1\r\n$abc\r\n")]
    [InlineData("*1\r\n$-1\r\n")]
    [InlineData("*1\r\n$\r\n")]
    [InlineData("*1\r\n$600000000\r\n")]
    [InlineData("*1\r\n$536870913\r\n")]
    public void TryRead_BadBulkHeader_ReportsInvalidBulkLength(string input) =>
        Assert.Equal("Protocol error: invalid bulk length", Commands.ReadError(input));

    [Theory]
    [InlineData("*1\r\nx", "Protocol error: expected '$', got 'x'")]
    [InlineData("*2\r\n$3\r\nGET\r\n:1\r\n", "Protocol error: expected '$', got ':'")]
    [InlineData("*1\r\n\r\n", "Protocol error: expected '$', got '\\x0d'")]
    public void TryRead_ArgumentNotBulk_ReportsExpectedDollar(string input, string message) =>
        Assert.Equal(message, Commands.ReadError(input));

    [Theory]
    [InlineData("*1\r\n$3\r\nGETX\r\n")]
    [InlineData("*1\r\n$3\r\nGET\n\r")]
    [InlineData("*1\r\n$3\r\nGET\rX")]
    public void TryRead_BulkNotFollowedByCrLf_ReportsMissingCrLf(string input) =>
        Assert.Equal("Protocol error: expected CRLF after bulk data", Commands.ReadError(input));

    [Fact]
    public void TryRead_ErrorAfterCompleteFrames_ReturnsFramesFirst()
    {
        var buffer = new ReadOnlySequence<byte>(Bytes.Of("*1\r\n$4\r\nPING\r\n*x\r\n"));
        using var command = new RespCommand();

        Assert.Equal(RespReadStatus.Complete, RespCommandReader.TryRead(ref buffer, RespLimits.Default, command, out _));
        Assert.Equal(RespReadStatus.ProtocolError, RespCommandReader.TryRead(ref buffer, RespLimits.Default, command, out RespReadError error));
        Assert.Equal(RespErrorKind.InvalidMultibulkLength, error.Kind);
        Assert.Equal("*x\r\n", Bytes.Text(buffer));
    }

    [Fact]
    public void TryRead_CustomLimits_AreEnforced()
    {
        var limits = new RespLimits { MaxArrayLength = 2, MaxBulkBytes = 3 };

        Assert.Equal(RespReadStatus.Complete, Commands.Read("*2\r\n$3\r\nGET\r\n$3\r\nabc\r\n", limits));
        Assert.Equal("Protocol error: invalid multibulk length", Commands.ReadError("*3\r\n", limits));
        Assert.Equal("Protocol error: invalid bulk length", Commands.ReadError("*1\r\n$4\r\n", limits));
    }

    [Fact]
    public void TryRead_HugeHeaders_RejectedWithoutAllocating()
    {
        Commands.ReadError("*1\r\n$600000000\r\n");
        using var command = new RespCommand();
        var arrayHeader = new ReadOnlySequence<byte>(Bytes.Of("*2000000\r\n"));
        var bulkHeader = new ReadOnlySequence<byte>(Bytes.Of("*1\r\n$600000000\r\n"));
        RespCommandReader.TryRead(ref arrayHeader, RespLimits.Default, command, out _);
        long before = GC.GetAllocatedBytesForCurrentThread();

        RespReadStatus array = RespCommandReader.TryRead(ref arrayHeader, RespLimits.Default, command, out _);
        RespReadStatus bulk = RespCommandReader.TryRead(ref bulkHeader, RespLimits.Default, command, out _);

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(RespReadStatus.ProtocolError, array);
        Assert.Equal(RespReadStatus.ProtocolError, bulk);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void TryRead_LargeAnnouncedSizesWithinLimits_WaitWithoutAllocating()
    {
        // A header alone must not make the reader reserve room for what it announces.
        using var command = new RespCommand();
        var manyArguments = new ReadOnlySequence<byte>(Bytes.Of("*1000000\r\n$3\r\nGET\r\n"));
        var bigBulk = new ReadOnlySequence<byte>(Bytes.Of("*1\r\n$500000000\r\nabc"));
        RespCommandReader.TryRead(ref bigBulk, RespLimits.Default, command, out _);
        long before = GC.GetAllocatedBytesForCurrentThread();

        RespReadStatus many = RespCommandReader.TryRead(ref manyArguments, RespLimits.Default, command, out _);
        RespReadStatus big = RespCommandReader.TryRead(ref bigBulk, RespLimits.Default, command, out _);

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(RespReadStatus.Incomplete, many);
        Assert.Equal(RespReadStatus.Incomplete, big);
        Assert.True(allocated < 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public void RespReadError_Default_HasNoMessage()
    {
        RespReadError error = default;

        Assert.Equal(RespErrorKind.None, error.Kind);
        Assert.Equal(string.Empty, error.ToString());
    }
}
