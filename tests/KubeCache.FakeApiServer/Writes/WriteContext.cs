namespace KubeCache.FakeApiServer.Writes;

/// <summary>Who writes and through which subresource ("" = the main resource, "status", "scale").</summary>
internal sealed record WriteContext(string Manager, string Subresource = "")
{
    /// <summary>Set for server-side apply, which records managed fields itself.</summary>
    public bool IsApply { get; init; }

    /// <summary><c>fieldValidation=Strict</c>: unknown fields are refused (400) instead of pruned.</summary>
    public bool Strict { get; init; }

    /// <summary>The user of an API request, whose write admission checks (RBAC escalation, owner references); null for the server's own writes.</summary>
    public Auth.UserInfo? User { get; init; }
}
