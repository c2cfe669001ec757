using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace KubeCache.HttpContract;

/// <summary>One key/value pair from a request body; <see cref="Ttl"/> is in seconds when given.</summary>
public sealed record JsonItem(byte[] Key, byte[]? Value, double? Ttl);

/// <summary>
/// Parses request bodies with <see cref="Utf8JsonReader"/>. Property names match
/// case-insensitively (one reference load test sends <c>Key</c>/<c>Value</c>); unknown
/// properties are skipped. Every problem becomes a <see cref="JsonRequestException"/> whose
/// message tells the client what to fix.
/// </summary>
public static class JsonRequest
{
    /// <summary>Property names this reader looks for are short; a longer one is copied to compare it.</summary>
    private const int NameScratchBytes = 16;

    /// <summary>Strings up to this raw length are unescaped on the stack, longer ones in a pooled buffer, before their one copy.</summary>
    private const int StackScratchBytes = 512;

    /// <summary>A body holding one object: <c>{"key": "...", "value": "...", "ttl": 60}</c>.</summary>
    public static JsonItem ReadItem(ReadOnlySequence<byte> body)
    {
        var reader = Open(body);
        Expect(ref reader, JsonTokenType.StartObject, "the body must be a JSON object like {\"key\":\"k\",\"value\":\"v\"}");
        JsonItem item = ReadObject(ref reader);
        ExpectEnd(ref reader);
        return item;
    }

    /// <summary>A batch: <c>{"items": [ … ]}</c> or a bare array of items.</summary>
    public static List<JsonItem> ReadItems(ReadOnlySequence<byte> body)
    {
        var reader = Open(body);
        bool wrapped = EnterArray(
            ref reader, "items"u8, "the body must be {\"items\":[{\"key\":\"k\",\"value\":\"v\"}, …]} or a bare array of such objects");
        var items = new List<JsonItem>();
        while (Next(ref reader) == JsonTokenType.StartObject)
        {
            items.Add(ReadObject(ref reader));
        }

        LeaveArray(ref reader, wrapped, "every element of items must be an object like {\"key\":\"k\",\"value\":\"v\"}");
        return items;
    }

    /// <summary>Keys to read: <c>{"keys": ["a", "b"]}</c> or a bare array of strings.</summary>
    public static List<byte[]> ReadKeys(ReadOnlySequence<byte> body)
    {
        var reader = Open(body);
        bool wrapped = EnterArray(ref reader, "keys"u8, "the body must be {\"keys\":[\"a\",\"b\"]} or a bare array of strings");
        var keys = new List<byte[]>();
        while (Next(ref reader) == JsonTokenType.String)
        {
            keys.Add(ReadString(in reader));
        }

        LeaveArray(ref reader, wrapped, "every element of keys must be a string");
        return keys;
    }

    /// <summary>
    /// Moves onto the start of an array sent bare or as the <paramref name="property"/> of an
    /// object; returns whether it was wrapped in an object.
    /// </summary>
    private static bool EnterArray(ref Utf8JsonReader reader, ReadOnlySpan<byte> property, string expectedShape)
    {
        bool wrapped = Next(ref reader) == JsonTokenType.StartObject;
        if ((wrapped && !SeekProperty(ref reader, property)) || (wrapped ? Next(ref reader) : reader.TokenType) != JsonTokenType.StartArray)
        {
            throw new JsonRequestException(expectedShape);
        }

        return wrapped;
    }

    /// <summary>Checks the array ended where the element loop stopped, then that nothing follows the document.</summary>
    private static void LeaveArray(ref Utf8JsonReader reader, bool wrapped, string elementProblem)
    {
        if (reader.TokenType != JsonTokenType.EndArray)
        {
            throw new JsonRequestException(elementProblem);
        }

        if (wrapped)
        {
            SkipRestOfObject(ref reader);
        }

        ExpectEnd(ref reader);
    }

