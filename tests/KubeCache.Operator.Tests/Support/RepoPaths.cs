namespace KubeCache.Operator.Tests.Support;

/// <summary>Files of the repository the tests compare against (generated CRDs, examples).</summary>
internal static class RepoPaths
{
    /// <summary>The directory holding KubeCache.sln, found upwards from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KubeCache.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No KubeCache.sln above {AppContext.BaseDirectory}; run the tests from the repository.");
    }
}
