using System.Text.Json.Serialization;

namespace KubeCache.Kubernetes.Models;

/// <summary>events.k8s.io/v1 Event: what a controller reports about an object it acts on.</summary>
public sealed class Event : KubernetesObject
{
    /// <summary>Required on create; a MicroTime.</summary>
    [JsonPropertyName("eventTime")]
    [JsonConverter(typeof(MicroTimeConverter))]
    public DateTimeOffset? EventTime { get; set; }

    /// <summary>The controller's name, e.g. <c>kubecache.io/operator</c>.</summary>
    [JsonPropertyName("reportingController")]
    public string? ReportingController { get; set; }

    /// <summary>The controller instance (at most 128 characters), e.g. the operator pod's name.</summary>
    [JsonPropertyName("reportingInstance")]
    public string? ReportingInstance { get; set; }

    [JsonPropertyName("action")]
    public string? Action { get; set; }

    /// <summary>CamelCase, at most 128 characters.</summary>
    [JsonPropertyName("reason")]
    public string? Reason { get; set; }

    [JsonPropertyName("regarding")]
    public ObjectReference? Regarding { get; set; }

    /// <summary>Human-readable, at most 1 kB.</summary>
    [JsonPropertyName("note")]
    public string? Note { get; set; }

    /// <summary>Normal or Warning.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("series")]
    public EventSeries? Series { get; set; }
}

/// <summary>core/v1 ObjectReference: the object an Event is about.</summary>
public sealed class ObjectReference
{
    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; set; }

    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }

    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("uid")]
    public string? Uid { get; set; }

    [JsonPropertyName("resourceVersion")]
    public string? ResourceVersion { get; set; }

    [JsonPropertyName("fieldPath")]
    public string? FieldPath { get; set; }
}

/// <summary>events.k8s.io/v1 EventSeries: a repeating event's count and last sighting.</summary>
public sealed class EventSeries
{
    [JsonPropertyName("count")]
    public int Count { get; set; }

    [JsonPropertyName("lastObservedTime")]
    [JsonConverter(typeof(MicroTimeConverter))]
    public DateTimeOffset LastObservedTime { get; set; }
}
