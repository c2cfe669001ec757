using System.Text;
using KubeCache.FakeApiServer.Errors;
using KubeCache.Testing;
using KubeCache.Testing.Clients;

namespace KubeCache.EndToEnd.Tests.Cluster;

/// <summary>
/// What a real cluster would add to the API server: the StatefulSet and Deployment controllers,
/// one kubelet whose pods are real processes on loopback addresses, and the Services' endpoints
/// as kube-proxy routes them. One loop drives all four, waking on every write to the server and at least every
/// <see cref="SimulatedClusterOptions.ResyncInterval"/>. Disposing it kills every process.
/// </summary>
public sealed class SimulatedCluster : IAsyncDisposable
{
    private readonly FakeApiServer.FakeApiServer _server;
    private readonly SimulatedClusterOptions _options;
    private readonly StatefulSetController _statefulSets;
    private readonly DeploymentController _deployments;
    private readonly EndpointsController _endpoints;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _faults = [];
    private Task _loop = Task.CompletedTask;

    private SimulatedCluster(FakeApiServer.FakeApiServer server, SimulatedClusterOptions options)
    {
        _server = server;
        _options = options;
        LogDirectory = options.LogDirectory ?? Directory.CreateTempSubdirectory("kubecache-e2e-").FullName;
        Directory.CreateDirectory(LogDirectory);
        _statefulSets = new StatefulSetController(server);
        _deployments = new DeploymentController(server);
        _endpoints = new EndpointsController(server, options.EndpointsLag);
        Kubelet = new Kubelet(server, options, LogDirectory);
    }

    public Kubelet Kubelet { get; }

    /// <summary>Per-pod logs (and any other logs a test puts there).</summary>
    public string LogDirectory { get; }

    /// <summary>Unexpected errors of the controllers' loop (a test asserts there are none).</summary>
    public IReadOnlyList<string> Faults
    {
        get
        {
            lock (_faults)
            {
                return [.. _faults];
            }
        }
    }

    public static SimulatedCluster Start(FakeApiServer.FakeApiServer server, SimulatedClusterOptions? options = null)
    {
        var cluster = new SimulatedCluster(server, options ?? new SimulatedClusterOptions());
        cluster._loop = cluster.RunAsync();
        return cluster;
    }

    /// <summary>
    /// Where a client of port <paramref name="port"/> of Service <paramref name="ns"/>/<paramref name="name"/>
    /// connects: its Ready, not terminating pods, kept current by the cluster's loop (<see cref="EndpointsController"/>).
    /// </summary>
    public ServiceEndpoints Service(string ns, string name, string port) => _endpoints.For(ns, name, port);

    /// <summary>The pod's loopback address while the kubelet runs it.</summary>
    public PodRuntime? Pod(string ns, string name) =>
        Kubelet.Pods.FirstOrDefault(p => p.Namespace == ns && p.Name == name && !p.Terminating);

    /// <summary>The kubelet's history and the tail of every log file, for a failed test's output.</summary>
    public string Describe(int linesPerLog = 60)
    {
        var text = new StringBuilder();
        text.AppendLine("== kubelet history ==");
        foreach (string line in Kubelet.History)
        {
            text.AppendLine(line);
        }
        foreach (string fault in Faults)
        {
            text.AppendLine("fault: " + fault);
        }
        foreach (string log in Directory.EnumerateFiles(LogDirectory, "*.log").Order(StringComparer.Ordinal))
        {
            text.AppendLine($"== {Path.GetFileName(log)} ==");
            text.AppendLine(ChildProcess.Tail(log, linesPerLog));
        }
        return text.ToString();
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            long seen = _server.ResourceVersion;
            try
            {
                _statefulSets.Sync();
                _deployments.Sync();
                await Kubelet.SyncAsync();
                _endpoints.Sync();
            }
            catch (Exception e) when (e is ApiException or InvalidOperationException or IOException)
            {
                lock (_faults)
                {
                    _faults.Add($"{DateTime.UtcNow:HH:mm:ss.fff} {e.GetType().Name}: {e.Message}");
                }
            }
            try
            {
                await _server.WaitUntilAsync(() => _server.ResourceVersion != seen ? "" : null, _options.ResyncInterval);
            }
            catch (TimeoutException)
            {
                // Nothing was written: look again anyway (probes and exits are not writes).
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        await Kubelet.DisposeAsync();
        _stop.Dispose();
    }
}
