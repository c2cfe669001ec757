using System.Text;
using KubeCache.Fuzz.Tests.Fuzzing;
using KubeCache.Topology;

namespace KubeCache.Fuzz.Tests.Targets;

/// <summary>
/// The ring document parser (<see cref="RingDocument.Parse(ReadOnlySpan{byte})"/>). Oracle: a
/// document or a <see cref="RingFormatException"/> whose message starts with <c>ring.json</c>,
/// nothing else; a parsed document serialises, and parsing that gives a document that
/// serialises to the same bytes; its current and previous rings build and place a key (a
/// document the parser accepts must be usable by routers and nodes); a parse allocates at most
/// 64 bytes per input byte plus 256 KiB.
/// </summary>
public sealed class RingDocumentTarget : IFuzzTarget
{
    public RingDocumentTarget()
    {
        // The serializer builds its metadata on first use; that is not a cost of the input.
        foreach (byte[] document in Corpus)
        {
            RingDocument.Parse(document).ToUtf8Json();
        }
    }

    public string Name => "ring-document";

    public IReadOnlyList<byte[]> Corpus { get; } = [.. new[]
    {
        """{"cluster":"demo","epoch":1,"members":[]}""",
        """{"cluster":"demo","epoch":7,"hash":"xxh64","scheme":"rendezvous","members":[{"name":"demo-0","http":"10.1.2.3:7171","resp":"10.1.2.3:6379"},{"name":"demo-1","http":"10.1.2.4:7171","resp":"10.1.2.4:6379"}]}""",
        """{"cluster":"demo","epoch":8,"members":[{"name":"demo-0","http":"a:1","resp":"a:2"}],"previous":{"epoch":7,"startedAtUnixMs":1700000000000,"members":[{"name":"demo-0","http":"a:1","resp":"a:2"},{"name":"demo-1","http":"b:1","resp":"b:2"}]}}""",
        """{"vnodes":1024,"cluster":"d\u00e9mo","epoch":9223372036854775807,"future":{"x":[1,2]},"members":[{"name":"n\ud83d\ude00","http":"h","resp":"r","zone":"z"}]}""",
    }.Select(Encoding.UTF8.GetBytes)];

    public IReadOnlyList<byte[]> Tokens { get; } = FuzzTokens.Ascii(
        "[", "{", "]", "}", ",", ":", "\"", "null", "\\ud800", "\"epoch\":", "\"members\":", "\"previous\":", "\"name\":\"x\"",
        "{\"name\":\"n\",\"http\":\"h\",\"resp\":\"r\"},", "\"startedAtUnixMs\":", "-1", "1.0", "1e3");

    public IReadOnlyList<byte> Alphabet { get; } = "{}[]\":, epochmbrsnaxt0123456789-"u8.ToArray();

    public string Run(FuzzCase fuzzCase)
    {
        byte[] input = fuzzCase.Input;
        RingDocument? document = Oracle.WithinAllocation(input.Length, 64, 256 * 1024, () => TryParse(input, out _));
        if (document is null)
        {
            return "rejected";
        }

        byte[] json = document.ToUtf8Json();
        RingDocument? again = TryParse(json, out string? problem);
        Oracle.That(again is not null, "round-trip", $"the accepted document serialises to JSON that is rejected: {problem}");
        byte[] twice = again!.ToUtf8Json();
        Oracle.That(twice.AsSpan().SequenceEqual(json), "round-trip", "serialising the re-parsed document gives different bytes");
        UseRing(document.CurrentRing());
        if (document.PreviousRing() is { } previous)
        {
            UseRing(previous);
        }

        return document.Previous is null ? "accepted" : "accepted with previous";
    }

    private static RingDocument? TryParse(byte[] input, out string? problem)
    {
        problem = null;
        try
        {
            return RingDocument.Parse(input);
        }
        catch (RingFormatException e)
        {
            Oracle.That(e.Message.StartsWith("ring.json", StringComparison.Ordinal), "error-shape", $"the message should name ring.json: {e.Message}");
            problem = e.Message;
            return null;
        }
    }

    private static void UseRing(Ring ring)
    {
        if (ring.Members.Count > 0)
        {
            _ = ring.OwnerOf("some-key"u8);
        }
    }
}
