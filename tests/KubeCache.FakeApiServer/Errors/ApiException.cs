using System.Text.Json.Nodes;

namespace KubeCache.FakeApiServer.Errors;

/// <summary>An API error that the server writes as a <c>Status</c> object with the same HTTP code.</summary>
public sealed class ApiException : Exception
{
    public ApiException(int code, string reason, string message, JsonObject? details = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Details = details;
    }

    /// <summary>HTTP status code, also the Status's <c>code</c>.</summary>
    public int Code { get; }

    /// <summary>The Status's <c>reason</c> (NotFound, Conflict, Invalid, Expired…).</summary>
    public string Reason { get; }

    /// <summary>The Status's <c>details</c>, or null.</summary>
    public JsonObject? Details { get; }

    /// <summary>The <c>Status</c> object as the apiserver writes it.</summary>
    public JsonObject ToStatus()
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = Message,
        };
        // An error the apiserver did not make a Status of (a 500) carries no reason.
        if (Reason.Length > 0)
        {
            status["reason"] = Reason;
        }
        if (Details is not null)
        {
            status["details"] = Details.DeepClone();
        }
        status["code"] = Code;
        return status;
    }
}
