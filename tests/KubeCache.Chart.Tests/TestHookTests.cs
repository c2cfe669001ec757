using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using KubeCache.CacheNode.Storage;
using KubeCache.Chart.Tests.Support;
using KubeCache.Testing;

namespace KubeCache.Chart.Tests;

public sealed class TestHookTests
{
    [Fact]
    public void Template_Defaults_TestPodIsAHelmTestHookAgainstTheRouterService()
    {
        Manifest pod = DefaultRender.Manifests.Get("Pod", "kvcache-test");
        var container = pod.PodSpec.Items("containers").Single();
        var env = container.Items("env").ToDictionary(e => e.Str("name")!, e => e.Str("value"));

        Assert.Equal("test", pod.Annotations["helm.sh/hook"]);
        Assert.Equal(["before-hook-creation", "hook-succeeded"], pod.Annotations["helm.sh/hook-delete-policy"].Split(','));
        Assert.Equal("Never", pod.PodSpec.Str("restartPolicy"));
        Assert.Equal($"http://{Helm.Release}.{Helm.Namespace}.svc:7171", env["ROUTER_URL"]);
        Assert.Matches(@"^[\w./-]+:[\w.-]+$", container.Str("image"));
        Assert.DoesNotContain(":latest", container.Str("image"), StringComparison.Ordinal);
        Assert.Equal(["sh", "-c"], container.Strings("command").Take(2));
    }

    [Fact]
    public void Template_TestClusterNameOrDisabled_TargetsThatServiceOrRendersNoPod()
    {
        var pod = Helm.Template("cluster.enabled=false", "test.clusterName=demo").Manifests().Get("Pod", "kvcache-test");

        Assert.Contains(
            pod.PodSpec.Items("containers").Single().Items("env"),
            e => e.Str("name") == "ROUTER_URL" && e.Str("value") == $"http://demo.{Helm.Namespace}.svc:7171");
        Assert.Empty(Helm.Template("test.enabled=false").Manifests().OfKind("Pod"));
    }

    [Fact]
    public async Task TestScript_AgainstARealNode_WritesAKeyAndReadsItBack()
    {
        await using var node = await TestNodes.StartAsync();

        var (exitCode, output) = await RunScriptAsync($"http://127.0.0.1:{node.HttpEndPoint.Port}", timeoutSeconds: 30);

        Assert.True(exitCode == 0, output);
        Assert.Contains("read back the value written", output, StringComparison.Ordinal);
        Assert.Equal(StoreStatus.Ok, node.Store.Get("helm-test-kvcache-1"u8, out _));
    }

    [Fact]
    public async Task TestScript_NoRouterAnswers_FailsAfterItsDeadline()
    {
        // A bound socket that never listens holds the port, so nothing else can answer on it.
        using var closed = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        closed.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int closedPort = ((IPEndPoint)closed.LocalEndPoint!).Port;

        var (exitCode, output) = await RunScriptAsync($"http://127.0.0.1:{closedPort}", timeoutSeconds: 1);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("no write through", output, StringComparison.Ordinal);
    }

    /// <summary>Runs the hook's shell script with the hook's environment, here, with this machine's sh and curl.</summary>
    private static async Task<(int ExitCode, string Output)> RunScriptAsync(string routerUrl, int timeoutSeconds)
    {
        var container = DefaultRender.Manifests.Get("Pod", "kvcache-test").PodSpec.Items("containers").Single();
        var command = container.Strings("command");
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in command.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var variable in container.Items("env"))
        {
            start.Environment[variable.Str("name")!] = variable.Str("value");
        }

        start.Environment["ROUTER_URL"] = routerUrl;
        start.Environment["TIMEOUT_SECONDS"] = timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var process = Process.Start(start)!;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds + 60));
        var stdout = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var stderr = process.StandardError.ReadToEndAsync(deadline.Token);
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
