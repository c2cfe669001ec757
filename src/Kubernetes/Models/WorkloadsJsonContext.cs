using System.Text.Json.Serialization;
using KubeCache.Kubernetes.Models.Apps;
using KubeCache.Kubernetes.Models.Core;
using KubeCache.Kubernetes.Models.Monitoring;
using KubeCache.Kubernetes.Models.Policy;
using KubeCache.Kubernetes.Models.Rbac;

namespace KubeCache.Kubernetes.Models;

/// <summary>
/// Source-generated serialisation for the workload kinds the operator applies. Fields left null
/// are omitted, so each model doubles as a server-side apply body naming only the fields we own.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StatefulSet))]
[JsonSerializable(typeof(Deployment))]
[JsonSerializable(typeof(Service))]
[JsonSerializable(typeof(ServiceAccount))]
[JsonSerializable(typeof(PodDisruptionBudget))]
[JsonSerializable(typeof(Role))]
[JsonSerializable(typeof(RoleBinding))]
[JsonSerializable(typeof(ServiceMonitor))]
[JsonSerializable(typeof(PodTemplateSpec))]
[JsonSerializable(typeof(ResourceRequirements))]
public sealed partial class WorkloadsJsonContext : JsonSerializerContext;
