namespace KubeCache.CacheNode.Options;

/// <summary>Finds the memory this process may use: its cgroup's limit, else physical memory.</summary>
public static class MemoryLimit
{
    /// <summary>cgroup v1 reports "no limit" as a huge number near 2^63; anything above 2^60 means none.</summary>
    private const long NoLimitThreshold = 1L << 60;

    private const string CgroupRoot = "/sys/fs/cgroup";

    /// <summary>The container's limit, else physical memory (what the runtime saw at start, before any heap limit was set).</summary>
    public static long Detect() => DetectContainer() ?? PhysicalMemory;

    /// <summary>The tightest limit on this process's cgroup and its ancestors; null when none is set.</summary>
    public static long? DetectContainer() => ReadProcessLimit(CgroupRoot, File.Exists("/proc/self/cgroup") ? File.ReadAllText("/proc/self/cgroup") : "");

    /// <summary>
    /// The tightest limit along the cgroup path that <paramref name="procSelfCgroup"/> (the text of
    /// /proc/self/cgroup) names, from the process's own group up to the mount's root. Inside a
    /// container the path is "/" (or, without a cgroup namespace, a path the mount does not show),
    /// so the root's limit is the container's.
    /// </summary>
    public static long? ReadProcessLimit(string cgroupRoot, string procSelfCgroup)
    {
        long? tightest = null;
        foreach (string file in LimitFilesOf(procSelfCgroup))
        {
            if (ReadLimitFile(Path.Combine(cgroupRoot, file)) is { } limit)
            {
                tightest = Math.Min(tightest ?? long.MaxValue, limit);
            }
        }

        return tightest;
    }

    private static long? ReadLimitFile(string path) =>
        File.Exists(path) && long.TryParse(File.ReadAllText(path).Trim(), out long limit) && limit > 0 && limit < NoLimitThreshold ? limit : null;

    /// <summary>Physical memory as the runtime saw it when the process started (a later heap limit does not change it).</summary>
    private static long PhysicalMemory { get; } = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>
    /// Limit files, relative to the cgroup mount, of the process's group and its ancestors: the
    /// v2 group (line <c>0::/path</c>) and the v1 memory group (line <c>N:memory:/path</c>).
    /// </summary>
    private static IEnumerable<string> LimitFilesOf(string procSelfCgroup)
    {
        foreach (string line in procSelfCgroup.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] fields = line.Split(':', 3);
            bool v2 = fields.Length == 3 && fields[1].Length == 0;
            if (fields.Length != 3 || !(v2 || fields[1].Split(',').Contains("memory")))
            {
                continue;
            }

            for (string? group = fields[2].Trim().Trim('/'); group is not null; group = group.Length == 0 ? null : group[..Math.Max(0, group.LastIndexOf('/'))])
            {
                yield return v2 ? Path.Combine(group, "memory.max") : Path.Combine("memory", group, "memory.limit_in_bytes");
            }
        }
    }
}
