using System.Buffers;
using KubeCache.Fuzz.Tests.Fuzzing;
using KubeCache.Protocol;

namespace KubeCache.Fuzz.Tests.Targets;

/// <summary>Reads one frame; the shape both RESP readers share.</summary>
public delegate RespReadStatus FrameReader<T>(ref ReadOnlySequence<byte> buffer, out T? frame, out RespReadError error);

/// <summary>
/// Everything a reader made of an input: the frames it read, how it stopped, and the bytes it
/// left unconsumed. Two feedings of the same input must give equal transcripts.
/// </summary>
public sealed record RespTranscript<T>(IReadOnlyList<T> Frames, RespReadStatus Final, RespErrorKind Error, long Remaining)
{
    public string Outcome => (Frames.Count > 0 ? "frames, then " : string.Empty)
        + (Final == RespReadStatus.ProtocolError ? "error:" + Error : Final.ToString().ToLowerInvariant());

    /// <summary>
    /// Same frames and the same ending; the unconsumed length counts only for Incomplete,
    /// since after a protocol error the connection closes and what was left is never read.
    /// </summary>
    public bool SameAs(RespTranscript<T> other, Func<T, T, bool> equal) =>
        Final == other.Final && Error == other.Error && (Final != RespReadStatus.Incomplete || Remaining == other.Remaining)
        && Frames.Count == other.Frames.Count && Frames.Zip(other.Frames).All(p => equal(p.First, p.Second));

    public override string ToString() => $"{Frames.Count} frames, {Outcome}, {Remaining} bytes left";
}

/// <summary>Feeds input to a reader whole or in chunks, as a connection loop does, and records the transcript.</summary>
public static class RespFeeder
{
    public static RespTranscript<T> Whole<T>(byte[] input, FrameReader<T> read) =>
        Chunked([input], read);

    /// <summary>
    /// Appends one chunk at a time and reads every frame available after each, resuming from
    /// where the reader left the buffer, as <c>PipeReader.AdvanceTo(buffer.Start, buffer.End)</c> would.
    /// </summary>
    public static RespTranscript<T> Chunked<T>(IReadOnlyList<byte[]> chunks, FrameReader<T> read)
    {
        var frames = new List<T>();
        var chain = new SegmentChain();
        SequencePosition consumed = default;
        ReadOnlySequence<byte> buffer = ReadOnlySequence<byte>.Empty;
        for (int c = 0; c < chunks.Count; c++)
        {
            if (chunks[c].Length == 0)
            {
                continue;
            }

            bool first = consumed.GetObject() is null;
            chain.Append(chunks[c]);
            consumed = first ? chain.Start : consumed;
            buffer = chain.From(consumed);
            while (true)
            {
                long before = buffer.Length;
                RespReadStatus status = read(ref buffer, out T? frame, out RespReadError error);
                consumed = buffer.Start;
                if (status == RespReadStatus.ProtocolError)
                {
                    Oracle.That(error.Kind != RespErrorKind.None && error.Message.StartsWith("Protocol error", StringComparison.Ordinal),
                        "error-shape", $"a protocol error must say what was wrong; got kind {error.Kind}, message \"{error.Message}\"");
                    return new RespTranscript<T>(frames, status, error.Kind, buffer.Length);
                }

                if (status == RespReadStatus.Incomplete)
                {
                    break;
                }

                Oracle.That(buffer.Length < before, "progress", "a complete frame must consume input, or the connection loop never ends");
                frames.Add(frame!);
            }
        }

        return new RespTranscript<T>(frames, RespReadStatus.Incomplete, RespErrorKind.None, buffer.Length);
    }
}
