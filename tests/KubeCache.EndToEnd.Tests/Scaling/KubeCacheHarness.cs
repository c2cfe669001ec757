using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using KubeCache.EndToEnd.Tests.Cluster;
using KubeCache.EndToEnd.Tests.Support;
using KubeCache.FakeApiServer;
using KubeCache.Testing;

namespace KubeCache.EndToEnd.Tests.Scaling;

/// <summary>
/// The whole system without a real cluster: the fake API server, the simulated cluster, the real
/// operator process(es) and the real kubectl; the KvCluster <c>demo</c> from examples/kvcluster.yaml
/// unless another one is named.
/// </summary>
internal sealed class KubeCacheHarness : IAsyncDisposable
{
    public const string Namespace = "default";
    public const string Name = "demo";

    private KubeCacheHarness(FakeApiServer.FakeApiServer server, SimulatedCluster cluster, string ns, string name)
    {
        Server = server;
        Cluster = cluster;
        Kubectl = new Kubectl(server);
        ClusterNamespace = ns;
        ClusterName = name;
        Observer = new KvClusterObserver(server, ns, name);
    }

    /// <summary>Namespace of the KvCluster under test.</summary>
    public string ClusterNamespace { get; }

    /// <summary>Name of the KvCluster under test.</summary>
    public string ClusterName { get; }

    public FakeApiServer.FakeApiServer Server { get; }

    public SimulatedCluster Cluster { get; }

    public Kubectl Kubectl { get; }

    public KvClusterObserver Observer { get; }

    public List<OperatorProcess> Operators { get; } = [];

    public static Task<KubeCacheHarness> StartAsync(params string[] operatorIdentities) =>
        StartAsync(Namespace, Name, operatorIdentities);

    /// <summary>The harness for the KvCluster <paramref name="name"/> in <paramref name="ns"/>, with the chart's RBAC rendered with <paramref name="chartSets"/>.</summary>
    public static async Task<KubeCacheHarness> StartAsync(string ns, string name, string[] operatorIdentities, params string[] chartSets)
    {
        FakeApiServer.FakeApiServer server = await FakeApiServer.FakeApiServer.StartAsync(new FakeApiServerOptions { Rbac = true, UseHttps = true });
        var harness = new KubeCacheHarness(server, SimulatedCluster.Start(server), ns, name);
        if (chartSets.Length > 0)
        {
            ChartRbac.OperatorKubeconfig(server, harness.Cluster.LogDirectory, ChartRbac.Render(chartSets));
        }

        Assert.True(harness.Kubectl.IsAvailable, "kubectl is missing at /usr/bin/kubectl");
        foreach (string identity in operatorIdentities)
        {
            harness.Operators.Add(OperatorProcess.Start(server, identity, harness.Cluster.LogDirectory));
        }
        return harness;
    }

    /// <summary>kubectl, failing the test on a non-zero exit.</summary>
    public async Task<string> KubectlAsync(params string[] args)
    {
        KubectlResult result = await Kubectl.RunAsync(args);
        Assert.True(result.ExitCode == 0, $"kubectl {string.Join(' ', args)}: {result}");
        return result.StandardOutput;
    }

    /// <summary>kubectl apply of crds/ and of examples/<paramref name="example"/>, as the README tells a user.</summary>
    public Task ApplyExampleAsync(string example = "kvcluster.yaml") => ApplyClusterAsync(RepoFiles.Path("examples", example));

    /// <summary>kubectl apply of crds/ and of the manifest at <paramref name="path"/>.</summary>
    public async Task ApplyClusterAsync(string path)
    {
        await KubectlAsync("apply", "--server-side", "-f", RepoFiles.Path("crds"));
        await Server.WaitForAsync("apiextensions.k8s.io", "customresourcedefinitions", null, "kvclusters.kubecache.io",
            crd => crd["status"]?["conditions"].Objects().Any(c => c.Str("type") == "Established" && c.Str("status") == "True") == true, TimeSpan.FromSeconds(10));
        if (Server.Get("", "namespaces", null, ClusterNamespace) is null)
        {
            Server.Create(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ClusterNamespace } });
        }

        await KubectlAsync("apply", "-f", path);
    }

    public JsonObject KvCluster() => Server.Get("kubecache.io", "kvclusters", ClusterNamespace, ClusterName)!;

    /// <summary>Waits for phase Ready with <paramref name="members"/> members at an epoch above <paramref name="afterEpoch"/>, observedGeneration current.</summary>
    /// An operator that exits on its own fails the wait at once (its log is in <see cref="Describe"/>).
    public Task<KvClusterState> WaitReadyAsync(int members, long afterEpoch, DateTimeOffset since, TimeSpan timeout) =>
        Observer.WaitForAsync(
            s =>
            {
                Assert.DoesNotContain(Operators, o => o.Process.HasExited && !o.Killed);
                return s.Phase == "Ready" && s.Members == members && s.Epoch > afterEpoch && s.ObservedGeneration == s.Generation;
            },
            since, timeout, $"phase Ready with {members} members at an epoch above {afterEpoch}");

    /// <summary>The address of a Ready router pod.</summary>
    public async Task<IPAddress> RouterAsync(TimeSpan timeout)
    {
        JsonObject pod = await Server.WaitUntilAsync(
            () => Server.List("", "pods", ClusterNamespace).FirstOrDefault(p => p.Name().StartsWith(ClusterName + "-router-", StringComparison.Ordinal) && p.Condition("Ready") == "True" && !p.IsTerminating()),
            timeout, "a Ready router pod");
        return IPAddress.Parse(pod.Str("status", "podIP")!);
    }

    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine("== KvCluster states ==");
        foreach (KvClusterState state in Observer.States)
        {
            text.AppendLine(state.ToString());
        }
        text.AppendLine("== RBAC denials ==");
        foreach (string denial in Server.Denials)
        {
            text.AppendLine(denial);
        }
        text.AppendLine("== KvCluster ==").AppendLine(Server.Get("kubecache.io", "kvclusters", ClusterNamespace, ClusterName)?.ToJsonString());
        foreach (OperatorProcess op in Operators)
        {
            text.AppendLine($"== operator {op.Identity} (exited: {op.Process.HasExited}) ==").AppendLine(ChildProcess.Tail(op.Process.LogFile, 120));
        }
        text.Append(Cluster.Describe());
        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (OperatorProcess op in Operators)
        {
            await op.DisposeAsync();
        }
        await Observer.DisposeAsync();
        await Cluster.DisposeAsync();
        await Server.DisposeAsync();
    }
}
