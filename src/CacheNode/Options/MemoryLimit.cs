namespace KubeCache.CacheNode.Options;

/// <summary>Finds the memory this process may use: the container's cgroup limit, else physical memory.</summary>
public static class MemoryLimit
{
    /// <summary>cgroup v2 and v1 limit files, relative to the cgroup mount.</summary>
    private static readonly string[] LimitFiles = ["memory.max", "memory/memory.limit_in_bytes"];

    /// <summary>cgroup v1 reports "no limit" as a huge number near 2^63; anything above 2^60 means none.</summary>
    private const long NoLimitThreshold = 1L << 60;

    public static long Detect() => ReadCgroupLimit("/sys/fs/cgroup") ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>Reads the cgroup limit under <paramref name="cgroupRoot"/>; null when there is none.</summary>
    public static long? ReadCgroupLimit(string cgroupRoot)
    {
        foreach (string file in LimitFiles)
        {
            string path = Path.Combine(cgroupRoot, file);
            if (!File.Exists(path))
            {
                continue;
            }

            string text = File.ReadAllText(path).Trim();
            if (long.TryParse(text, out long limit) && limit > 0 && limit < NoLimitThreshold)
            {
                return limit;
            }
        }

        return null;
    }
}
