using System.Text.Json.Serialization;
using k8s.Models;
using KubeCache.Operator.Crd;

namespace KubeCache.Operator.Resources;

/// <summary>The router Deployment and its Service.</summary>
public sealed class RouterSpec
{
    [JsonPropertyName("replicas")]
    [Description("Router pods. Default 2.")]
    [Minimum(0)]
    [Default(KvClusterDefaults.RouterReplicas)]
    public int? Replicas { get; set; }

    [JsonPropertyName("autoscaled")]
    [Description("A HorizontalPodAutoscaler owns the router Deployment's replicas: the operator leaves them out of what it applies, and router.replicas is not used. Default false.")]
    [Default(KvClusterDefaults.RouterAutoscaled)]
    public bool? Autoscaled { get; set; }

    [JsonPropertyName("image")]
    [Description("Router image. Default: the operator's --router-image (ghcr.io/kubecache/kvcache-router:0.1.0).")]
    [MinLength(1)]
    public string? Image { get; set; }

    [JsonPropertyName("resources")]
    [Description("CPU and memory requests and limits of each router container.")]
    public ResourceRequirements? Resources { get; set; }

    [JsonPropertyName("serviceType")]
    [Description("Type of the router's Service: ClusterIP, NodePort or LoadBalancer. Default ClusterIP.")]
    [Enum("ClusterIP", "NodePort", "LoadBalancer")]
    [Default(KvClusterDefaults.RouterServiceType)]
    public string? ServiceType { get; set; }

    [JsonPropertyName("serviceAnnotations")]
    [Description("Annotations of the router's Service, such as a cloud load balancer's settings.")]
    public Dictionary<string, string>? ServiceAnnotations { get; set; }
}

/// <summary>The nodes' PodDisruptionBudget.</summary>
public sealed class DisruptionBudgetSpec
{
    [JsonPropertyName("enabled")]
    [Description("Create the PodDisruptionBudgets of nodes and routers. Default true.")]
    [Default(KvClusterDefaults.PodDisruptionBudgetEnabled)]
    public bool? Enabled { get; set; }

    [JsonPropertyName("maxUnavailable")]
    [Description("Nodes a drain may evict at once: a count or a percentage like \"25%\". Default 1.")]
    [Pattern("^[0-9]+%?$")]
    [Default(KvClusterDefaults.PodDisruptionBudgetMaxUnavailable)]
    public IntOrString? MaxUnavailable { get; set; }
}

/// <summary>Prometheus integration.</summary>
public sealed class MonitoringSpec
{
    [JsonPropertyName("serviceMonitor")]
    [Description("A ServiceMonitor for the Prometheus Operator that scrapes nodes and routers.")]
    [DefaultEmptyObject]
    public MonitorOptions? ServiceMonitor { get; set; }

    [JsonPropertyName("podMonitor")]
    [Description("A PodMonitor for the Prometheus Operator that scrapes every node and router pod directly, for a Prometheus that selects PodMonitors.")]
    [DefaultEmptyObject]
    public MonitorOptions? PodMonitor { get; set; }
}

/// <summary>The settings of a ServiceMonitor or PodMonitor.</summary>
public sealed class MonitorOptions
{
    [JsonPropertyName("enabled")]
    [Description("Create it; needs the Prometheus Operator's CRDs (and the chart's grant for the kind). Default false.")]
    [Default(KvClusterDefaults.MonitorEnabled)]
    public bool? Enabled { get; set; }

    [JsonPropertyName("interval")]
    [Description("Scrape interval, a Prometheus duration like \"30s\" or \"1m\". Default \"30s\".")]
    [Pattern("^[0-9]+(ms|s|m|h)$")]
    [Default(KvClusterDefaults.MonitorInterval)]
    public string? Interval { get; set; }
}

/// <summary>Client authentication.</summary>
public sealed class AuthSpec
{
    [JsonPropertyName("secretRef")]
    [Description("The Secret (in the KvCluster's namespace) holding the accepted keys.")]
    public SecretKeyReference? SecretRef { get; set; }
}

/// <summary>A key of a Secret in the KvCluster's namespace.</summary>
public sealed class SecretKeyReference
{
    [JsonPropertyName("name")]
    [Description("The Secret's name.")]
    [Required]
    [MinLength(1)]
    public string? Name { get; set; }

    [JsonPropertyName("key")]
    [Description("The key within the Secret. Default \"keys\".")]
    [MinLength(1)]
    [Default(KvClusterDefaults.AuthSecretKey)]
    public string? Key { get; set; }
}

/// <summary>TLS for client, peer and operator connections.</summary>
public sealed class TlsSpec
{
    [JsonPropertyName("secretName")]
    [Description("A kubernetes.io/tls Secret in the KvCluster's namespace with tls.crt, tls.key and ca.crt (required: the CA that nodes, routers and the operator verify the pods' certificates against), as cert-manager writes for a CA issuer.")]
    [Required]
    [MinLength(1)]
    public string? SecretName { get; set; }
}
