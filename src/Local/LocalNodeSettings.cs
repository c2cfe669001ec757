using KubeCache.Background;
using KubeCache.Security;

namespace KubeCache.Local;

/// <summary>What every local node is started with.</summary>
/// <param name="DotnetHost">The <c>dotnet</c> executable that runs the node.</param>
/// <param name="NodeDll">KubeCache.CacheNode.dll, copied next to the router by its build.</param>
/// <param name="Directory">Where the ring file and the nodes' logs live.</param>
/// <param name="RingFile">The ring document the nodes follow, written by <see cref="LocalCluster"/>.</param>
/// <param name="MaxMemoryBytes">Each node's --max-memory, in bytes.</param>
public sealed record LocalNodeSettings(
    string DotnetHost, string NodeDll, string Directory, string RingFile, long MaxMemoryBytes)
{
    /// <summary>The router's keys file and TLS files, passed on so local nodes take the same keys and certificate.</summary>
    public SecurityOptions Security { get; init; } = new();

    /// <summary>
    /// Ports a node must not take: the router's own, which it binds only after its nodes have
    /// started (a node on one of them would make the router fail to start).
    /// </summary>
    public IReadOnlySet<int> ReservedPorts { get; init; } = new HashSet<int>();

    /// <summary>Where a failing handler of a node process's events (output, exit) is reported.</summary>
    public BackgroundErrors Errors { get; init; } = BackgroundErrors.Unobserved;

    /// <summary>
    /// The security flags of a local node. With --peer-tls, the node's RESP port (the one in the
    /// ring) serves TLS only, so the router's and the nodes' connections to it are encrypted; the
    /// certificate must then name 127.0.0.1.
    /// </summary>
    public IEnumerable<string> SecurityArguments()
    {
        foreach ((string flag, string? value) in new[]
        {
            ("--auth-keys-file", Security.AuthKeysFile),
            ("--tls-cert-file", Security.TlsCertFile),
            ("--tls-key-file", Security.TlsKeyFile),
            ("--tls-ca-file", Security.TlsCaFile),
            ("--peer-tls", Security.PeerTls ? "true" : null),
        })
        {
            if (value is not null)
            {
                yield return flag;
                yield return flag == "--peer-tls" ? value : Path.GetFullPath(value);
            }
        }
    }

    /// <summary>Settings for nodes run from the router's own directory, with a new temporary directory for ring and logs.</summary>
    /// <exception cref="LocalNodeException">KubeCache.CacheNode.dll is not next to the router.</exception>
    public static LocalNodeSettings ForRouter(LocalOptions options, BackgroundErrors errors)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "KubeCache.CacheNode.dll");
        if (!File.Exists(dll))
        {
            throw LocalNodeException.NodeMissing(dll);
        }

        string directory = System.IO.Directory.CreateTempSubdirectory("kubecache-local-").FullName;
        return new LocalNodeSettings(
            FindDotnet(), dll, directory, Path.Combine(directory, "ring.json"), options.LocalNodeMemoryBytes)
        {
            Security = options.Security,
            ReservedPorts = new HashSet<int> { options.HttpPort, options.RespPort },
            Errors = errors,
        };
    }

    /// <summary>
    /// The running muxer when the router runs under <c>dotnet</c>; else the one the SDK names
    /// (<c>DOTNET_HOST_PATH</c>), the one under <c>DOTNET_ROOT</c>, or <c>dotnet</c> on the PATH.
    /// </summary>
    private static string FindDotnet()
    {
        string? current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet")
        {
            return current;
        }

        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        string executable = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root && File.Exists(Path.Combine(root, executable)))
        {
            return Path.Combine(root, executable);
        }

        return executable;
    }
}
