using System.Buffers;
using System.Text;
using KubeCache.Fuzz.Tests.Fuzzing;
using KubeCache.Fuzz.Tests.Targets;
using KubeCache.HttpContract;
using KubeCache.Protocol;

namespace KubeCache.Fuzz.Tests.Regressions;

/// <summary>Bugs the fuzzers found, each pinned by its minimised input and a direct check.</summary>
public sealed class ParserRegressionTests
{
    // JsonRequest copied a string's bytes unchecked when it lay in one segment, but the reader
    // rejected the same bytes when they spanned segments, as "an escaped lone surrogate".
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(100)]
    public void ReadItem_NonUtf8StringInAnySegmentation_RejectedAsNotUtf8(int segmentBytes)
    {
        byte[] body = [.. "{\"key\":\""u8, 0x99, .. "\",\"value\":\"v\"}"u8];
        ReadOnlySequence<byte> segmented = SegmentChain.Of(body.Chunk(segmentBytes));

        var e = Assert.Throws<JsonRequestException>(() => JsonRequest.ReadItem(segmented));

        Assert.Contains("not valid UTF-8", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void JsonRequestTarget_NonUtf8PropertyNameReproducer_HoldsOracle() =>
        Assert.Equal("item=error items=error keys=error", FuzzRunner.Replay(new JsonRequestTarget(), 7171, 21, "eyKZIjo="));

    // Two lone high surrogates encoded as a pair need 6 bytes, and the 4-byte scratch span threw ArgumentException.
    [Fact]
    public void Get_TwoLoneHighSurrogates_DecodesEachAsReplacementChar()
    {
        byte[]? key = QueryParameters.Get("key=\ud800\ud800", "key");

        Assert.Equal("\uFFFD\uFFFD"u8.ToArray(), key);
    }

    // A lone high surrogate was encoded together with the char after it, so an escape right after it stayed literal.
    [Fact]
    public void Get_LoneSurrogateBeforeEscape_DecodesTheEscape()
    {
        Assert.Equal([0xEF, 0xBF, 0xBD, 0xAA], QueryParameters.Get("key=\ud800%aa", "key"));
        Assert.Equal([0xEF, 0xBF, 0xBD, (byte)' ', (byte)'x'], QueryParameters.Get("key=\ud800+x", "key"));
        Assert.Equal(Encoding.UTF8.GetBytes("\ud83d\ude00"), QueryParameters.Get("key=\ud83d\ude00", "key"));
    }

    [Fact]
    public void QueryParametersTarget_LoneSurrogateReproducer_HoldsOracle() =>
        Assert.Equal("1 of 4 names present", FuzzRunner.Replay(new QueryParametersTarget(), 7171, 1396, "a2V5Pe2ggCVhYQ=="));

    // The reply reader took an LF inside a simple string or error as text; no writer can send
    // that line back (RespWriter turns line breaks into spaces), so the reply did not round-trip.
    [Theory]
    [InlineData("+a\nb\r\n")]
    [InlineData("-\n\r\n")]
    [InlineData("*1\r\n+OK\n\r\n")]
    public void TryRead_LineFeedInsideLine_IsProtocolError(string reply)
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(reply));

        RespReadStatus status = RespReplyReader.TryRead(ref buffer, RespLimits.Default, out _, out RespReadError error);

        Assert.Equal((RespReadStatus.ProtocolError, RespErrorKind.LineFeedInLine), (status, error.Kind));
        Assert.Equal("Protocol error: LF inside a simple string or error", error.Message);
    }
}
