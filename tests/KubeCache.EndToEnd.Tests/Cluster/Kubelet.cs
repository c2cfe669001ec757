using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using KubeCache.EndToEnd.Tests.Support;
using KubeCache.FakeApiServer.Errors;
using KubeCache.Testing;

namespace KubeCache.EndToEnd.Tests.Cluster;

/// <summary>
/// The simulated kubelet: one real process per Pod (its first container), on its own loopback
/// IP; status (podIP, phase, Ready from the readiness probe) written through /status; graceful
/// deletion (preStop, SIGTERM, grace period, SIGKILL) before the pod's finalizer is removed.
/// Pods carry the finalizer <see cref="Finalizer"/> from their controller so that a delete leaves
/// them Terminating until the kubelet is done, as a real kubelet's final delete does.
/// </summary>
public sealed partial class Kubelet : IAsyncDisposable
{
    /// <summary>Keeps a deleted pod (deletionTimestamp set) until its process is stopped.</summary>
    public const string Finalizer = "e2e.kubecache.io/kubelet";

    private readonly FakeApiServer.FakeApiServer _server;
    private readonly SimulatedClusterOptions _options;
    private readonly string _logDirectory;
    private readonly ConcurrentDictionary<string, PodRuntime> _pods = new();
    private readonly ConcurrentQueue<string> _history = new();
    private readonly ConcurrentDictionary<string, string> _kubeconfigs = new();

    internal Kubelet(FakeApiServer.FakeApiServer server, SimulatedClusterOptions options, string logDirectory)
    {
        _server = server;
        _options = options;
        _logDirectory = logDirectory;
    }

    /// <summary>The pods running now, by uid.</summary>
    public IReadOnlyCollection<PodRuntime> Pods => [.. _pods.Values];

    /// <summary>What the kubelet did, in order ("start demo-0 127.0.0.10", "prestop demo-4 1.2s 200", ...).</summary>
    public IReadOnlyCollection<string> History => [.. _history];

    /// <summary>Every log file written so far (pods that are gone included).</summary>
    public IEnumerable<string> LogFiles => Directory.EnumerateFiles(_logDirectory, "*.log");

    /// <summary>One pass: start new pods, restart exited containers, begin terminations, write status.</summary>
    internal async Task SyncAsync()
    {
        IReadOnlyList<JsonObject> pods = _server.List("", "pods");
        var seen = new HashSet<string>();
        foreach (JsonObject pod in pods)
        {
            string uid = pod.Uid();
            seen.Add(uid);
            if (!_pods.TryGetValue(uid, out PodRuntime? runtime))
            {
                if (pod.IsTerminating())
                {
                    RemoveFinalizer(pod);
                    continue;
                }
                runtime = StartPod(pod);
                if (runtime is null)
                {
                    continue;
                }
            }
            if (pod.IsTerminating() && !runtime.Terminating)
            {
                runtime.Terminating = true;
                runtime.Termination = TerminateAsync(runtime, pod);
            }
            else if (!runtime.Terminating && runtime.Process is { HasExited: true } exited)
            {
                Record($"restart {runtime.Name} (exit {exited.ExitCode})");
                await runtime.RestartAsync();
            }
            WriteStatus(pod, runtime);
        }
        foreach (PodRuntime gone in _pods.Values.Where(p => !seen.Contains(p.Uid) && !p.Terminating))
        {
            // Deleted without the kubelet (finalizer removed by someone else): stop at once.
            Record($"kill {gone.Name} (pod gone)");
            await ForgetAsync(gone);
        }
    }

    private PodRuntime? StartPod(JsonObject pod)
    {
        JsonObject? container = pod["spec"]?["containers"].Objects().FirstOrDefault();
        string? dll = _options.Images.DllFor(container.Str("image"));
        if (container is null || dll is null)
        {
            WritePendingStatus(pod, container.Str("image"));
            return null;
        }
        Uri? readiness = ContainerLaunch.HttpGet(container, container["readinessProbe"], IPAddress.Loopback);
        int probePort = readiness?.Port ?? 7171;
        IPAddress ip = LoopbackAddresses.Allocate(probePort);
        string log = Path.Combine(_logDirectory, $"{pod.Namespace()}_{pod.Name()}_{pod.Uid()[..8]}.log");
        List<string> args = [dll, .. ContainerLaunch.Arguments(container, ip)];
        Dictionary<string, string> env = ContainerLaunch.Environment(pod, container, ip, ServiceAccountKubeconfig(pod), _server);
        var runtime = new PodRuntime(pod.Namespace(), pod.Name(), pod.Uid(), ip, log, () => ChildProcess.Start(ChildProcess.DotnetHost, args, env, log));
        Uri probe = ContainerLaunch.HttpGet(container, container["readinessProbe"], ip) ?? new Uri($"http://{ip}:7171/readyz");
        runtime.Start(probe, _options.ProbeInterval);
        _pods[pod.Uid()] = runtime;
        Record($"start {pod.Name()} {ip}");
        return runtime;
    }

    /// <summary>
    /// A kubeconfig with the token of the pod's service account (<c>default</c> when it names
    /// none), so the container's requests are authorized as the pod's would be on a cluster.
    /// </summary>
    private string ServiceAccountKubeconfig(JsonObject pod)
    {
        string account = pod.Str("spec", "serviceAccountName") ?? "default";
        string ns = pod.Namespace();
        // Written once per account: a running container may be reading it while another starts.
        return _kubeconfigs.GetOrAdd($"{ns}-{account}",
            key => _server.WriteServiceAccountKubeconfig(ns, account, Path.Combine(_logDirectory, $"kubeconfig-{key}")));
    }

    private async Task ForgetAsync(PodRuntime runtime)
    {
        _pods.TryRemove(runtime.Uid, out _);
        await runtime.DisposeAsync();
        LoopbackAddresses.Release(runtime.IP);
    }

    private void RemoveFinalizer(JsonObject pod)
    {
        for (int attempt = 0; attempt < 5; attempt++)
        {
            JsonObject? current = _server.Get("", "pods", pod.Namespace(), pod.Name());
            if (current is null || current.Uid() != pod.Uid())
            {
                return;
            }
            if (current["metadata"]?["finalizers"] is not JsonArray finalizers)
            {
                return;
            }
            var rest = finalizers.Where(f => f?.GetValue<string>() != Finalizer).Select(f => f!.DeepClone()).ToArray();
            if (rest.Length == finalizers.Count)
            {
                return;
            }
            ((JsonObject)current["metadata"]!)["finalizers"] = new JsonArray(rest);
            try
            {
                _server.Update(current);
                return;
            }
            catch (ApiException)
            {
                // Raced with another write to the pod: read it again.
            }
        }
    }

    private void Record(string what) => _history.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {what}");

    public async ValueTask DisposeAsync()
    {
        foreach (PodRuntime runtime in _pods.Values)
        {
            await ForgetAsync(runtime);
        }
    }
}
