using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace KubeCache.HttpContract;

/// <summary>
/// Builds JSON response bodies in a reusable per-thread buffer, so a reply costs no allocation
/// beyond the response itself. Values are UTF-8 in the store; bytes that are not valid UTF-8
/// (written over RESP) are shown with U+FFFD replacement characters.
/// </summary>
public sealed class JsonReply : IDisposable
{
    // Non-ASCII stays readable and only what JSON requires is escaped; the body is never embedded in HTML.
    private static readonly JsonWriterOptions s_options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    [ThreadStatic]
    private static JsonReply? t_cached;

    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    private JsonReply()
    {
        Writer = new Utf8JsonWriter(_buffer, s_options);
    }

    public Utf8JsonWriter Writer { get; }

    /// <summary>The body written so far, complete once <see cref="Utf8JsonWriter.Flush"/> has run.</summary>
    public ReadOnlySpan<byte> Body
    {
        get
        {
            Writer.Flush();
            return _buffer.WrittenSpan;
        }
    }

    /// <summary>Takes this thread's reply buffer (or a new one); dispose it to give it back.</summary>
    public static JsonReply Rent()
    {
        JsonReply reply = t_cached ?? new JsonReply();
        t_cached = null;
        return reply;
    }

    public void Dispose()
    {
        Writer.Reset(_buffer);
        _buffer.ResetWrittenCount();
        if (_buffer.Capacity <= 64 * 1024)
        {
            t_cached = this;
        }
    }

    public void WriteUtf8String(ReadOnlySpan<byte> propertyName, ReadOnlySpan<byte> value)
    {
        if (Utf8.IsValid(value))
        {
            Writer.WriteString(propertyName, value);
        }
        else
        {
            Writer.WriteString(propertyName, Encoding.UTF8.GetString(value));
        }
    }

    public void WriteUtf8StringValue(ReadOnlySpan<byte> value)
    {
        if (Utf8.IsValid(value))
        {
            Writer.WriteStringValue(value);
        }
        else
        {
            Writer.WriteStringValue(Encoding.UTF8.GetString(value));
        }
    }

    /// <summary>Property name for a key in the batch_get <c>values</c> object.</summary>
    public void WriteUtf8PropertyName(ReadOnlySpan<byte> name)
    {
        if (Utf8.IsValid(name))
        {
            Writer.WritePropertyName(name);
        }
        else
        {
            Writer.WritePropertyName(Encoding.UTF8.GetString(name));
        }
    }
}
