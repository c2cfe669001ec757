using System.Globalization;
using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Executable;

/// <summary>
/// A cgroup v1 memory group made for one test, nested under the test process's own group (so it
/// inherits, and never loosens, whatever bounds the test runner): a real container-like limit
/// for a node process. Removed on dispose, once its processes are gone.
/// </summary>
internal sealed class MemoryCgroup : IAsyncDisposable
{
    private const string Mount = "/sys/fs/cgroup/memory";

    private MemoryCgroup(string directory) => Directory = directory;

    public string Directory { get; }

    /// <summary>Why a test group cannot be made here, or null when it can (root, cgroup v1 memory mounted read-write).</summary>
    public static string? Unavailable { get; } = Probe();

    /// <summary>Highest memory use the kernel saw in the group (page cache included), in bytes.</summary>
    public long PeakBytes => ReadLong("memory.max_usage_in_bytes");

    /// <summary>Processes of the group the kernel's OOM killer killed (0 on kernels that do not count them).</summary>
    public long OomKills => File.ReadLines(Path.Combine(Directory, "memory.oom_control"))
        .Where(line => line.StartsWith("oom_kill ", StringComparison.Ordinal))
        .Select(line => long.Parse(line["oom_kill ".Length..], CultureInfo.InvariantCulture))
        .SingleOrDefault();

    public static MemoryCgroup Create(long limitBytes)
    {
        string directory = Path.Combine(OwnGroup(), $"kubecache-test-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "memory.limit_in_bytes"), limitBytes.ToString(CultureInfo.InvariantCulture));
        return new MemoryCgroup(directory);
    }

    /// <summary>
    /// A program and arguments that run <paramref name="program"/> inside the group: a shell
    /// moves itself in and execs it, so the pid stays the program's own.
    /// </summary>
    public IEnumerable<string> Wrap(string program, IEnumerable<string> arguments) =>
        ["-c", "echo $$ > \"$0/cgroup.procs\" && exec \"$@\"", Directory, program, .. arguments];

    /// <summary>Removes the group; the kernel refuses while a process is still in it, so this polls briefly.</summary>
    public async ValueTask DisposeAsync() => await Poll.UntilAsync(() =>
    {
        try
        {
            System.IO.Directory.Delete(Directory);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }, $"cgroup {Directory} to empty so it can be removed");

    private long ReadLong(string file) => long.Parse(File.ReadAllText(Path.Combine(Directory, file)).Trim(), CultureInfo.InvariantCulture);

    private static string OwnGroup()
    {
        string line = File.ReadLines("/proc/self/cgroup").First(l => l.Split(':', 3) is [_, var controllers, _] && controllers.Split(',').Contains("memory"));
        return Mount + line.Split(':', 3)[2];
    }

    private static string? Probe()
    {
        try
        {
            if (!File.Exists(Path.Combine(Mount, "memory.limit_in_bytes")))
            {
                return $"no cgroup v1 memory hierarchy at {Mount}";
            }

            string probe = Path.Combine(OwnGroup(), $"kubecache-probe-{Guid.NewGuid():N}");
            System.IO.Directory.CreateDirectory(probe);
            System.IO.Directory.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return $"cannot create a memory cgroup under this process's own ({e.Message}); the test needs root and a writable cgroup v1 memory hierarchy";
        }
    }
}

/// <summary>A theory that is skipped, with the reason, where a memory cgroup cannot be made.</summary>
internal sealed class MemoryCgroupTheoryAttribute : TheoryAttribute
{
    public MemoryCgroupTheoryAttribute()
    {
        if (MemoryCgroup.Unavailable is { } reason)
        {
            Skip = reason;
        }
    }
}
