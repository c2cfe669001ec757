using System.Net;
using KubeCache.Testing;

namespace KubeCache.EndToEnd.Tests.Cluster;

/// <summary>
/// One pod on the simulated kubelet: its loopback IP, its container's process (restarted when it
/// exits while the pod is not terminating), and the readiness probe that runs beside it.
/// </summary>
public sealed class PodRuntime : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<ChildProcess> _launch;
    private Task? _probing;
    private volatile bool _ready;

    internal PodRuntime(string ns, string name, string uid, IPAddress ip, string logFile, Func<ChildProcess> launch)
    {
        Namespace = ns;
        Name = name;
        Uid = uid;
        IP = ip;
        LogFile = logFile;
        _launch = launch;
        StartedAt = DateTimeOffset.UtcNow;
        ReadySince = StartedAt;
    }

    public string Namespace { get; }

    public string Name { get; }

    public string Uid { get; }

    public IPAddress IP { get; }

    /// <summary>Standard output and error of every run of the container, appended.</summary>
    public string LogFile { get; }

    public DateTimeOffset StartedAt { get; }

    /// <summary>When the Ready condition last changed.</summary>
    public DateTimeOffset ReadySince { get; private set; }

    public int RestartCount { get; private set; }

    /// <summary>How the container's previous run ended (its exit code and when), for the status's lastState; null before any restart.</summary>
    public (int ExitCode, DateTimeOffset FinishedAt)? LastExit { get; private set; }

    /// <summary>The result of the last readiness probe.</summary>
    public bool Ready => _ready;

    /// <summary>Set when the pod got a deletionTimestamp; the termination then owns the process.</summary>
    public bool Terminating { get; internal set; }

    internal ChildProcess? Process { get; private set; }

    internal Task? Termination { get; set; }

    internal void Start(Uri probe, TimeSpan interval)
    {
        Process = _launch();
        _probing = ProbeAsync(probe, interval, _stop.Token);
    }

    /// <summary>Starts the container again after it exited on its own (restartPolicy Always).</summary>
    internal async Task RestartAsync()
    {
        if (Process is not null)
        {
            LastExit = (Process.HasExited ? Process.ExitCode : -1, DateTimeOffset.UtcNow);
            await Process.DisposeAsync();
        }
        RestartCount++;
        Process = _launch();
    }

    private async Task ProbeAsync(Uri probe, TimeSpan interval, CancellationToken cancellation)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        while (!cancellation.IsCancellationRequested)
        {
            bool ok;
            try
            {
                using HttpResponseMessage response = await http.GetAsync(probe, cancellation);
                ok = response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                ok = false;
            }
            catch (TaskCanceledException) when (!cancellation.IsCancellationRequested)
            {
                ok = false;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (ok != _ready)
            {
                ReadySince = DateTimeOffset.UtcNow;
                _ready = ok;
            }
            try
            {
                await Task.Delay(interval, cancellation);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_probing is not null)
        {
            await _probing;
        }
        if (Process is not null)
        {
            await Process.DisposeAsync();
        }
        _stop.Dispose();
    }
}
