using System.Buffers;
using KubeCache.Fuzz.Tests.Fuzzing;
using KubeCache.Protocol;

namespace KubeCache.Fuzz.Tests.Targets;

/// <summary>
/// The client-side RESP reader (<see cref="RespReplyReader"/>). Oracle: reading ends in replies
/// then Incomplete or a documented protocol error; chunked feeding gives the same transcript as
/// whole feeding; every reply written again with <see cref="RespWriter.WriteValue"/> reads back
/// equal; a read allocates at most 64 bytes per input byte plus 64 KiB (a reply object per
/// value, however many elements an array header announces).
/// </summary>
public sealed class RespReplyTarget : IFuzzTarget
{
    public static readonly RespLimits SmallLimits = new() { MaxBulkBytes = 1024, MaxArrayLength = 32, MaxInlineBytes = 256 };

    public string Name => "resp-reply";

    public IReadOnlyList<byte[]> Corpus { get; } = FuzzTokens.Ascii(
        "+OK\r\n",
        "-ERR unknown command 'FOO'\r\n:42\r\n:-9223372036854775808\r\n",
        "$5\r\nhello\r\n$-1\r\n$0\r\n\r\n",
        "*3\r\n$3\r\nfoo\r\n$-1\r\n:7\r\n*-1\r\n*0\r\n",
        "*2\r\n*2\r\n+a\r\n-b\r\n*1\r\n$4\r\nx\r\ny\r\n",
        "*2\r\n$1\r\n0\r\n*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");

    public IReadOnlyList<byte[]> Tokens { get; } = FuzzTokens.Ascii(
        "*1\r\n", "*2\r\n", "+", "-", ":", "$", "*", "$-1\r\n", "*-1\r\n", "+x\r\n", ":0\r\n", "\r\n", "$3\r\nabc\r\n");

    public IReadOnlyList<byte> Alphabet { get; } = "*$:+-\r\n0123456789 abc"u8.ToArray();

    public string Run(FuzzCase fuzzCase)
    {
        byte[] input = fuzzCase.Input;
        foreach (RespLimits limits in new[] { SmallLimits, RespLimits.Default })
        {
            Oracle.WithinAllocation(input.Length, 64, 64 * 1024, () => RespFeeder.Whole<RespValue>(input, Reader(limits)));
        }

        RespTranscript<RespValue> whole = RespFeeder.Whole<RespValue>(input, Reader(SmallLimits));
        List<byte[]> chunks = SegmentChain.Split(input, fuzzCase.NewRandom());
        RespTranscript<RespValue> chunked = RespFeeder.Chunked<RespValue>(chunks, Reader(SmallLimits));
        Oracle.That(chunked.SameAs(whole, Equals), "chunked", $"fed in {chunks.Count} chunks the reader gave {chunked}; fed whole, {whole}");
        foreach (RespValue reply in whole.Frames)
        {
            var written = new ArrayBufferWriter<byte>();
            RespWriter.WriteValue(written, reply);
            RespTranscript<RespValue> again = RespFeeder.Whole<RespValue>(written.WrittenSpan.ToArray(), Reader(RespLimits.Default));
            Oracle.That(again.Frames.Count == 1 && again.Remaining == 0 && again.Frames[0].Equals(reply), "round-trip",
                $"the reply {reply} written again reads back as {again} ({(again.Frames.Count > 0 ? again.Frames[0] : "nothing")})");
        }

        return whole.Outcome;
    }

    private static FrameReader<RespValue> Reader(RespLimits limits) =>
        (ref ReadOnlySequence<byte> buffer, out RespValue? frame, out RespReadError error) =>
            RespReplyReader.TryRead(ref buffer, limits, out frame, out error);
}
