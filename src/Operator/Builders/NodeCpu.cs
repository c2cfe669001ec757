using k8s.Models;
using KubeCache.Hosting.Options;
using KubeCache.Operator.Resources;

namespace KubeCache.Operator.Builders;

/// <summary>A KvCluster's node CPU as the node uses it: one event loop per CPU the pod is given.</summary>
public static class NodeCpu
{
    /// <summary>
    /// The node's --io-threads: the container's CPU limit, else its request, rounded up (a loop
    /// uses at most one core, so a node given more CPUs needs more loops to use them); null with
    /// neither, which leaves the node's default of one.
    /// </summary>
    public static long? IoThreadsArg(KvClusterSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if ((Cpu(spec.Resources?.Limits) ?? Cpu(spec.Resources?.Requests)) is not { } cpus)
        {
            return null;
        }

        return (long)Math.Clamp(Math.Ceiling(cpus), 1, ServerOptions.MaxIoThreads);
    }

    private static decimal? Cpu(Dictionary<string, Quantity>? resources) =>
        resources is not null && resources.TryGetValue("cpu", out Quantity cpu) ? new ResourceQuantity(cpu.Value).ToDecimal() : null;
}
