using System.Text.Json.Serialization;
using KubeCache.Operator.Builders;

namespace KubeCache.Operator.Resources;

/// <summary>
/// Source-generated serialisation for the KvCluster (and the ring ConfigMap the operator
/// builds). Nulls are omitted, so a KvCluster with only a status is a status apply body.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(KvCluster))]
[JsonSerializable(typeof(KvClusterStatus))]
[JsonSerializable(typeof(RingConfigMap))]
public sealed partial class OperatorJsonContext : JsonSerializerContext;
