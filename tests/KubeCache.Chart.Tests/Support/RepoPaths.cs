namespace KubeCache.Chart.Tests.Support;

/// <summary>Paths in the repository, found from the test's output directory.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The directory holding KubeCache.sln.</summary>
    public static string Root => LazyRoot.Value;

    public static string Chart => Path.Combine(Root, "charts", "kvcache");

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
