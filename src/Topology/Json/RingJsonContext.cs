using System.Text.Json.Serialization;

namespace KubeCache.Topology.Json;

/// <summary>
/// Source-generated (de)serialization of ring.json: camelCase, indented with "\n" line ends on
/// every platform so the bytes are the same wherever they are written, absent fields omitted.
/// Unknown fields are skipped when read, so older readers accept newer documents.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    NewLine = "\n",
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RingDocumentJson))]
internal sealed partial class RingJsonContext : JsonSerializerContext
{
}
