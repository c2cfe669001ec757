using System.Diagnostics;

namespace KubeCache.FakeApiServer;

/// <summary>What a kubectl run printed and returned.</summary>
public sealed record KubectlResult(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}";
}

/// <summary>
/// Runs the real kubectl against a fake server with its own kubeconfig and discovery cache
/// directory (so a CRD registered mid-test is seen, and parallel servers never share a cache).
/// </summary>
public sealed class Kubectl(FakeApiServer server, string executable = "/usr/bin/kubectl")
{
    // Under the kubeconfig's temp directory, which the server removes when disposed.
    private readonly string _cacheDir = Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(server.KubeconfigPath)!, "kubectl-" + Guid.NewGuid().ToString("N"))).FullName;

    /// <summary>Whether the kubectl binary is present.</summary>
    public bool IsAvailable => File.Exists(executable);

    /// <summary>Runs kubectl with <paramref name="args"/>, feeding <paramref name="stdin"/> when given; default timeout 60 s.</summary>
    public async Task<KubectlResult> RunAsync(IEnumerable<string> args, string? stdin = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("--kubeconfig");
        info.ArgumentList.Add(server.KubeconfigPath);
        info.ArgumentList.Add("--cache-dir");
        info.ArgumentList.Add(_cacheDir);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        info.Environment["HOME"] = _cacheDir;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {executable}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin).ConfigureAwait(false);
        }
        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish in time");
        }
        return new KubectlResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    public Task<KubectlResult> RunAsync(params string[] args) => RunAsync(args, null, null);
}
