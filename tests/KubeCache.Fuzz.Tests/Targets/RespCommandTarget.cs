using System.Buffers;
using KubeCache.Fuzz.Tests.Fuzzing;
using KubeCache.Protocol;

namespace KubeCache.Fuzz.Tests.Targets;

/// <summary>
/// The server-side RESP reader (<see cref="RespCommandReader"/>), under small limits so the
/// limit checks are reachable with inputs of a few KiB, and under the defaults. Oracle: reading
/// ends in commands then Incomplete or a documented protocol error; feeding the input in random
/// chunks (and byte by byte, for short inputs) gives the same transcript as feeding it whole;
/// every command, written again with <see cref="RespCommandWriter"/>, reads back equal; a read
/// allocates at most 32 bytes per input byte plus 64 KiB.
/// </summary>
public sealed class RespCommandTarget : IFuzzTarget
{
    public static readonly RespLimits SmallLimits = new() { MaxBulkBytes = 1024, MaxArrayLength = 32, MaxInlineBytes = 256 };

    private readonly Func<ReadOnlySequence<byte>, RespLimits, RespCommand, (RespReadStatus, ReadOnlySequence<byte>, RespReadError)> _read;

    public RespCommandTarget()
        : this(DefaultRead)
    {
    }

    /// <summary>A target around another reader, so a test can show the oracle catching a broken one.</summary>
    public RespCommandTarget(Func<ReadOnlySequence<byte>, RespLimits, RespCommand, (RespReadStatus, ReadOnlySequence<byte>, RespReadError)> read)
    {
        _read = read;
    }

    public string Name => "resp-command";

    public IReadOnlyList<byte[]> Corpus { get; } = FuzzTokens.Ascii(
        "*1\r\n$4\r\nPING\r\n",
        "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n",
        "*5\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n$2\r\nEX\r\n$2\r\n10\r\n",
        "*0\r\n*-1\r\n*2\r\n$4\r\nECHO\r\n$6\r\na\r\nb\0c\r\n",
        "PING\r\nSET key \"va\\x41l\\n\" 'it\\'s'\r\n\r\nGET key\n",
        "*7\r\n$4\r\nMSET\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n",
        "  get   \"a b\"  \t c\r\n*1\r\n$8\r\nDBSIZE\r\n");

    public IReadOnlyList<byte[]> Tokens { get; } = FuzzTokens.Ascii(
        "*", "$", "*1\r\n", "$1\r\na\r\n", "*1\r\n$1\r\n", "$-1\r\n", "*-1\r\n", "*0\r\n", "\r\n", "\"", "'", "\\x", "\\", " ", "$0\r\n\r\n");

    public IReadOnlyList<byte> Alphabet { get; } = "*$:+-\r\n0123456789 \"'\\xabc"u8.ToArray();

    public string Run(FuzzCase fuzzCase)
    {
        byte[] input = fuzzCase.Input;
        FuzzRandom random = fuzzCase.NewRandom();
        foreach (RespLimits limits in new[] { SmallLimits, RespLimits.Default })
        {
            Oracle.WithinAllocation(input.Length, 32, 64 * 1024, () => ReadAll(input, limits));
        }

        RespTranscript<byte[][]> whole = RespFeeder.Whole<byte[][]>(input, Reader(SmallLimits));
        CheckChunked(whole, SegmentChain.Split(input, random), "random chunks");
        if (input.Length <= 64)
        {
            CheckChunked(whole, [.. input.Select(b => new[] { b })], "one byte at a time");
        }

        foreach (byte[][] command in whole.Frames)
        {
            CheckRoundTrip(command);
        }

        return whole.Outcome;
    }

    private static (RespReadStatus, ReadOnlySequence<byte>, RespReadError) DefaultRead(ReadOnlySequence<byte> buffer, RespLimits limits, RespCommand command)
    {
        RespReadStatus status = RespCommandReader.TryRead(ref buffer, limits, command, out RespReadError error);
        return (status, buffer, error);
    }

    // The reads a connection makes, with nothing kept: what the allocation bound is about.
    private int ReadAll(byte[] input, RespLimits limits)
    {
        using var command = new RespCommand();
        var buffer = new ReadOnlySequence<byte>(input);
        int count = 0;
        RespReadStatus status;
        do
        {
            (status, buffer, _) = _read(buffer, limits, command);
            count++;
        }
        while (status == RespReadStatus.Complete);
        return count;
    }

    private void CheckChunked(RespTranscript<byte[][]> whole, List<byte[]> chunks, string how)
    {
        RespTranscript<byte[][]> chunked = RespFeeder.Chunked<byte[][]>(chunks, Reader(SmallLimits));
        Oracle.That(chunked.SameAs(whole, SameCommand), "chunked",
            $"fed {how} ({chunks.Count} chunks) the reader gave {chunked}; fed whole, {whole}");
    }

    private void CheckRoundTrip(byte[][] command)
    {
        var written = new ArrayBufferWriter<byte>();
        RespCommandWriter.Write(written, [.. command.Select(a => (ReadOnlyMemory<byte>)a)]);
        RespTranscript<byte[][]> again = RespFeeder.Whole<byte[][]>(written.WrittenSpan.ToArray(), Reader(RespLimits.Default));
        Oracle.That(again.Frames.Count == 1 && again.Remaining == 0 && SameCommand(again.Frames[0], command), "round-trip",
            $"a command of {command.Length} arguments written again reads back as {again}");
    }

    private FrameReader<byte[][]> Reader(RespLimits limits)
    {
        var command = new RespCommand();
        return (ref ReadOnlySequence<byte> buffer, out byte[][]? frame, out RespReadError error) =>
        {
            RespReadStatus status;
            (status, buffer, error) = _read(buffer, limits, command);
            frame = status == RespReadStatus.Complete ? [.. Enumerable.Range(0, command.Count).Select(i => command[i].ToArray())] : null;
            Oracle.That(status != RespReadStatus.Complete || command.Count > 0, "non-empty", "a complete command has at least its name");
            return status;
        };
    }

    private static bool SameCommand(byte[][] left, byte[][] right) =>
        left.Length == right.Length && left.Zip(right).All(p => p.First.AsSpan().SequenceEqual(p.Second));
}
