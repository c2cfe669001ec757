using System.Buffers;
using KubeCache.Protocol.Tests.Support;

namespace KubeCache.Protocol.Tests;

public sealed class InlineCommandTests
{
    [Theory]
    [InlineData("PING\r\n", new[] { "PING" })]
    [InlineData("PING\n", new[] { "PING" })]
    [InlineData("set  k \t v\r\n", new[] { "set", "k", "v" })]
    [InlineData("  GET k  \n", new[] { "GET", "k" })]
    [InlineData("SET k \"hello world\"\r\n", new[] { "SET", "k", "hello world" })]
    [InlineData("SET k \"\"\r\n", new[] { "SET", "k", "" })]
    [InlineData("SET k ''\r\n", new[] { "SET", "k", "" })]
    [InlineData("SET k 'it\\'s'\r\n", new[] { "SET", "k", "it's" })]
    [InlineData("SET k 'a\\nb'\r\n", new[] { "SET", "k", "a\\nb" })]
    [InlineData("SET k \"a\\nb\\r\\t\\\\\\\"\"\r\n", new[] { "SET", "k", "a\nb\r\t\\\"" })]
    [InlineData("SET k \"\\x41\\xff\\x4\"\r\n", new[] { "SET", "k", "A\u00ffx4" })]
    [InlineData("SET k ab\"c d\"\r\n", new[] { "SET", "k", "abc d" })]
    [InlineData("SET k \"\\q\"\r\n", new[] { "SET", "k", "q" })]
    public void TryRead_InlineLine_SplitsLikeRedis(string input, string[] expected) =>
        Assert.Equal(expected, Commands.ReadOne(input));

    [Theory]
    [InlineData("SET k \"abc\r\n")]
    [InlineData("SET k 'abc\r\n")]
    [InlineData("SET k \"abc\"x\r\n")]
    [InlineData("SET k 'abc'x\r\n")]
    [InlineData("SET k \"abc\\\"\r\n")]
    public void TryRead_BadQuotes_ReportsUnbalancedQuotes(string input) =>
        Assert.Equal("Protocol error: unbalanced quotes in request", Commands.ReadError(input));

    [Fact]
    public void TryRead_EmptyLines_AreSkipped()
    {
        (List<string[]> commands, RespReadStatus status, ReadOnlySequence<byte> rest) =
            Commands.ReadAll(new ReadOnlySequence<byte>(Bytes.Of("\r\n\n   \r\nPING\r\n\r\n")));

        Assert.Equal([["PING"]], commands);
        Assert.Equal(RespReadStatus.Incomplete, status);
        Assert.True(rest.IsEmpty);
    }

    [Fact]
    public void TryRead_LineWithoutNewline_IsIncomplete() =>
        Assert.Equal(RespReadStatus.Incomplete, Commands.Read("GET key"));

    [Fact]
    public void TryRead_LineLongerThanLimitWithoutNewline_ReportsTooBigInlineRequest()
    {
        var limits = new RespLimits { MaxInlineBytes = 8 };

        Assert.Equal(RespReadStatus.Incomplete, Commands.Read("GET 1234", limits));
        Assert.Equal("Protocol error: too big inline request", Commands.ReadError("GET 12345", limits));
        Assert.Equal("Protocol error: too big inline request", Commands.ReadError("GET 12345\r\n", limits));
        Assert.Equal(RespReadStatus.Complete, Commands.Read("GET 1234\n", limits));
    }

    [Fact]
    public void TryRead_DefaultLimit_Is64KiB()
    {
        string word = new('a', 64 * 1024);

        Assert.Equal(RespReadStatus.Incomplete, Commands.Read(word));
        Assert.Equal("Protocol error: too big inline request", Commands.ReadError(word + "a"));
    }

    [Fact]
    public void TryRead_InlineSplitAtEveryPosition_ReadsSameCommands()
    {
        byte[] data = Bytes.Of("SET \"a b\" 'c'\r\nGET x\n*1\r\n$4\r\nPING\r\n");

        foreach (ReadOnlySequence<byte> input in Segments.EveryTwoWaySplit(data))
        {
            (List<string[]> commands, _, _) = Commands.ReadAll(input);
            Assert.Equal([["SET", "a b", "c"], ["GET", "x"], ["PING"]], commands);
        }
    }
}
