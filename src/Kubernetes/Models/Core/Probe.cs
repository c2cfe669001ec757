using System.Text.Json.Serialization;

namespace KubeCache.Kubernetes.Models.Core;

/// <summary>core/v1 Probe with an HTTP GET action; times are in seconds.</summary>
public sealed class Probe
{
    [JsonPropertyName("httpGet")]
    public HttpGetAction? HttpGet { get; set; }

    /// <summary>Seconds after start before the first probe; server default 0.</summary>
    [JsonPropertyName("initialDelaySeconds")]
    public int? InitialDelaySeconds { get; set; }

    /// <summary>Seconds between probes; server default 10.</summary>
    [JsonPropertyName("periodSeconds")]
    public int? PeriodSeconds { get; set; }

    /// <summary>Seconds before a probe counts as failed; server default 1.</summary>
    [JsonPropertyName("timeoutSeconds")]
    public int? TimeoutSeconds { get; set; }

    /// <summary>Consecutive failures that count; server default 3.</summary>
    [JsonPropertyName("failureThreshold")]
    public int? FailureThreshold { get; set; }

    /// <summary>Consecutive successes that count; server default 1 (must be 1 for liveness).</summary>
    [JsonPropertyName("successThreshold")]
    public int? SuccessThreshold { get; set; }
}

/// <summary>core/v1 HTTPGetAction. <see cref="Port"/> is a number or a container port's name.</summary>
public sealed class HttpGetAction
{
    [JsonPropertyName("path")]
    public string? Path { get; set; }

    [JsonPropertyName("port")]
    public IntOrString Port { get; set; }

    /// <summary>HTTP (the server's default) or HTTPS.</summary>
    [JsonPropertyName("scheme")]
    public string? Scheme { get; set; }
}

/// <summary>core/v1 Lifecycle: hooks run by the kubelet around the container's life.</summary>
public sealed class Lifecycle
{
    [JsonPropertyName("postStart")]
    public LifecycleHandler? PostStart { get; set; }

    /// <summary>Runs before SIGTERM; its time counts against terminationGracePeriodSeconds.</summary>
    [JsonPropertyName("preStop")]
    public LifecycleHandler? PreStop { get; set; }
}

/// <summary>core/v1 LifecycleHandler with an HTTP GET action.</summary>
public sealed class LifecycleHandler
{
    [JsonPropertyName("httpGet")]
    public HttpGetAction? HttpGet { get; set; }
}
