using System.Text.Json.Nodes;
using KubeCache.EndToEnd.Tests.Support;
using Xunit.Abstractions;

namespace KubeCache.EndToEnd.Tests.Cluster;

/// <summary>The simulated controllers and kubelet on their own, with standalone cache nodes as the containers.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class SimulatedClusterTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task StatefulSet_ScaleUpThenDown_PodsReadyOnOwnAddressesAndHighestOrdinalsDeleted()
    {
        await using var server = await FakeApiServer.FakeApiServer.StartAsync();
        await using var cluster = SimulatedCluster.Start(server);
        try
        {
            JsonObject set = server.Create(TestWorkloads.StatefulSet("web", 3));
            await server.WaitForAsync("apps", "statefulsets", "default", "web", s => s.Long("status", "readyReplicas") == 3, Bound);

            var pods = server.List("", "pods", "default").OrderBy(p => p.Name(), StringComparer.Ordinal).ToList();
            Assert.Equal(["web-0", "web-1", "web-2"], pods.Select(p => p.Name()));
            Assert.All(pods, p => Assert.True(p.IsOwnedBy(set.Uid())));
            Assert.All(pods, p => Assert.Equal("True", p.Condition("Ready")));
            Assert.All(pods, p => Assert.Equal(p.Name(), p.Str("metadata", "labels", "statefulset.kubernetes.io/pod-name")));
            var ips = pods.Select(p => p.Str("status", "podIP")!).ToList();
            Assert.Equal(3, ips.Distinct().Count());
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            foreach (string ip in ips)
            {
                Assert.StartsWith("127.0.0.", ip, StringComparison.Ordinal);
                using HttpResponseMessage ready = await http.GetAsync(new Uri($"http://{ip}:7171/readyz"));
                Assert.True(ready.IsSuccessStatusCode);
            }

            JsonObject scaled = server.Get("apps", "statefulsets", "default", "web")!;
            scaled["spec"]!["replicas"] = 1;
            server.Update(scaled);
            await server.WaitUntilAsync(() => server.List("", "pods", "default").Count == 1 ? "" : null, Bound, "pods web-1 and web-2 to go");
            JsonObject after = await server.WaitForAsync("apps", "statefulsets", "default", "web", s => s.Long("status", "replicas") == 1 && s.Long("status", "readyReplicas") == 1, Bound);

            Assert.Equal("web-0", server.List("", "pods", "default").Single().Name());
            Assert.Equal(after.Long("metadata", "generation"), after.Long("status", "observedGeneration"));
            Assert.Contains(cluster.Kubelet.History, h => h.Contains("prestop web-2", StringComparison.Ordinal) && h.Contains(" 200 ", StringComparison.Ordinal));
            Assert.Contains(cluster.Kubelet.History, h => h.Contains("stopped web-1 by SIGTERM", StringComparison.Ordinal));
            Assert.Single(cluster.Kubelet.Pods);
            Assert.Empty(cluster.Faults);
        }
        catch
        {
            output.WriteLine(cluster.Describe());
            throw;
        }
    }

    [Fact]
    public async Task StatefulSet_OnDeleteTemplateChange_NoPodReplacedUntilDeletedThenNewRevision()
    {
        await using var server = await FakeApiServer.FakeApiServer.StartAsync();
        await using var cluster = SimulatedCluster.Start(server);
        try
        {
            JsonObject created = TestWorkloads.StatefulSet("web", 2);
            created["spec"]!["updateStrategy"] = new JsonObject { ["type"] = "OnDelete" };
            server.Create(created);
            JsonObject first = await server.WaitForAsync("apps", "statefulsets", "default", "web", s => s.Long("status", "readyReplicas") == 2, Bound);
            string oldRevision = first.Str("status", "updateRevision")!;
            Assert.StartsWith("web-", oldRevision, StringComparison.Ordinal);
            Assert.Equal(oldRevision, first.Str("status", "currentRevision"));
            Assert.All(server.List("", "pods", "default"), p => Assert.Equal(oldRevision, StatefulSetController.RevisionOf(p)));
            Dictionary<string, string> uids = server.List("", "pods", "default").ToDictionary(p => p.Name(), p => p.Uid());

            JsonObject changed = server.Get("apps", "statefulsets", "default", "web")!;
            changed["spec"]!["template"]!["spec"]!["containers"]![0]!["args"] = new JsonArray("--max-memory", "48mb");
            server.Update(changed);
            JsonObject pending = await server.WaitForAsync("apps", "statefulsets", "default", "web",
                s => s.Long("status", "observedGeneration") == s.Long("metadata", "generation") && s.Str("status", "updateRevision") != oldRevision, Bound);
            string newRevision = pending.Str("status", "updateRevision")!;
            Assert.Equal(0, pending.Long("status", "updatedReplicas"));
            Assert.Equal(2, pending.Long("status", "currentReplicas"));
            Assert.Equal(uids, server.List("", "pods", "default").ToDictionary(p => p.Name(), p => p.Uid()));

            server.Delete("", "pods", "default", "web-1");
            JsonObject replaced = await server.WaitUntilAsync(
                () => server.List("", "pods", "default").SingleOrDefault(p => p.Name() == "web-1" && p.Uid() != uids["web-1"] && p.Condition("Ready") == "True"),
                Bound, "a new, Ready web-1");
            Assert.Equal(newRevision, StatefulSetController.RevisionOf(replaced));
            Assert.Contains("48mb", replaced["spec"]!["containers"]![0]!["args"]!.ToJsonString(), StringComparison.Ordinal);
            JsonObject after = await server.WaitForAsync("apps", "statefulsets", "default", "web", s => s.Long("status", "updatedReplicas") == 1 && s.Long("status", "readyReplicas") == 2, Bound);
            Assert.Equal(oldRevision, after.Str("status", "currentRevision"));
            Assert.Equal(1, after.Long("status", "currentReplicas"));
            JsonObject untouched = server.Get("", "pods", "default", "web-0")!;
            Assert.Equal(uids["web-0"], untouched.Uid());
            Assert.Equal(oldRevision, StatefulSetController.RevisionOf(untouched));
            Assert.Empty(cluster.Faults);
        }
        catch
        {
            output.WriteLine(cluster.Describe());
            throw;
        }
    }

    [Fact]
    public async Task Kubelet_ProcessKilled_RestartsContainerAndPodBecomesReadyAgain()
    {
        await using var server = await FakeApiServer.FakeApiServer.StartAsync();
        await using var cluster = SimulatedCluster.Start(server);
        try
        {
            server.Create(TestWorkloads.Deployment("api", 1));
            await server.WaitForAsync("apps", "deployments", "default", "api", d => d.Long("status", "readyReplicas") == 1, Bound);
            PodRuntime pod = cluster.Kubelet.Pods.Single();
            Assert.StartsWith("api-", pod.Name, StringComparison.Ordinal);

            Assert.True(await pod.Process!.SignalAsync("KILL"));

            JsonObject restarted = await server.WaitUntilAsync(
                () => server.List("", "pods", "default").SingleOrDefault(p =>
                    p["status"]?["containerStatuses"]?[0]?["restartCount"]?.GetValue<int>() == 1 && p.Condition("Ready") == "True"),
                Bound,
                "the container to restart and the pod to be Ready again");
            Assert.Contains(cluster.Kubelet.History, h => h.Contains($"restart {pod.Name}", StringComparison.Ordinal));
            JsonNode? terminated = restarted["status"]!["containerStatuses"]![0]!["lastState"]?["terminated"];
            Assert.Equal(("Error", 137L), (terminated.Str("reason"), terminated.Long("exitCode")));
        }
        catch
        {
            output.WriteLine(cluster.Describe());
            throw;
        }
    }

    [Fact]
    public async Task Kubelet_UnknownImage_PodPendingWithErrImagePull()
    {
        await using var server = await FakeApiServer.FakeApiServer.StartAsync();
        await using var cluster = SimulatedCluster.Start(server);
        server.Create(TestWorkloads.Deployment("other", 1, image: "docker.io/library/nginx:1"));

        JsonObject pod = await server.WaitUntilAsync(() => server.List("", "pods", "default").SingleOrDefault(p => p.Str("status", "phase") == "Pending" && p["status"]?["containerStatuses"] is not null), Bound,
            "a Pending pod the kubelet has tried to start");

        Assert.Equal("ErrImagePull", pod["status"]?["containerStatuses"]?[0]?["state"]?["waiting"].Str("reason"));
        Assert.Empty(cluster.Kubelet.Pods);
        JsonObject deployment = server.Get("apps", "deployments", "default", "other")!;
        Assert.Equal(0, deployment.Long("status", "readyReplicas"));
    }

    [Fact]
    public void ContainerLaunch_DownwardApiAndPorts_ResolvedForThePod()
    {
        JsonObject set = TestWorkloads.StatefulSet("db", 1);
        var pod = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "db-0", ["namespace"] = "team" },
            ["spec"] = set["spec"]!["template"]!["spec"]!.DeepClone(),
        };
        var container = (JsonObject)pod["spec"]!["containers"]![0]!;
        var ip = System.Net.IPAddress.Parse("127.0.0.42");

        Assert.Equal(["--max-memory", "32mb", "--bind", "127.0.0.42", "--http-port", "7171", "--resp-port", "6379"], ContainerLaunch.Arguments(container, ip));
        Dictionary<string, string> env = ContainerLaunch.Environment(pod, container, ip, "/tmp/kubeconfig", null!);
        Assert.Equal("db-0", env["KVCACHE_NODE_NAME"]);
        Assert.Equal("/tmp/kubeconfig", env["KUBECONFIG"]);
        Assert.Equal(new Uri("http://127.0.0.42:7171/healthz"), ContainerLaunch.HttpGet(container, container["lifecycle"]!["preStop"], ip));
    }
}
