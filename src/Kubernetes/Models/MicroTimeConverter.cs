using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace KubeCache.Kubernetes.Models;

/// <summary>
/// metav1.MicroTime: RFC 3339 in UTC with exactly six fractional digits, because the API server
/// parses it with the layout <c>2006-01-02T15:04:05.000000Z07:00</c> and rejects other precisions.
/// Reading accepts any RFC 3339 time.
/// </summary>
public sealed class MicroTimeConverter : JsonConverter<DateTimeOffset>
{
    /// <summary>Formats <paramref name="value"/> the way the API server expects a MicroTime.</summary>
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString() ?? "", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Format(value));
}