    private static Utf8JsonReader Open(ReadOnlySequence<byte> body)
    {
        if (body.IsEmpty)
        {
            throw new JsonRequestException("the body is empty; send a JSON object");
        }

        return new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 16 });
    }

    /// <summary>Reads the properties of an object whose StartObject was just read.</summary>
    private static JsonItem ReadObject(ref Utf8JsonReader reader)
    {
        byte[]? key = null, value = null;
        double? ttl = null;
        Span<byte> scratch = stackalloc byte[NameScratchBytes];
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            ReadOnlySpan<byte> name = ReadName(in reader, scratch);
            Next(ref reader);
            if (Ascii.EqualsIgnoreCase(name, "key"u8))
            {
                key = reader.TokenType == JsonTokenType.String ? ReadString(in reader)
                    : throw new JsonRequestException("key must be a JSON string");
            }
            else if (Ascii.EqualsIgnoreCase(name, "value"u8))
            {
                value = reader.TokenType == JsonTokenType.String ? ReadString(in reader)
                    : throw new JsonRequestException("value must be a JSON string");
            }
            else if (Ascii.EqualsIgnoreCase(name, "ttl"u8))
            {
                ttl = reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out double seconds) ? seconds
                    : reader.TokenType == JsonTokenType.Null ? null
                    : throw new JsonRequestException("ttl must be a number of seconds");
            }
            else
            {
                Skip(ref reader);
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            throw new JsonRequestException("the object is not well-formed JSON");
        }

        return new JsonItem(key ?? throw new JsonRequestException("key is missing; send {\"key\":\"k\",\"value\":\"v\"}"), value, ttl);
    }

    /// <summary>Moves to the value of the named top-level property, skipping others.</summary>
    private static bool SeekProperty(ref Utf8JsonReader reader, ReadOnlySpan<byte> wanted)
    {
        Span<byte> scratch = stackalloc byte[NameScratchBytes];
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (Ascii.EqualsIgnoreCase(ReadName(in reader, scratch), wanted))
            {
                return true;
            }

            Next(ref reader);
            Skip(ref reader);
        }

        return false;
    }

    private static void SkipRestOfObject(ref Utf8JsonReader reader)
    {
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            Next(ref reader);
            Skip(ref reader);
        }
    }

    /// <summary>A property name, unescaped into <paramref name="scratch"/> when it must be; copied only when it is longer.</summary>
    private static ReadOnlySpan<byte> ReadName(in Utf8JsonReader reader, Span<byte> scratch) =>
        RawLength(in reader) <= scratch.Length ? ReadString(in reader, scratch) : ReadString(in reader);

    private static byte[] ReadString(in Utf8JsonReader reader)
    {
        long length = RawLength(in reader);
        if (IsPlain(in reader))
        {
            return ReadString(in reader, []).ToArray();
        }

        if (length <= StackScratchBytes)
        {
            return ReadString(in reader, stackalloc byte[StackScratchBytes]).ToArray();
        }

        byte[] rented = ArrayPool<byte>.Shared.Rent((int)length);
        try
        {
            return ReadString(in reader, rented).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// The string just read: its own bytes when it is one span without escapes, otherwise unescaped
    /// into <paramref name="buffer"/>, which must hold its raw length (escapes only shorten it).
    /// </summary>
    private static ReadOnlySpan<byte> ReadString(in Utf8JsonReader reader, Span<byte> buffer)
    {
        if (IsPlain(in reader))
        {
            // The reader checks UTF-8 only when it copies or transcodes, so check here too:
            // otherwise a body's bytes would be accepted or rejected by where its segments end.
            ReadOnlySpan<byte> raw = reader.ValueSpan;
            return Utf8.IsValid(raw) ? raw : throw NotText();
        }

        try
        {
            return buffer[..reader.CopyString(buffer)];
        }
        catch (InvalidOperationException)
        {
            // The reader accepts any \uXXXX and any bytes; copying rejects a surrogate without
            // its partner and bytes that are not UTF-8.
            throw NotText();
        }
    }

    private static bool IsPlain(in Utf8JsonReader reader) => !reader.ValueIsEscaped && !reader.HasValueSequence;

    private static long RawLength(in Utf8JsonReader reader) => reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;

    /// <summary>Skips the value just read; malformed JSON inside it is the client's mistake too.</summary>
    private static void Skip(ref Utf8JsonReader reader)
    {
        try
        {
            reader.Skip();
        }
        catch (JsonException e)
        {
            throw Invalid(e);
        }
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.Read() ? reader.TokenType : throw new JsonRequestException("the body ends before the JSON is complete");
        }
        catch (JsonException e)
        {
            throw Invalid(e);
        }
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string problem)
    {
        if (Next(ref reader) != type)
        {
            throw new JsonRequestException(problem);
        }
    }

    private static void ExpectEnd(ref Utf8JsonReader reader)
    {
        try
        {
            if (reader.Read())
            {
                throw new JsonRequestException("the body has data after the JSON value; send one JSON document");
            }
        }
        catch (JsonException e)
        {
            throw Invalid(e);
        }
    }

    private static JsonRequestException NotText() =>
        new("a string is not valid UTF-8 text or holds an escaped lone surrogate such as \\ud800; send strings as UTF-8 and escape characters beyond U+FFFF as a surrogate pair");

    private static JsonRequestException Invalid(JsonException e) =>
        new($"the body is not valid JSON ({e.Message.Split(" Path:", 2)[0].TrimEnd('.')})");
}

/// <summary>A request body that cannot be used; the message says what to fix.</summary>
public sealed class JsonRequestException(string message) : Exception(message);
