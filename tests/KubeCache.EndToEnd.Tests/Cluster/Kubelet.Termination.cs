using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using KubeCache.EndToEnd.Tests.Support;

namespace KubeCache.EndToEnd.Tests.Cluster;

public sealed partial class Kubelet
{
    /// <summary>
    /// A real kubelet's graceful stop: the preStop httpGet (bounded by the grace period), then
    /// SIGTERM, then SIGKILL when the grace period (capped for tests) runs out; then the pod goes.
    /// </summary>
    private async Task TerminateAsync(PodRuntime runtime, JsonObject pod)
    {
        long seconds = pod.Long("spec", "terminationGracePeriodSeconds") ?? 30;
        TimeSpan grace = TimeSpan.FromSeconds(seconds) < _options.TerminationGraceCap ? TimeSpan.FromSeconds(seconds) : _options.TerminationGraceCap;
        var clock = Stopwatch.StartNew();
        JsonObject? container = pod["spec"]?["containers"].Objects().FirstOrDefault();
        if (container is not null && ContainerLaunch.HttpGet(container, container["lifecycle"]?["preStop"], runtime.IP) is { } preStop)
        {
            string outcome;
            using var http = new HttpClient { Timeout = grace };
            try
            {
                using HttpResponseMessage response = await http.GetAsync(preStop);
                outcome = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture) + " " + await response.Content.ReadAsStringAsync();
            }
            catch (HttpRequestException e)
            {
                outcome = "failed: " + e.Message;
            }
            catch (TaskCanceledException)
            {
                outcome = "timed out";
            }
            Record($"prestop {runtime.Name} {clock.Elapsed.TotalSeconds:F1}s {outcome}");
        }
        if (runtime.Process is { } process)
        {
            await process.SignalAsync("TERM");
            TimeSpan left = grace - clock.Elapsed;
            bool exited = await process.WaitForExitAsync(left > TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1));
            if (!exited)
            {
                await process.SignalAsync("KILL");
                await process.WaitForExitAsync(TimeSpan.FromSeconds(10));
            }
            Record($"stopped {runtime.Name} by {(exited ? "SIGTERM" : "SIGKILL")} after {clock.Elapsed.TotalSeconds:F1}s");
        }
        await ForgetAsync(runtime);
        RemoveFinalizer(pod);
    }
}
