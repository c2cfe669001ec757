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

    [Fact]
    public async Task Operator_ChartRoleWithoutPodsWatch_Gets403Forbidden()
    {
        string logs = Directory.CreateTempSubdirectory("kubecache-rbac-").FullName;
        try
        {
            await using FakeApiServer.FakeApiServer server = await FakeApiServer.FakeApiServer.StartAsync(new FakeApiServerOptions { Rbac = true, UseHttps = true });
            server.RegisterCrd(File.ReadAllText(RepoFiles.Path("crds", "kvclusters.kubecache.io.yaml")));
            List<JsonObject> rbac = ChartRbac.Render();
            JsonObject podsRule = rbac.Single(o => o["kind"]!.GetValue<string>() == "ClusterRole")["rules"]!.AsArray().OfType<JsonObject>()
                .Single(r => r["resources"]!.AsArray().Any(n => n!.GetValue<string>() == "pods"));
            podsRule["verbs"] = new JsonArray("get", "list");
            string kubeconfig = ChartRbac.OperatorKubeconfig(server, logs, rbac);
            Assert.True(File.Exists(kubeconfig));

            await using OperatorProcess op = OperatorProcess.Start(server, "operator-rbac", logs);
            const string Expected = $"pods is forbidden: User \"{OperatorUser}\" cannot watch resource \"pods\" in API group \"\" at the cluster scope";
            var clock = Stopwatch.StartNew();
            try
            {
                await Poll.UntilAsync(() => server.Denials.Contains(Expected), "the operator's watch of pods to be refused", Bound);
            }
            finally
            {
                output.WriteLine($"after {clock.Elapsed.TotalSeconds:F1} s, denials:\n{string.Join('\n', server.Denials)}\n{ChildProcess.Tail(op.Process.LogFile, 40)}");
            }
            Assert.DoesNotContain(server.Denials, d => !d.Contains("cannot watch resource \"pods\"", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(logs, recursive: true);
        }
    }
}
