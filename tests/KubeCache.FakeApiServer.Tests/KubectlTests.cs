using System.Text.Json.Nodes;
using KubeCache.FakeApiServer.Tests.Support;

namespace KubeCache.FakeApiServer.Tests;

/// <summary>The real kubectl (1.32) against the fake: discovery, OpenAPI, Table output, apply, scale, delete.</summary>
[Collection(KubectlCollection.Name)]
public sealed class KubectlTests : IAsyncLifetime
{
    private FakeApiServer _server = null!;
    private Kubectl _kubectl = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.StartAsync();
        _server.RegisterCrd(TestCrd.Yaml);
        _kubectl = new Kubectl(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ApplyServerSide_KvClusterFile_CreatesWithDefaultsAndManager()
    {
        var file = Path.Combine(Path.GetDirectoryName(_server.KubeconfigPath)!, "demo.yaml");
        await File.WriteAllTextAsync(file, TestCrd.KvCluster("demo", 2));

        var result = await _kubectl.RunAsync("apply", "--server-side", "-f", file);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("kvcluster.kubecache.io/demo serverside-applied", result.StandardOutput);
        var stored = _server.Get(TestCrd.Group, TestCrd.Plural, "default", "demo")!;
        Assert.Equal(2, stored["spec"]!["replicas"]!.GetValue<long>());
        Assert.Equal(256, stored["spec"]!["maxKeyBytes"]!.GetValue<long>());
        Assert.Equal("kubectl", stored["metadata"]!["managedFields"]![0]!["manager"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetShortName_KvCluster_ShowsPrinterColumns()
    {
        await ApplyDemoAsync(4);
        var current = _server.Get(TestCrd.Group, TestCrd.Plural, "default", "demo")!;
        current["status"] = new JsonObject { ["readyReplicas"] = 1, ["phase"] = "Rebalancing" };
        _server.Update(current, "status");

        var result = await _kubectl.RunAsync("get", "kvc");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "DESIRED", "READY", "PHASE", "AGE"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var row = lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["demo", "4", "1", "Rebalancing"], row[..4]);
        Assert.EndsWith("s", row[4]);
    }

    [Fact]
    public async Task Scale_KvCluster_ChangesSpecReplicasAndBumpsGeneration()
    {
        await ApplyDemoAsync(2);
        var before = _server.Get(TestCrd.Group, TestCrd.Plural, "default", "demo")!;

        var result = await _kubectl.RunAsync("scale", "kvc/demo", "--replicas=5");

        Assert.True(result.ExitCode == 0, result.ToString());
        var after = _server.Get(TestCrd.Group, TestCrd.Plural, "default", "demo")!;
        Assert.Equal(5, after["spec"]!["replicas"]!.GetValue<long>());
        Assert.Equal(before["metadata"]!["generation"]!.GetValue<long>() + 1, after["metadata"]!["generation"]!.GetValue<long>());
    }

    [Fact]
    public async Task GetJson_ConfigMaps_ListsThem()
    {
        _server.Create(JsonNode.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"demo-ring","namespace":"default"},"data":{"ring.json":"{}"}}""")!.AsObject());

        var result = await _kubectl.RunAsync("get", "cm", "-o", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var list = JsonNode.Parse(result.StandardOutput)!;
        Assert.Equal("List", list["kind"]!.GetValue<string>());
        Assert.Equal("demo-ring", list["items"]![0]!["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("{}", list["items"]![0]!["data"]!["ring.json"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delete_KvCluster_RemovesIt()
    {
        await ApplyDemoAsync(1);

        var result = await _kubectl.RunAsync("delete", "kvc", "demo");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("kvcluster.kubecache.io \"demo\" deleted", result.StandardOutput);
        Assert.Null(_server.Get(TestCrd.Group, TestCrd.Plural, "default", "demo"));
    }

    [Fact]
    public async Task ApplyServerSide_InvalidReplicas_ReportsServerValidation()
    {
        var file = Path.Combine(Path.GetDirectoryName(_server.KubeconfigPath)!, "bad.yaml");
        await File.WriteAllTextAsync(file, TestCrd.KvCluster("bad", -1));

        var result = await _kubectl.RunAsync("apply", "--server-side", "-f", file);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("spec.replicas in body should be greater than or equal to 0", result.StandardError);
    }

    [Fact]
    public async Task Get_OverHttpsWithToken_TrustsGeneratedCertificate()
    {
        await using var secure = await FakeApiServer.StartAsync(new FakeApiServerOptions { UseHttps = true, BearerToken = "t0ken" });
        secure.Create(JsonNode.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"tls","namespace":"default"}}""")!.AsObject());

        var result = await new Kubectl(secure).RunAsync("get", "configmap", "tls", "-o", "name");

        Assert.Equal("https", secure.BaseAddress.Scheme);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("configmap/tls", result.StandardOutput.Trim());
    }

    [Fact]
    public async Task ApplyServerSide_SecondManagerConflict_ReportsConflict()
    {
        await ApplyDemoAsync(2);

        var result = await _kubectl.RunAsync(["apply", "--server-side", "--field-manager=other", "-f", "-"], TestCrd.KvCluster("demo", 7));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("conflict with \"kubectl\"", result.StandardError);
        Assert.Contains(".spec.replicas", result.StandardError);
    }

    private async Task ApplyDemoAsync(int replicas)
    {
        var result = await _kubectl.RunAsync(["apply", "--server-side", "-f", "-"], TestCrd.KvCluster("demo", replicas));
        Assert.True(result.ExitCode == 0, result.ToString());
    }
}

/// <summary>kubectl runs are heavy processes; they run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KubectlCollection
{
    public const string Name = "kubectl";
}
