namespace KubeCache.Testing;

/// <summary>Where the client-library check scripts (tests/clients) and their packages are.</summary>
public static class ClientScripts
{
    private static readonly Lazy<string> s_folder = new(() =>
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "KubeCache.sln")))
            {
                return System.IO.Path.Combine(directory.FullName, "tests", "clients");
            }
        }

        throw new InvalidOperationException($"No KubeCache.sln above {AppContext.BaseDirectory}.");
    });

    public static string Path(string script) => System.IO.Path.Combine(s_folder.Value, script);

    /// <summary>Fails the test with the install command when the program or the npm packages are missing.</summary>
    public static void RequireInstalled(string program)
    {
        bool found = program.StartsWith('/') ? File.Exists(program)
            : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator).Any(d => File.Exists(System.IO.Path.Combine(d, program)));
        bool packages = program != "node" || Directory.Exists(System.IO.Path.Combine(s_folder.Value, "node_modules", "ioredis"));
        Assert.True(found && packages, $"{program} or the client packages are missing; run scripts/install-tools.sh test.");
    }
}
