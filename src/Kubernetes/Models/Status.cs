using System.Text.Json.Serialization;

namespace KubeCache.Kubernetes.Models;

/// <summary>
/// metav1.Status: the body of every API error (and of watch ERROR events), e.g.
/// <c>{"kind":"Status","status":"Failure","reason":"Conflict","code":409,"message":"..."}</c>.
/// </summary>
public sealed class Status
{
    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; set; } = "v1";

    [JsonPropertyName("kind")]
    public string? Kind { get; set; } = "Status";

    /// <summary>Success or Failure.</summary>
    [JsonPropertyName("status")]
    public string? Outcome { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }

    /// <summary>Machine-readable cause: NotFound, AlreadyExists, Conflict, Expired, Gone, Invalid, ...</summary>
    [JsonPropertyName("reason")]
    public string? Reason { get; set; }

    [JsonPropertyName("code")]
    public int Code { get; set; }

    [JsonPropertyName("details")]
    public StatusDetails? Details { get; set; }
}

/// <summary>metav1.StatusDetails.</summary>
public sealed class StatusDetails
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("group")]
    public string? Group { get; set; }

    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    [JsonPropertyName("causes")]
    public List<StatusCause>? Causes { get; set; }

    [JsonPropertyName("retryAfterSeconds")]
    public int? RetryAfterSeconds { get; set; }
}

/// <summary>metav1.StatusCause, e.g. a field-manager conflict of server-side apply.</summary>
public sealed class StatusCause
{
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }

    [JsonPropertyName("field")]
    public string? Field { get; set; }
}
