using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace KubeCache.Operator.Resources;

/// <summary>
/// resource.Quantity, kept as its text (<c>"500m"</c>, <c>"1Gi"</c>, <c>"2"</c>). A custom
/// resource stores what the user wrote, so a bare YAML number (<c>cpu: 1</c>) is read too and
/// written back as a string, the form built-in objects use.
/// </summary>
[JsonConverter(typeof(QuantityConverter))]
public readonly record struct Quantity(string Value)
{
    public static implicit operator Quantity(string value) => new(value);

    public override string ToString() => Value;
}

/// <summary>Reads a JSON string or number; writes a string.</summary>
public sealed class QuantityConverter : JsonConverter<Quantity>
{
    public override Quantity Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.String => new Quantity(reader.GetString()!),
            JsonTokenType.Number => new Quantity(Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan)),
            _ => throw new JsonException($"Expected a quantity such as \"500m\" or \"1Gi\", found {reader.TokenType}."),
        };

    public override void Write(Utf8JsonWriter writer, Quantity value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}
