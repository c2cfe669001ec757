using System.Net;
using System.Text.Json.Nodes;
using KubeCache.FakeApiServer.Json;
using KubeCache.FakeApiServer.Tests.Support;

namespace KubeCache.FakeApiServer.Tests;

/// <summary>The pods/eviction subresource and the PodDisruptionBudget status the disruption controller keeps.</summary>
public sealed class EvictionTests
{
    private const string Pods = "/api/v1/namespaces/default/pods";
    private const string Budgets = "/apis/policy/v1/namespaces/default/poddisruptionbudgets";

    /// <summary>Keeps an evicted pod Terminating, as a scheduled pod's graceful deletion does until its kubelet is done.</summary>
    private const string KubeletFinalizer = "test/kubelet";

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Evict_BudgetAllowsOne_DeletesGracefullyAndRefusesTheNextWith429()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        StatefulSetWithReadyPods(server, "web", 3);
        await client.PostAsync(Budgets, Budget("web", """{"maxUnavailable":1}"""));
        await WaitForBudgetAsync(server, "web", s => s["disruptionsAllowed"].AsLong() == 1);

        var first = await client.PostAsync(Evict("web-2"), Eviction("web-2"));
        var budget = await WaitForBudgetAsync(server, "web", s => s["currentHealthy"].AsLong() == 2);
        var second = await client.PostAsync(Evict("web-1"), Eviction("web-1"));

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal("Success", first.Str("status"));
        Assert.NotNull(server.Get("", "pods", "default", "web-2")!.Str("metadata", "deletionTimestamp"));
        Assert.Equal(3, budget["expectedPods"].AsLong());
        Assert.Equal(2, budget["desiredHealthy"].AsLong());
        Assert.Equal(0, budget["disruptionsAllowed"].AsLong());
        Assert.Equal((HttpStatusCode)429, second.Status);
        Assert.Equal("TooManyRequests", second.Str("reason"));
        Assert.Equal("Cannot evict pod as it would violate the pod's disruption budget.", second.Str("message"));
        var cause = second.Object["details"]!["causes"]![0]!;
        Assert.Equal("DisruptionBudget", cause.Str("reason"));
        Assert.Equal("The disruption budget web needs 2 healthy pods and has 2 currently", cause.Str("message"));
        Assert.Null(server.Get("", "pods", "default", "web-1")!.Str("metadata", "deletionTimestamp"));
    }

    [Fact]
    public async Task Evict_Allowed_RecordsDisruptedPodUntilThePodTerminates()
    {
        // The controller is off, so the status the eviction writes stays as written.
        await using var server = await FakeApiServer.StartAsync(new FakeApiServerOptions { DisruptionController = false });
        using var client = server.CreateClient();
        StatefulSetWithReadyPods(server, "web", 3);
        await client.PostAsync(Budgets, Budget("web", """{"maxUnavailable":1}"""));
        server.SyncDisruptionBudgets();

        var evicted = await client.PostAsync(Evict("web-0"), Eviction("web-0"));
        var afterEviction = server.Get("policy", "poddisruptionbudgets", "default", "web")!["status"]!.AsObject();
        server.SyncDisruptionBudgets();
        var afterSync = server.Get("policy", "poddisruptionbudgets", "default", "web")!["status"]!.AsObject();

        Assert.Equal(HttpStatusCode.Created, evicted.Status);
        Assert.Equal(0, afterEviction["disruptionsAllowed"].AsLong());
        Assert.NotNull(afterEviction["disruptedPods"]?["web-0"]);
        Assert.Null(afterSync["disruptedPods"]);
        Assert.Equal(2, afterSync["currentHealthy"].AsLong());
    }

    [Theory]
    [InlineData("""{"minAvailable":"50%"}""", 4, 2)]
    [InlineData("""{"minAvailable":3}""", 4, 3)]
    [InlineData("""{"maxUnavailable":"30%"}""", 4, 2)]
    [InlineData("""{"maxUnavailable":0}""", 4, 4)]
    public async Task Budget_IntsAndPercentages_GiveDesiredHealthyAsTheDisruptionController(string spec, int replicas, long desired)
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        StatefulSetWithReadyPods(server, "web", replicas);

        await client.PostAsync(Budgets, Budget("web", spec));
        var status = await WaitForBudgetAsync(server, "web", s => s["observedGeneration"] is not null);

        Assert.Equal(desired, status["desiredHealthy"].AsLong());
        Assert.Equal(replicas, status["currentHealthy"].AsLong());
        Assert.Equal(replicas - desired, status["disruptionsAllowed"].AsLong());
        Assert.Equal(replicas - desired > 0 ? "True" : "False", status["conditions"]![0]!.Str("status"));
    }

    [Fact]
    public async Task Budget_MaxUnavailableOverPodsWithoutController_AllowsNoDisruption()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        ReadyPod(server, "lone", null);

        await client.PostAsync(Budgets, Budget("web", """{"maxUnavailable":1}"""));
        var status = await WaitForBudgetAsync(server, "web", s => s["observedGeneration"] is not null);
        var refused = await client.PostAsync(Evict("lone"), Eviction("lone"));

        Assert.Equal(0, status["disruptionsAllowed"].AsLong());
        Assert.Equal("SyncFailed", status["conditions"]![0]!.Str("reason"));
        Assert.Equal((HttpStatusCode)429, refused.Status);
    }

    [Fact]
    public async Task Evict_BudgetNotYetObserved_Returns429StillBeingProcessed()
    {
        await using var server = await FakeApiServer.StartAsync(new FakeApiServerOptions { DisruptionController = false });
        using var client = server.CreateClient();
        StatefulSetWithReadyPods(server, "web", 2);
        await client.PostAsync(Budgets, Budget("web", """{"maxUnavailable":1}"""));

        var refused = await client.PostAsync(Evict("web-0"), Eviction("web-0"));

        Assert.Equal((HttpStatusCode)429, refused.Status);
        Assert.Equal("The disruption budget web is still being processed by the server.", refused.Object["details"]!["causes"]![0]!.Str("message"));
    }

    [Fact]
    public async Task Evict_PodMatchedByTwoBudgets_Returns500()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        StatefulSetWithReadyPods(server, "web", 2);
        await client.PostAsync(Budgets, Budget("web", """{"maxUnavailable":1}"""));
        await client.PostAsync(Budgets, Budget("web", """{"minAvailable":0}""", name: "web-too"));

        var refused = await client.PostAsync(Evict("web-0"), Eviction("web-0"));

        Assert.Equal(HttpStatusCode.InternalServerError, refused.Status);
        Assert.Equal("Internal error occurred: This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.", refused.Str("message"));
        Assert.Null(server.Get("", "pods", "default", "web-0")!.Str("metadata", "deletionTimestamp"));
    }

    [Fact]
    public async Task Evict_UnhealthyPodWhileBudgetIsMet_DeletesWithoutTakingADisruption()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        StatefulSetWithReadyPods(server, "web", 3);
        SetReady(server, "web-2", ready: false);
        await client.PostAsync(Budgets, Budget("web", """{"minAvailable":2}"""));
        await WaitForBudgetAsync(server, "web", s => s["currentHealthy"].AsLong() == 2);

        var evicted = await client.PostAsync(Evict("web-2"), Eviction("web-2"));
        var status = await WaitForBudgetAsync(server, "web", s => s["observedGeneration"] is not null);

        Assert.Equal(HttpStatusCode.Created, evicted.Status);
        Assert.Null(status["disruptedPods"]);
        Assert.Equal(0, status["disruptionsAllowed"].AsLong());
    }

    [Fact]
    public async Task Evict_PendingPod_IgnoresTheBudget()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.PostAsync(Budgets, Budget("web", """{"minAvailable":5}"""));
        server.Create(PodJson("new", null));

        var evicted = await client.PostAsync(Evict("new"), Eviction("new"));

        Assert.Equal(HttpStatusCode.Created, evicted.Status);
        Assert.Equal("Pending", server.Get("", "pods", "default", "new")!.Str("status", "phase"));
        Assert.NotNull(server.Get("", "pods", "default", "new")!.Str("metadata", "deletionTimestamp"));
    }

    [Fact]
    public async Task Evict_MissingPod_Returns404()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();

        var reply = await client.PostAsync(Evict("gone"), Eviction("gone"));

        Assert.Equal(HttpStatusCode.NotFound, reply.Status);
        Assert.Equal("pods \"gone\" not found", reply.Str("message"));
    }

    [Theory]
    [InlineData("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-0"}}""")]
    [InlineData("""{"apiVersion":"policy/v1","kind":"DeleteOptions","metadata":{"name":"web-0"}}""")]
    [InlineData("""{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"web-1"}}""")]
    public async Task Evict_BodyNotAnEvictionOfThisPod_Returns400(string body)
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        StatefulSetWithReadyPods(server, "web", 2);

        var reply = await client.PostAsync(Evict("web-0"), body);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Null(server.Get("", "pods", "default", "web-0")!.Str("metadata", "deletionTimestamp"));
    }

    [Fact]
    public async Task Evict_OtherVerbs_Return405AndDiscoveryListsTheSubresource()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        StatefulSetWithReadyPods(server, "web", 1);

        var get = await client.GetJsonAsync(Evict("web-0"));
        var core = await client.GetJsonAsync("/api/v1");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.Status);
        var entry = core.Object["resources"]!.AsArray().Single(r => r!.Str("name") == "pods/eviction")!;
        Assert.Equal("policy", entry.Str("group"));
        Assert.Equal("Eviction", entry.Str("kind"));
    }

    private static string Evict(string pod) => $"{Pods}/{pod}/eviction";

    private static string Eviction(string pod) =>
        $$$"""{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"{{{pod}}}","namespace":"default"}}""";

    private static string Budget(string app, string spec, string? name = null)
    {
        var body = JsonNode.Parse(spec)!.AsObject();
        body["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = app } };
        return $$$"""{"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"{{{name ?? app}}}"},"spec":{{{body.ToJsonString()}}}}""";
    }

    /// <summary>A StatefulSet of <paramref name="replicas"/> and its pods, each Running and Ready, as its controller and kubelets would leave them.</summary>
    private static void StatefulSetWithReadyPods(FakeApiServer server, string name, int replicas)
    {
        var labels = new JsonObject { ["app"] = name };
        var set = server.Create(new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "StatefulSet",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
            ["spec"] = new JsonObject
            {
                ["replicas"] = replicas,
                ["serviceName"] = name,
                ["selector"] = new JsonObject { ["matchLabels"] = labels.DeepClone() },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = labels },
                    ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "i" }) },
                },
            },
        });
        for (int i = 0; i < replicas; i++)
        {
            ReadyPod(server, $"{name}-{i}", set, name);
        }
    }

    private static void ReadyPod(FakeApiServer server, string pod, JsonObject? owner, string app = "web")
    {
        var created = server.Create(PodJson(pod, owner, app));
        created["status"] = new JsonObject { ["phase"] = "Running" };
        server.Update(created, "status");
        SetReady(server, pod, ready: true);
    }

    private static void SetReady(FakeApiServer server, string pod, bool ready)
    {
        var current = server.Get("", "pods", "default", pod)!;
        current["status"]!["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = ready ? "True" : "False" });
        server.Update(current, "status");
    }

    private static JsonObject PodJson(string name, JsonObject? owner, string app = "web")
    {
        var meta = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = "default",
            ["labels"] = new JsonObject { ["app"] = app },
            ["finalizers"] = new JsonArray(KubeletFinalizer),
        };
        if (owner is not null)
        {
            meta["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = "apps/v1",
                ["kind"] = owner.Str("kind"),
                ["name"] = owner.Str("metadata", "name"),
                ["uid"] = owner.Str("metadata", "uid"),
                ["controller"] = true,
            });
        }
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = meta,
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "i" }) },
        };
    }

    private static async Task<JsonObject> WaitForBudgetAsync(FakeApiServer server, string name, Func<JsonObject, bool> condition)
    {
        var budget = await server.WaitForAsync("policy", "poddisruptionbudgets", "default", name,
            b => b["status"] is JsonObject s && condition(s), Deadline);
        return budget["status"]!.AsObject();
    }
}
