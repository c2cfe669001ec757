using KubeCache.CacheNode.Hosting;
using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Security;

/// <summary>Nodes with a keys file and, when given certificate files, TLS listeners beside the plain ones.</summary>
internal static class SecureNodes
{
    public const string Key = "node-test-key-1";

    /// <summary>A keys file holding <see cref="Key"/> (and any <paramref name="more"/>), in a new temporary directory.</summary>
    public static string WriteKeys(params string[] more)
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("kvcache-keys-").FullName, "keys");
        File.WriteAllLines(path, ["# test keys", Key, .. more]);
        return path;
    }

    public static Task<CacheNodeServer> StartAsync(string? keysFile, TlsFiles? tls = null, Action<CacheNode.Options.NodeOptions>? configure = null) =>
        TestNodes.StartAsync(o =>
        {
            o.Security.AuthKeysFile = keysFile;
            o.Security.AuthMaxFailures = 0;
            o.Security.SecretsPollInterval = TimeSpan.FromMilliseconds(100);
            if (tls is not null)
            {
                o.Security.TlsCertFile = tls.CertFile;
                o.Security.TlsKeyFile = tls.KeyFile;
                o.Security.TlsCaFile = tls.CaFile;
                o.Security.TlsHttpPort = Ports.Free();

                // --http-port 0 would turn plain HTTP off beside HTTPS; tests keep both.
                o.HttpPort = Ports.Free();
                o.Security.TlsRespPort = Ports.Free();
            }

            configure?.Invoke(o);
        });

    public static HttpClient Http(CacheNodeServer node) => new() { BaseAddress = new Uri($"http://{node.HttpEndPoint}"), Timeout = RespTestClient.ReplyTimeout };

    /// <summary>How long a test waits for a node to pick up a changed file or report a handoff's progress: 15 s, for a loaded machine.</summary>
    public static readonly TimeSpan ReloadDeadline = TimeSpan.FromSeconds(15);
}
