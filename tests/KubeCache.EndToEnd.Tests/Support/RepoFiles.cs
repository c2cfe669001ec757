namespace KubeCache.EndToEnd.Tests.Support;

/// <summary>Files of the repository the tests apply (crds/, examples/).</summary>
internal static class RepoFiles
{
    /// <summary>The directory holding KubeCache.sln, found upwards from the test output.</summary>
    public static string Root
    {
        get
        {
            for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "KubeCache.sln")))
                {
                    return dir.FullName;
                }
            }
            throw new InvalidOperationException("KubeCache.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);
}
