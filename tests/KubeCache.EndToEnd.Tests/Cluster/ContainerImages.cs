namespace KubeCache.EndToEnd.Tests.Cluster;

/// <summary>
/// What the simulated kubelet runs for a container image: a dll from the test output, started
/// with the dotnet host. An image matches the first entry whose fragment it contains.
/// </summary>
public sealed class ContainerImages
{
    private readonly List<(string Fragment, string Dll)> _entries = [];

    /// <summary>kvcache-node → KubeCache.CacheNode.dll, kvcache-router → KubeCache.Router.dll (the contracts' mapping).</summary>
    public static ContainerImages Default() => new ContainerImages()
        .Map("kvcache-node", "KubeCache.CacheNode.dll")
        .Map("kvcache-router", "KubeCache.Router.dll");

    /// <summary>Runs <paramref name="dll"/> (a file name in the test output, or a path) for images containing <paramref name="fragment"/>.</summary>
    public ContainerImages Map(string fragment, string dll)
    {
        _entries.Add((fragment, dll));
        return this;
    }

    /// <summary>The dll's full path, or null when no entry matches (the pod then stays Pending with ErrImagePull).</summary>
    public string? DllFor(string? image)
    {
        if (image is null)
        {
            return null;
        }
        foreach ((string fragment, string dll) in _entries)
        {
            if (image.Contains(fragment, StringComparison.Ordinal))
            {
                return Path.IsPathRooted(dll) ? dll : Path.Combine(AppContext.BaseDirectory, dll);
            }
        }
        return null;
    }
}
