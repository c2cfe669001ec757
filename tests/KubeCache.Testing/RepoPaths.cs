namespace KubeCache.Testing;

/// <summary>Paths in the repository, found upwards from the test binaries.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The directory holding KubeCache.sln.</summary>
    public static string Root => LazyRoot.Value;

    public static string Of(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KubeCache.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"KubeCache.sln was not found above {AppContext.BaseDirectory}.");
    }
}
