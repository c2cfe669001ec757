using System.Text.Json.Serialization;

namespace KubeCache.Kubernetes.Models;

/// <summary>
/// Source-generated serialisation for the shared metadata models. Fields left null are omitted,
/// so a model doubles as a server-side apply body that names only the fields its manager owns.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ObjectMeta))]
[JsonSerializable(typeof(ListMeta))]
[JsonSerializable(typeof(Status))]
[JsonSerializable(typeof(LabelSelector))]
public sealed partial class ModelsJsonContext : JsonSerializerContext;
