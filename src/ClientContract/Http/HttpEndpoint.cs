using Microsoft.AspNetCore.Http;

namespace KubeCache.ClientContract.Http;

/// <summary>Serves one request and returns the status it answered with, which metrics count.</summary>
public delegate ValueTask<int> HttpHandler(HttpContext context);

/// <summary>
/// One entry of a process's HTTP dispatch table. <paramref name="Methods"/> null: the handler
/// checks the method itself (its 405 names what the path takes). A <paramref name="Path"/> ending
/// in '/' claims every path below it.
/// </summary>
public sealed record HttpEndpoint(string Path, string Name, string[]? Methods, HttpHandler Handler)
{
    public string Allow { get; } = Methods is null ? "" : string.Join(", ", Methods);

    public bool IsPrefix => Path.EndsWith('/');
}
