namespace KubeCache.FakeApiServer.Writes;

/// <summary>Who writes and through which subresource ("" = the main resource, "status", "scale").</summary>
internal sealed record WriteContext(string Manager, string Subresource = "")
{
    /// <summary>Set for server-side apply, which records managed fields itself.</summary>
    public bool IsApply { get; init; }
}
