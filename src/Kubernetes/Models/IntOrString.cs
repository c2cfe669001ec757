using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace KubeCache.Kubernetes.Models;

/// <summary>
/// intstr.IntOrString: a field that holds either a number or a string, such as a port
/// (<c>7171</c> or <c>"http"</c>) or a budget (<c>1</c> or <c>"25%"</c>).
/// </summary>
[JsonConverter(typeof(IntOrStringConverter))]
public readonly record struct IntOrString
{
    private IntOrString(int? number, string? text) => (Number, Text) = (number, text);

    /// <summary>The number, or null when this holds a string.</summary>
    public int? Number { get; }

    /// <summary>The string, or null when this holds a number.</summary>
    public string? Text { get; }

    public static IntOrString FromInt(int value) => new(value, null);

    public static IntOrString FromString(string value) => new(null, value ?? throw new ArgumentNullException(nameof(value)));

    public static implicit operator IntOrString(int value) => FromInt(value);

    public static implicit operator IntOrString(string value) => FromString(value);

    public override string ToString() => Text ?? Number?.ToString(CultureInfo.InvariantCulture) ?? "";
}

/// <summary>Reads a JSON number or string; writes whichever the value holds.</summary>
public sealed class IntOrStringConverter : JsonConverter<IntOrString>
{
    public override IntOrString Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Number => IntOrString.FromInt(reader.GetInt32()),
            JsonTokenType.String => IntOrString.FromString(reader.GetString()!),
            _ => throw new JsonException($"Expected a number or a string for an int-or-string field, found {reader.TokenType}."),
        };

    public override void Write(Utf8JsonWriter writer, IntOrString value, JsonSerializerOptions options)
    {
        if (value.Text is { } text)
        {
            writer.WriteStringValue(text);
        }
        else
        {
            writer.WriteNumberValue(value.Number ?? 0);
        }
    }
}
