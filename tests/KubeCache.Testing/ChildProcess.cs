using System.Diagnostics;
using System.Globalization;

namespace KubeCache.Testing;

/// <summary>
/// A process the tests start, its standard output and error appended to a log file (a shell
/// redirects them and then execs the program, so the pid is the program's own and signals reach it).
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ChildProcess(Process process, string logFile)
    {
        _process = process;
        LogFile = logFile;
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string LogFile { get; }

    /// <summary>The dotnet host running the tests, so children use the same runtime.</summary>
    public static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>A dll from the test output (KubeCache.CacheNode.dll, KubeCache.Router.dll, KubeCache.Operator.dll).</summary>
    public static string OutputDll(string name)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, name);
        Assert.True(File.Exists(dll), $"{dll} is missing: the project reference should copy it to the test output");
        Assert.True(File.Exists(Path.ChangeExtension(dll, ".runtimeconfig.json")), $"{dll}'s runtimeconfig.json is missing from the test output");
        return dll;
    }

    /// <summary>
    /// Starts <paramref name="program"/> with <paramref name="arguments"/>. The environment is the
    /// test's minus every KVCACHE_*, KUBERNETES_* and KUBECONFIG variable, plus <paramref name="environment"/>.
    /// </summary>
    public static ChildProcess Start(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string logFile)
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (string argument in new[] { "-c", "log=$1; shift; exec \"$@\" >>\"$log\" 2>&1", "sh", logFile, program }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }
        foreach (string key in start.Environment.Keys.ToList())
        {
            if (key.StartsWith("KVCACHE_", StringComparison.Ordinal) || key.StartsWith("KUBERNETES_", StringComparison.Ordinal) || key == "KUBECONFIG")
            {
                start.Environment.Remove(key);
            }
        }
        foreach ((string key, string value) in environment)
        {
            start.Environment[key] = value;
        }
        File.AppendAllText(logFile, $"--- {DateTime.UtcNow:O} {program} {string.Join(' ', arguments)}{Environment.NewLine}");
        return new ChildProcess(Process.Start(start)!, logFile);
    }

    /// <summary>Sends a POSIX signal (TERM, KILL, STOP, CONT) with the real <c>kill</c>; false when the process is gone.</summary>
    public async Task<bool> SignalAsync(string signal)
    {
        if (_process.HasExited)
        {
            return false;
        }
        using Process kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, Pid.ToString(CultureInfo.InvariantCulture)])
        {
            UseShellExecute = false,
            RedirectStandardError = true,
        })!;
        await kill.WaitForExitAsync();
        return kill.ExitCode == 0;
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the process to exit; true when it did.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return _process.HasExited;
        }
    }

    /// <summary>The last <paramref name="lines"/> lines of the log.</summary>
    public static string Tail(string logFile, int lines = 80) =>
        File.Exists(logFile) ? string.Join(Environment.NewLine, File.ReadLines(logFile).TakeLast(lines)) : "(no log)";

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // The whole tree: a router in local mode has node processes of its own.
            _process.Kill(entireProcessTree: true);
            await WaitForExitAsync(TimeSpan.FromSeconds(10));
        }
        _process.Dispose();
    }
}
