using System.Security.Cryptography;
using System.Text;

namespace KubeCache.Security.Keys;

/// <summary>The keys of one version of a keys file, kept only as SHA-256 hashes, plus the first key for peer connections.</summary>
internal sealed class ApiKeyFile
{
    private ApiKeyFile(byte[][] hashes, string? firstKey, byte[] contentHash)
    {
        Hashes = hashes;
        FirstKey = firstKey;
        ContentHash = contentHash;
    }

    public byte[][] Hashes { get; }

    /// <summary>The first key listed: the one this process presents to nodes.</summary>
    public string? FirstKey { get; }

    /// <summary>Hash of the whole file, to tell a changed file from a rewritten identical one.</summary>
    public byte[] ContentHash { get; }

    public static byte[] HashContent(byte[] content) => SHA256.HashData(content);

    /// <summary>One key per line; blank lines and lines starting with <c>#</c> are skipped, ends trimmed.</summary>
    public static ApiKeyFile Parse(byte[] content)
    {
        var hashes = new List<byte[]>();
        string? first = null;
        foreach (string line in Encoding.UTF8.GetString(content).Split('\n'))
        {
            string key = line.Trim();
            if (key.Length == 0 || key.StartsWith('#'))
            {
                continue;
            }

            first ??= key;
            hashes.Add(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        }

        return new ApiKeyFile([.. hashes], first, HashContent(content));
    }
}
