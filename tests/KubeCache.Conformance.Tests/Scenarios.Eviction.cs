using System.Net;
using k8s;
using k8s.Models;
using KubeCache.Testing;

namespace KubeCache.Conformance.Tests;

/// <summary>The pods/eviction subresource and the PodDisruptionBudgets it obeys, which drains of KubeCache nodes rely on.</summary>
public abstract partial class Scenarios
{
    /// <summary>How long the disruption controller may take to write a new budget's status.</summary>
    private static readonly TimeSpan BudgetDeadline = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task Evict_BudgetAllowsOne_Is201ThenTheNextIs429WithADisruptionBudgetCause()
    {
        string ns = await NamespaceAsync();
        await Target.RunPodAsync(ns, Pod("a", "web"));
        await Target.RunPodAsync(ns, Pod("b", "web"));
        await Admin.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(Budget("web", "web", 1), ns);
        await BudgetStatusAsync(ns, "web", s => s.CurrentHealthy == 2 && s.DisruptionsAllowed == 1);

        await Admin.CoreV1.CreateNamespacedPodEvictionAsync(Eviction(ns, "a"), "a", ns);
        (HttpStatusCode code, V1Status status) = await RefusedAsync(() => Admin.CoreV1.CreateNamespacedPodEvictionAsync(Eviction(ns, "b"), "b", ns));

        V1Pod? evicted = (await Admin.CoreV1.ListNamespacedPodAsync(ns, fieldSelector: "metadata.name=a")).Items.SingleOrDefault();
        Assert.True(evicted is null || evicted.Metadata.DeletionTimestamp is not null, "the evicted pod is terminating or gone");
        Assert.Equal((HttpStatusCode)429, code);
        Assert.Equal("TooManyRequests", status.Reason);
        Assert.Equal("Cannot evict pod as it would violate the pod's disruption budget.", status.Message);
        V1StatusCause cause = Assert.Single(status.Details.Causes);
        Assert.Equal("DisruptionBudget", cause.Reason);
        Assert.StartsWith("The disruption budget web needs 1 healthy pods and has ", cause.Message, StringComparison.Ordinal);
        Assert.Null((await Admin.CoreV1.ReadNamespacedPodAsync("b", ns)).Metadata.DeletionTimestamp);
    }

    [SkippableFact]
    public async Task Evict_PodSelectedByTwoBudgets_Is500()
    {
        string ns = await NamespaceAsync();
        await Target.RunPodAsync(ns, Pod("a", "web"));
        await Admin.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(Budget("one", "web", 0), ns);
        await Admin.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(Budget("two", "web", 0), ns);
        await BudgetStatusAsync(ns, "one", s => s.CurrentHealthy == 1);
        await BudgetStatusAsync(ns, "two", s => s.CurrentHealthy == 1);

        (HttpStatusCode code, V1Status status) = await RefusedAsync(() => Admin.CoreV1.CreateNamespacedPodEvictionAsync(Eviction(ns, "a"), "a", ns));

        Assert.Equal(HttpStatusCode.InternalServerError, code);
        Assert.Equal("Internal error occurred: This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.", status.Message);
    }

    [SkippableFact]
    public async Task Evict_MissingPod_Is404NotFound()
    {
        string ns = await NamespaceAsync();

        (HttpStatusCode code, V1Status status) = await RefusedAsync(() => Admin.CoreV1.CreateNamespacedPodEvictionAsync(Eviction(ns, "gone"), "gone", ns));

        Assert.Equal(HttpStatusCode.NotFound, code);
        Assert.Equal("pods \"gone\" not found", status.Message);
    }

    [SkippableFact]
    public async Task Evict_EvictionNamingAnotherPod_Is400BadRequest()
    {
        string ns = await NamespaceAsync();
        await Target.RunPodAsync(ns, Pod("a", "web"));

        (HttpStatusCode code, V1Status status) = await RefusedAsync(() => Admin.CoreV1.CreateNamespacedPodEvictionAsync(Eviction(ns, "other"), "a", ns));

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal("name in URL does not match name in Eviction object", status.Message);
        Assert.Null((await Admin.CoreV1.ReadNamespacedPodAsync("a", ns)).Metadata.DeletionTimestamp);
    }

    private async Task BudgetStatusAsync(string ns, string name, Func<V1PodDisruptionBudgetStatus, bool> condition) =>
        await Poll.UntilAsync(async () =>
            (await Admin.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync(name, ns)) is { Status: { } status } budget
            && status.ObservedGeneration == budget.Metadata.Generation && condition(status),
            $"budget {name}'s status", BudgetDeadline, TimeSpan.FromMilliseconds(200));

    private static V1Eviction Eviction(string ns, string pod) => new()
    {
        ApiVersion = "policy/v1",
        Kind = "Eviction",
        Metadata = new V1ObjectMeta { Name = pod, NamespaceProperty = ns },
    };

    /// <summary>A budget over the pods labelled app=<paramref name="app"/> that keeps <paramref name="minAvailable"/> of them (an int: no controller needed).</summary>
    private static V1PodDisruptionBudget Budget(string name, string app, int minAvailable) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodDisruptionBudgetSpec
        {
            MinAvailable = minAvailable,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = app } },
        },
    };

    /// <summary>A pod that runs k3s's own pause image (present wherever k3s runs pods) and stops at once.</summary>
    private static V1Pod Pod(string name, string app) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = app } },
        Spec = new V1PodSpec
        {
            Containers = [new V1Container { Name = "pause", Image = "rancher/mirrored-pause:3.6" }],
            TerminationGracePeriodSeconds = 1,
            AutomountServiceAccountToken = false,
        },
    };
}
