using System.Text.Json.Serialization;
using KubeCache.Operator.Builders;
using KubeCache.Operator.Reconcile;

namespace KubeCache.Operator.Resources;

/// <summary>
/// Source-generated serialisation for the KvCluster (and the ring ConfigMap and the Secret the
/// operator reads). Nulls are omitted, so a KvCluster with only a status is a status apply body.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(KvCluster))]
[JsonSerializable(typeof(KvClusterStatus))]
[JsonSerializable(typeof(RingConfigMap))]
[JsonSerializable(typeof(Secret))]
public sealed partial class OperatorJsonContext : JsonSerializerContext;
