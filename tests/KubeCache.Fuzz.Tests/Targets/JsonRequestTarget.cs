using System.Buffers;
using System.Globalization;
using System.Text;
using KubeCache.Fuzz.Tests.Fuzzing;
using KubeCache.HttpContract;

namespace KubeCache.Fuzz.Tests.Targets;

/// <summary>
/// The HTTP body parsers (<see cref="JsonRequest.ReadItem"/>, <see cref="JsonRequest.ReadItems"/>,
/// <see cref="JsonRequest.ReadKeys"/>), each on every input. Oracle: a result or a
/// <see cref="JsonRequestException"/> with a message, nothing else; the body split into random
/// segments gives the same result or the same message; a result written back as JSON parses to
/// the same items; a parse allocates at most 64 bytes per input byte plus 64 KiB.
/// </summary>
public sealed class JsonRequestTarget : IFuzzTarget
{
    public string Name => "json-request";

    public IReadOnlyList<byte[]> Corpus { get; } = [.. new[]
    {
        """{"key":"k","value":"v"}""",
        """{"Key":"caf\u00e9","Value":"line\nbreak \"q\" \\ \ud83d\ude00","ttl":60}""",
        """{"key":"a","value":"b","ttl":0.5,"extra":{"nested":[1,2,{"x":null}]}}""",
        """{"items":[{"key":"a","value":"1"},{"key":"b","value":"2","ttl":null}]}""",
        """[{"key":"x","value":"y"}]""",
        """{"keys":["a","b","\u0000"]}""",
        """ ["k1", "k2"] """,
        """{"other":true,"items":[],"more":"x"}""",
        "{\"key\":\"\u20ac\",\"value\":\"\u00ff\"}",
    }.Select(Encoding.UTF8.GetBytes)];

    public IReadOnlyList<byte[]> Tokens { get; } = FuzzTokens.Ascii(
        "[", "{", "]", "}", ",", ":", "\"", "\\", "\\u", "\\ud800", "\\udc00", "\\u0000", "null", "true", "1e400", "-0",
        "\"key\":", "\"value\":", "\"ttl\":", "\"items\":", "\"keys\":", "{\"key\":\"a\",\"value\":\"b\"}", "/*", "//", "\t");

    public IReadOnlyList<byte> Alphabet { get; } = "{}[]\":,\\ keyvaluttlms0123456789.-+eu"u8.ToArray();

    public string Run(FuzzCase fuzzCase)
    {
        byte[] input = fuzzCase.Input;
        List<byte[]> chunks = SegmentChain.Split(input, fuzzCase.NewRandom());
        string item = Check(input, chunks, "item", b => Format(JsonRequest.ReadItem(b)));
        string items = Check(input, chunks, "items", b => Format(JsonRequest.ReadItems(b)));
        string keys = Check(input, chunks, "keys", b => Format(JsonRequest.ReadKeys(b)));
        return $"item={item} items={items} keys={keys}";
    }

    /// <summary>
    /// Runs one parser whole, segmented, and on its own result written back as JSON; returns
    /// "ok" or "error". <paramref name="parse"/> formats its result as JSON that the same parser
    /// accepts, one char per byte (Latin-1), so bytes that are not UTF-8 survive the round trip.
    /// </summary>
    private static string Check(byte[] input, List<byte[]> chunks, string parser, Func<ReadOnlySequence<byte>, string> parse)
    {
        string whole = Oracle.WithinAllocation(input.Length, 64, 64 * 1024, () => Outcome(() => parse(new ReadOnlySequence<byte>(input))));
        string segmented = Outcome(() => parse(SegmentChain.Of(chunks)));
        Oracle.That(segmented == whole, "segmented", $"{parser}: whole body gave {whole}; in {chunks.Count} segments, {segmented}");
        if (whole.StartsWith("error", StringComparison.Ordinal))
        {
            return "error";
        }

        string again = Outcome(() => parse(new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(whole))));
        Oracle.That(again == whole, "round-trip", $"{parser}: parsed {whole}; written back as JSON and parsed again, {again}");
        return "ok";
    }

    // A result or the documented exception's message; anything else escapes as a crash.
    private static string Outcome(Func<string> parse)
    {
        try
        {
            return parse();
        }
        catch (JsonRequestException e)
        {
            Oracle.That(e.Message.Length > 0, "error-shape", "a rejected body must be told what to fix");
            // The reader's own wording quotes the token it stopped in, which depends on where
            // the segments end; that the body is invalid JSON is what must agree.
            const string InvalidJson = "the body is not valid JSON";
            return "error: " + (e.Message.StartsWith(InvalidJson, StringComparison.Ordinal) ? InvalidJson : e.Message);
        }
    }

    private static string Format(JsonItem item) =>
        $"{{\"key\":{Quote(item.Key)}" + (item.Value is null ? string.Empty : $",\"value\":{Quote(item.Value)}")
        + (item.Ttl is { } ttl ? $",\"ttl\":{Number(ttl)}" : string.Empty) + "}";

    // The reader reads numbers beyond double's range (1e400) as infinity; JSON has no word for it.
    private static string Number(double value) =>
        double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : value > 0 ? "1e400" : "-1e400";

    private static string Format(IEnumerable<JsonItem> items) => "[" + string.Join(",", items.Select(i => Format(i))) + "]";

    private static string Format(IEnumerable<byte[]> keys) => "[" + string.Join(",", keys.Select(Quote)) + "]";

    /// <summary>A JSON string whose bytes are the key's bytes as they are (Latin-1 carries each byte as one char).</summary>
    private static string Quote(byte[] bytes)
    {
        var text = new StringBuilder("\"");
        foreach (byte b in bytes)
        {
            _ = b switch
            {
                (byte)'"' => text.Append("\\\""),
                (byte)'\\' => text.Append("\\\\"),
                < 0x20 => text.Append(CultureInfo.InvariantCulture, $"\\u{b:x4}"),
                _ => text.Append((char)b),
            };
        }

        return text.Append('"').ToString();
    }
}
