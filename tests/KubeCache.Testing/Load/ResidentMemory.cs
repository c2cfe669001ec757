using System.Globalization;

namespace KubeCache.Testing.Load;

/// <summary>Resident memory (VmRSS) of a process and its descendants, from /proc.</summary>
public static class ResidentMemory
{
    /// <summary>VmRSS of <paramref name="pid"/> in bytes, or null once it has exited.</summary>
    public static long? Of(int pid)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return null;
    }

    /// <summary><paramref name="pid"/> and every process below it (a local-mode router's nodes).</summary>
    public static IReadOnlyList<int> Tree(int pid)
    {
        var all = new List<int> { pid };
        for (int i = 0; i < all.Count; i++)
        {
            foreach (string task in SafeDirectories($"/proc/{all[i]}/task"))
            {
                string children = SafeRead(Path.Combine(task, "children"));
                all.AddRange(children.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(c => int.Parse(c, CultureInfo.InvariantCulture)));
            }
        }

        return all;
    }

    private static string[] SafeDirectories(string path)
    {
        try
        {
            return Directory.GetDirectories(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static string SafeRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
