using System.Text.Json.Serialization;

namespace KubeCache.Kubernetes.Models;

/// <summary>
/// Source-generated serialisation for the client's own typed models (Lease, ConfigMap, Pod, Event,
/// Scale, DeleteOptions). Nulls are omitted so each model is also a server-side apply body. Pass
/// e.g. <c>KubernetesJsonContext.Default.ConfigMap</c> to the client's generic methods.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Lease))]
[JsonSerializable(typeof(LeaseSpec))]
[JsonSerializable(typeof(ConfigMap))]
[JsonSerializable(typeof(Pod))]
[JsonSerializable(typeof(Event))]
[JsonSerializable(typeof(Scale))]
[JsonSerializable(typeof(DeleteOptions))]
public sealed partial class KubernetesJsonContext : JsonSerializerContext;
