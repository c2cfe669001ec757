using System.Diagnostics;
using System.Text.Json.Nodes;
using KubeCache.EndToEnd.Tests.Support;
using KubeCache.FakeApiServer;
using KubeCache.Testing;
using Xunit.Abstractions;

namespace KubeCache.EndToEnd.Tests.Rbac;

/// <summary>A verb missing from the chart's operator role is a 403 the operator meets, as on a cluster.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class MissingGrantTests(ITestOutputHelper output)
{
    private const string OperatorUser = "system:serviceaccount:default:kvcache-operator";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Each row takes one verb away from the chart's operator ClusterRole and names the refusal
    /// the operator then meets: its pod informer's watch, and (where
    /// OwnerReferencesPermissionEnforcement is on) the first object it applies with a
    /// blockOwnerDeletion owner reference to the KvCluster.
    /// </summary>
    [Theory]
    [InlineData("pods", "watch", "pods is forbidden: User \"" + OperatorUser + "\" cannot watch resource \"pods\" in API group \"\" at the cluster scope")]
    [InlineData("kvclusters/finalizers", "update",
        "serviceaccounts \"demo\" is forbidden: cannot set blockOwnerDeletion if an ownerReference refers to a resource you can't set finalizers on: User \""
        + OperatorUser + "\" cannot update resource \"kvclusters/finalizers\" in API group \"kubecache.io\" in the namespace \"default\"")]
    public async Task Operator_ChartRoleWithoutAVerbItCalls_Gets403Forbidden(string resource, string verb, string expected)
    {
        string logs = Directory.CreateTempSubdirectory("kubecache-rbac-").FullName;
        try
        {
            await using FakeApiServer.FakeApiServer server = await FakeApiServer.FakeApiServer.StartAsync(new FakeApiServerOptions { Rbac = true, UseHttps = true });
            server.RegisterCrd(File.ReadAllText(RepoFiles.Path("crds", "kvclusters.kubecache.io.yaml")));
            List<JsonObject> rbac = ChartRbac.Render();
            JsonObject rule = rbac.Single(o => o["kind"]!.GetValue<string>() == "ClusterRole")["rules"]!.AsArray().OfType<JsonObject>()
                .Single(r => r["resources"]!.AsArray().Any(n => n!.GetValue<string>() == resource));
            rule["verbs"] = new JsonArray([.. rule["verbs"]!.AsArray().Select(v => v!.GetValue<string>()).Where(v => v != verb).Select(v => JsonValue.Create(v))]);
            ChartRbac.OperatorKubeconfig(server, logs, rbac);
            server.Create(new JsonObject
            {
                ["apiVersion"] = "kubecache.io/v1alpha1",
                ["kind"] = "KvCluster",
                ["metadata"] = new JsonObject { ["name"] = "demo", ["namespace"] = "default" },
                ["spec"] = new JsonObject { ["replicas"] = 3 },
            });

            await using OperatorProcess op = OperatorProcess.Start(server, "operator-rbac", logs);
            var clock = Stopwatch.StartNew();
            try
            {
                await Poll.UntilAsync(() => server.Denials.Contains(expected), $"the operator's {verb} of {resource} to be refused", Bound);
            }
            finally
            {
                output.WriteLine($"after {clock.Elapsed.TotalSeconds:F1} s, denials:\n{string.Join('\n', server.Denials.Distinct())}\n{ChildProcess.Tail(op.Process.LogFile, 20)}");
            }
        }
        finally
        {
            Directory.Delete(logs, recursive: true);
        }
    }
}
