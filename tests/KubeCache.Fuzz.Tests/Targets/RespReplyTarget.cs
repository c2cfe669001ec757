using System.Buffers;
using KubeCache.Fuzz.Tests.Fuzzing;
using KubeCache.Protocol;

namespace KubeCache.Fuzz.Tests.Targets;

/// <summary>
/// The client-side RESP reader (<see cref="RespReplyReader"/>). Oracle: reading ends in replies
/// then Incomplete or a documented protocol error; chunked feeding gives the same transcript as
/// whole feeding; every reply written again in RESP2 with <see cref="RespWriter.WriteValue(IBufferWriter{byte}, RespValue)"/>
/// reads back equal (RESP3 types take their RESP2 shape there, so only replies without them), and
/// written in RESP3 reads back as a value that writes the same bytes; a read allocates at most 64 bytes per input byte plus 64 KiB (a reply object per
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
        "*2\r\n$1\r\n0\r\n*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n",
        "%2\r\n$1\r\na\r\n_\r\n+b\r\n~2\r\n,1.5\r\n=5\r\ntxt:x\r\n");

    public IReadOnlyList<byte[]> Tokens { get; } = FuzzTokens.Ascii(
        "*1\r\n", "*2\r\n", "+", "-", ":", "$", "*", "$-1\r\n", "*-1\r\n", "+x\r\n", ":0\r\n", "\r\n", "$3\r\nabc\r\n",
        "_\r\n", "%1\r\n", "~1\r\n", ",-2.5\r\n", "=5\r\ntxt:a\r\n");

    public IReadOnlyList<byte> Alphabet { get; } = "*$:+-_%~,=\r\n0123456789 abc"u8.ToArray();

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
            if (!HasResp3Kind(reply))
            {
                byte[] written = Written(reply, RespProtocol.Resp2);
                RespTranscript<RespValue> again = RespFeeder.Whole<RespValue>(written, Reader(RespLimits.Default));
                Oracle.That(again.Frames.Count == 1 && again.Remaining == 0 && again.Frames[0].Equals(reply), "round-trip",
                    $"the reply {reply} written again reads back as {again} ({(again.Frames.Count > 0 ? again.Frames[0] : "nothing")})");
            }

            byte[] resp3 = Written(reply, RespProtocol.Resp3);
            RespTranscript<RespValue> read3 = RespFeeder.Whole<RespValue>(resp3, Reader(RespLimits.Default));
            Oracle.That(read3.Frames.Count == 1 && read3.Remaining == 0 && Written(read3.Frames[0], RespProtocol.Resp3).AsSpan().SequenceEqual(resp3), "round-trip-resp3",
                $"the reply {reply} written in RESP3 reads back as {read3}");
        }

        return whole.Outcome;
    }

    private static byte[] Written(RespValue reply, RespProtocol protocol)
    {
        var written = new ArrayBufferWriter<byte>();
        RespWriter.WriteValue(written, reply, protocol);
        return written.WrittenSpan.ToArray();
    }

    private static bool HasResp3Kind(RespValue reply) =>
        reply.Kind is RespValueKind.Null or RespValueKind.Double or RespValueKind.Map or RespValueKind.Set or RespValueKind.VerbatimString
        || reply.Items.Any(HasResp3Kind);

    private static FrameReader<RespValue> Reader(RespLimits limits) =>
        (ref ReadOnlySequence<byte> buffer, out RespValue? frame, out RespReadError error) =>
            RespReplyReader.TryRead(ref buffer, limits, out frame, out error);
}
