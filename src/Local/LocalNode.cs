using System.Diagnostics;
using System.Globalization;
using System.Net;
using KubeCache.Background;
using KubeCache.Hosting;
using KubeCache.Topology;

namespace KubeCache.Local;

/// <summary>
/// One cache node of local mode: a child process running <c>KubeCache.CacheNode.dll</c> from the
/// router's directory on fixed loopback ports, its output in a log file. A restart reuses the
/// ports and the name, so the ring needs no change.
/// </summary>
public sealed class LocalNode
{
    /// <summary>How long a starting node may take to answer <c>/readyz</c>: a cold .NET start on a loaded 2-core machine.</summary>
    private static readonly TimeSpan ReadyDeadline = TimeSpan.FromSeconds(30);

    /// <summary>How long a stop waits for the killed process to be gone.</summary>
    private static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(5);

    private readonly LocalNodeSettings _settings;
    private readonly Lock _sync = new();
    private Process? _process;
    private bool _stopping;

    // Whether the current process's exit handler has finished; only then may a restart dispose it
    // (see Spawn).
    private bool _exitHandled;

    internal LocalNode(string name, int httpPort, int respPort, LocalNodeSettings settings)
    {
        Name = name;
        HttpPort = httpPort;
        RespPort = respPort;
        _settings = settings;
        LogPath = Path.Combine(settings.Directory, name + ".log");
    }

    public string Name { get; }

    public int HttpPort { get; }

    public int RespPort { get; }

    public string LogPath { get; }

    public RingMember Member => new(Name, $"127.0.0.1:{HttpPort}", $"127.0.0.1:{RespPort}");

    /// <summary>The child's process id while it runs, else null.</summary>
    public int? ProcessId
    {
        get
        {
            lock (_sync)
            {
                return _process is { HasExited: false } p ? p.Id : null;
            }
        }
    }

    public bool IsRunning => ProcessId is not null;

    /// <summary>Raised with the exit code when the process ends without the cluster stopping it.</summary>
    internal event Action<LocalNode, int>? ExitedUnexpectedly;

    /// <summary>Creates a node on two loopback ports that were free a moment ago, below the range connections take theirs from (<see cref="LoopbackPorts"/>).</summary>
    internal static LocalNode Create(string name, LocalNodeSettings settings) =>
        new(name, LoopbackPorts.Free(settings.ReservedPorts), LoopbackPorts.Free(settings.ReservedPorts), settings);

    /// <summary>Starts the process and waits until it answers <c>GET /readyz</c>.</summary>
    /// <exception cref="LocalNodeException">The process exited or did not become ready in time; the message points at its log.</exception>
    internal async Task StartAsync(HttpClient http, CancellationToken cancellationToken)
    {
        Process process = Spawn();
        var readyz = new Uri($"http://127.0.0.1:{HttpPort}/readyz");
        long deadline = Environment.TickCount64 + (long)ReadyDeadline.TotalMilliseconds;
        while (true)
        {
            if (process.HasExited)
            {
                throw LocalNodeException.Exited(Name, process.ExitCode, LogPath);
            }

            try
            {
                using HttpResponseMessage response = await http.GetAsync(readyz, cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }

            if (Environment.TickCount64 > deadline)
            {
                await StopAsync().ConfigureAwait(false);
                throw LocalNodeException.NotReady(Name, ReadyDeadline, LogPath);
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Ends the process at once and waits until it is gone: a local node holds only cache entries, and callers stop it after its keys moved.</summary>
    internal async Task StopAsync()
    {
        if (Signal() is not { } process)
        {
            return;
        }

        using var deadline = new CancellationTokenSource(StopDeadline);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // SIGKILL cannot be ignored; a process still there after the deadline is the kernel's to finish.
        }
    }

    /// <summary>Ends the process at once, blocking until it is gone: for the router's own exit, where nothing may be awaited.</summary>
    internal void Kill() => Signal()?.WaitForExit(StopDeadline);

    /// <summary>Marks the stop as expected and kills the process tree; returns the process, or null when there is none to wait for.</summary>
    private Process? Signal()
    {
        Process? process;
        lock (_sync)
        {
            _stopping = true;
            process = _process;
        }

        try
        {
            process?.Kill(entireProcessTree: true);
            return process;
        }
        catch (InvalidOperationException)
        {
            // Already exited.
            return null;
        }
    }

    private Process Spawn()
    {
        var start = new ProcessStartInfo(_settings.DotnetHost)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
        };
        foreach (string argument in Arguments())
        {
            start.ArgumentList.Add(argument);
        }

        var log = new StreamWriter(LogPath, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        BackgroundErrors errors = _settings.Errors;
        process.OutputDataReceived += (_, e) => errors.Run("local-node-log", () => WriteLog(log, e.Data));
        process.ErrorDataReceived += (_, e) => errors.Run("local-node-log", () => WriteLog(log, e.Data));
        process.Exited += (_, _) => errors.Run("local-node-exit", () => OnExited(process, log));
        // Disposing a Process waits for its Exited handler to return, and OnExited takes _sync: the
        // old process is disposed here, outside the lock, only once its handler has finished, and
        // otherwise by that handler itself.
        Process? finished;
        lock (_sync)
        {
            _stopping = false;
            finished = _exitHandled ? _process : null;
            _process = process;
            _exitHandled = false;
        }

        finished?.Dispose();

        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private IEnumerable<string> Arguments() =>
    [
        _settings.NodeDll,
        "--bind", "127.0.0.1",
        "--http-port", HttpPort.ToString(CultureInfo.InvariantCulture),
        .. _settings.Security.PeerTls
            ? (string[])["--resp-port", "0", "--tls-resp-port", RespPort.ToString(CultureInfo.InvariantCulture)]
            : ["--resp-port", RespPort.ToString(CultureInfo.InvariantCulture)],
        .. _settings.SecurityArguments(),
        "--node-name", Name,
        "--ring-file", _settings.RingFile,
        "--ring-poll-interval", "100ms",
        "--max-memory", _settings.MaxMemoryBytes.ToString(CultureInfo.InvariantCulture),
    ];

    private static void WriteLog(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // The process was replaced by a restart; its last lines go nowhere.
            }
        }
    }

    private void OnExited(Process process, StreamWriter log)
    {
        process.WaitForExit(); // Drains the output readers before the log closes.
        lock (log)
        {
            log.Dispose();
        }

        bool expected;
        lock (_sync)
        {
            expected = _stopping || !ReferenceEquals(process, _process);
        }

        if (!expected)
        {
            ExitedUnexpectedly?.Invoke(this, process.ExitCode);
        }

        bool replaced;
        lock (_sync)
        {
            replaced = !ReferenceEquals(process, _process);
            _exitHandled |= !replaced;
        }

        if (replaced)
        {
            process.Dispose();
        }
    }
}
