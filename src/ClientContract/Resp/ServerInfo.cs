using System.Reflection;
using System.Text;

namespace KubeCache.ClientContract.Resp;

/// <summary>INFO's "# Server" section, which nodes and routers write alike: what tools read first to learn whom they talk to.</summary>
public static class ServerInfo
{
    private static readonly long s_startedAt = Environment.TickCount64;

    /// <summary>
    /// Appends the section for the process whose code is <paramref name="process"/> (its version is
    /// kubecache_version), with <c>kubecache_role</c> when <paramref name="role"/> is given.
    /// </summary>
    public static StringBuilder AppendServerSection(this StringBuilder text, Assembly process, string? role = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(process);
        text.Append("# Server\r\n")
            .Append("redis_version:").Append(ConnectionCommands.CompatibleRedisVersion).Append("\r\n")
            .Append("kubecache_version:").Append(process.GetName().Version).Append("\r\n");
        if (role is not null)
        {
            text.Append("kubecache_role:").Append(role).Append("\r\n");
        }

        return text.Append("redis_mode:standalone\r\n")
            .Append("process_id:").Append(Environment.ProcessId).Append("\r\n")
            .Append("uptime_in_seconds:").Append((Environment.TickCount64 - s_startedAt) / 1000).Append("\r\n");
    }
}
