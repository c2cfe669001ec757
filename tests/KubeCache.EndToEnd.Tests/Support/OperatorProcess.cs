using System.Globalization;
using KubeCache.Testing;

namespace KubeCache.EndToEnd.Tests.Support;

/// <summary>
/// The real operator: <c>dotnet KubeCache.Operator.dll --http-port P --lease-namespace default
/// --identity X</c> with KUBECONFIG pointing at the fake API server with its service account's
/// token, as it runs in its pod.
/// </summary>
internal sealed class OperatorProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private OperatorProcess(ChildProcess process, string identity, int httpPort)
    {
        _process = process;
        Identity = identity;
        HttpPort = httpPort;
    }

    public string Identity { get; }

    public int HttpPort { get; }

    public ChildProcess Process => _process;

    /// <summary>Set by <see cref="KillAsync"/>: the test ended this process on purpose.</summary>
    public bool Killed { get; private set; }

    /// <summary>kill -9, as a node failure or an OOM kill would end the operator's pod.</summary>
    public async Task<bool> KillAsync()
    {
        Killed = true;
        return await _process.SignalAsync("KILL");
    }

    /// <summary>
    /// Starts the operator as its service account with the chart's RBAC (<see cref="ChartRbac"/>);
    /// <paramref name="environment"/> adds variables (e.g. <c>KVCACHE_INJECT_FAULTS</c>).
    /// </summary>
    public static OperatorProcess Start(FakeApiServer.FakeApiServer server, string identity, string logDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        string kubeconfig = ChartRbac.OperatorKubeconfig(server, logDirectory);
        int port = Ports.Free();
        ChildProcess process = ChildProcess.Start(ChildProcess.DotnetHost,
            [ChildProcess.OutputDll("KubeCache.Operator.dll"), "--http-port", port.ToString(CultureInfo.InvariantCulture), "--lease-namespace", "default", "--identity", identity],
            new Dictionary<string, string>(environment ?? new Dictionary<string, string>()) { ["KUBECONFIG"] = kubeconfig, ["DOTNET_gcServer"] = "0" },
            Path.Combine(logDirectory, $"operator-{identity}.log"));
        return new OperatorProcess(process, identity, port);
    }

    /// <summary>The sum of the samples of <paramref name="metric"/> on /metrics, or null while it does not answer.</summary>
    public Task<double?> MetricAsync(string metric) => MetricsText.ScrapeAsync(HttpPort, metric);

    public ValueTask DisposeAsync() => _process.DisposeAsync();

}
