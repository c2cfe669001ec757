using System.Diagnostics;
using System.Net;

namespace KubeCache.CacheNode.Tests.Executable;

/// <summary>Starts the real node executable in its own process and reads its resident memory.</summary>
internal static class NodeProcess
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "KubeCache.CacheNode.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("could not start the node");
    }

    public static async Task WaitReadyAsync(HttpClient http)
    {
        long deadline = Environment.TickCount64 + (long)Deadline.TotalMilliseconds;
        while (true)
        {
            try
            {
                using HttpResponseMessage ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (Environment.TickCount64 < deadline)
            {
            }

            Assert.True(Environment.TickCount64 < deadline, "the node did not become ready in time");
            await Task.Delay(100);
        }
    }

    /// <summary>VmRSS of process <paramref name="pid"/>, in bytes, from /proc.</summary>
    public static long ResidentBytes(int pid)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                string kilobytes = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kilobytes, System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"/proc/{pid}/status has no VmRSS line");
    }
}
